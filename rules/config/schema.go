package config

import (
	"encoding/json"
	"slices"
	"sort"

	"github.com/composure-dev/composure/rules/imagefacts"
	"github.com/composure-dev/composure/rules/lint"
)

// SchemaFile is where the JSON Schema of .composure.yaml lives in the
// repository; docs/gen writes it from Schema and fails when it is stale.
const SchemaFile = "docs/composure.schema.json"

// SchemaURL is the schema at a git ref of the repository (the release
// tag, or main), as editors fetch it.
func SchemaURL(ref string) string {
	if ref == "" {
		ref = "main"
	}
	return "https://raw.githubusercontent.com/composure-dev/composure/" + ref + "/" + SchemaFile
}

// SchemaComment is the first line `composure init` writes: the YAML
// language server (VS Code, JetBrains, Neovim) then completes and checks
// the file against the schema.
func SchemaComment(ref string) string {
	return "# yaml-language-server: $schema=" + SchemaURL(ref) + "\n"
}

// Schema is the JSON Schema (draft 2020-12) of .composure.yaml, built from
// the rule catalogue (given, as to Parse) so that rule ids, severities and typed options stay
// those Parse accepts. Parse stays the authority (positions, globs, image
// patterns); the schema is for editors.
func Schema(catalogue []*lint.Rule) []byte {
	all := slices.Clone(catalogue)
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	ids := make([]string, len(all))
	ruleProps := map[string]any{}
	for i, r := range all {
		ids[i] = r.ID
		opts := map[string]any{"severity": ref("severity")}
		for _, o := range r.Options {
			switch o.Kind {
			case lint.StringList:
				opts[o.Name] = withDoc(ref("stringList"), o.Doc)
			case lint.Bool:
				opts[o.Name] = map[string]any{"type": "boolean", "description": o.Doc}
			}
		}
		def := r.Severity.String()
		if r.DefaultOff {
			def = "off"
		}
		ruleProps[r.ID] = map[string]any{
			"description": r.Title + " (default: " + def + ")",
			"oneOf": []any{
				ref("severity"),
				map[string]any{"type": []string{"object", "null"}, "additionalProperties": false, "properties": opts},
			},
		}
	}
	anyKey := []any{}
	for _, k := range []string{"rule", "path-glob", "path", "service"} {
		anyKey = append(anyKey, map[string]any{"required": []string{k}})
	}
	absPath := map[string]any{"type": "string", "pattern": "^/"}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaURL("main"),
		"title":                "composure configuration (.composure.yaml)",
		"type":                 []string{"object", "null"},
		"additionalProperties": false,
		"properties": map[string]any{
			"rules": map[string]any{
				"description":          "severity (off, info, warning, error) or options per rule",
				"type":                 []string{"object", "null"},
				"additionalProperties": false,
				"properties":           ruleProps,
			},
			"ignore": map[string]any{
				"description": "findings to accept, each with a reason",
				"type":        []string{"array", "null"},
				"items": map[string]any{
					"type":                 "object",
					"additionalProperties": false,
					"required":             []string{"reason"},
					"anyOf":                anyKey,
					"properties": map[string]any{
						"rule":      map[string]any{"enum": ids},
						"path-glob": map[string]any{"type": "string", "description": "relative to the config's folder; ** crosses folders"},
						"path":      map[string]any{"type": "string", "deprecated": true, "description": "the old name of path-glob"},
						"service":   map[string]any{"type": "string"},
						"reason":    map[string]any{"type": "string", "minLength": 1, "pattern": `\S`},
					},
				},
			},
			"exclude": map[string]any{
				"description": "paths discovery never searches: globs relative to the config's folder (doublestar: ** is any number of folders)",
				"type":        []string{"array", "null"},
				"items":       map[string]any{"type": "string", "minLength": 1},
			},
			"images": map[string]any{
				"description": "where image facts come from: off, local (the Docker daemon) or registry",
				"enum":        imagefacts.Modes,
			},
			"stateful-images": map[string]any{
				"description": "images composure does not know that keep state",
				"type":        []string{"array", "null"},
				"items": map[string]any{
					"type":                 "object",
					"additionalProperties": false,
					"required":             []string{"image", "data-paths"},
					"properties": map[string]any{
						"image":           map[string]any{"type": "string", "minLength": 1, "description": "image name or glob"},
						"data-paths":      map[string]any{"oneOf": []any{absPath, map[string]any{"type": "array", "items": absPath}}},
						"volume-declared": map[string]any{"type": "boolean"},
						"secret-env":      ref("stringList"),
						"file-env":        ref("stringList"),
					},
				},
			},
		},
		"$defs": map[string]any{
			"severity": map[string]any{"enum": []string{"off", "info", "warning", "error"}},
			"stringList": map[string]any{"oneOf": []any{
				map[string]any{"type": "string"},
				map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
			}},
		},
	}
	out, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		panic(err) // only maps, slices and strings: cannot fail
	}
	return append(out, '\n')
}

func ref(def string) map[string]any { return map[string]any{"$ref": "#/$defs/" + def} }

func withDoc(m map[string]any, doc string) map[string]any {
	return map[string]any{"allOf": []any{m}, "description": doc}
}
