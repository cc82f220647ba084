package rules

import (
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// Where a fix that adds to a service goes (issue 13, item 8). A project
// of several files (compose.yaml and compose.override.yaml, or -f a -f b)
// is deployed more than one way: `docker compose -f compose.yaml up` in
// production and CI reads the base file alone. A fix for a service the
// base file defines goes into the base file, so every run gets it, and
// never only into an override that adjusts the service for development.
// The merged project still gets it: compose merges a service's volumes
// and secrets by target, and its environment by name, so what the base
// adds is kept beside the override's entries (an override entry on the
// same target wins, as it did before the fix).

// serviceNode finds where a service is defined for a fix: the mapping of
// services.<name> in the first of the project's own files that has one
// (the base), or in the last that replaces it whole with !override. It
// refuses (nil) a service defined only in an included file or an extends
// base, and one whose mapping is shared through an anchor.
func serviceNode(p *project.Project, name string) (*project.File, *project.Loc) {
	var def *project.File
	var defLoc project.Loc
	for _, f := range p.Files {
		loc := p.LocateIn(f, "services", name)
		if loc.Depth != 2 || loc.Node == nil {
			continue
		}
		if def == nil || loc.Node.Tag == "!override" {
			def, defLoc = f, loc
		}
	}
	if def == nil || defLoc.Node.Kind != yaml.MappingNode || transform.IsAliased(def.Source(), defLoc.Node) {
		return nil, nil
	}
	return def, &defLoc
}

// replacedAfter reports whether a file after f replaces key of the
// service whole (`volumes: !override [...]` or `!reset`): what a fix adds
// to the key in f would then not reach the project as linted, and adding
// it to the later file alone would miss the runs without it, so the fix
// is withheld.
func replacedAfter(p *project.Project, f *project.File, service string, keys ...string) bool {
	after := false
	for _, g := range p.Files {
		if g == f {
			after = true
			continue
		}
		if !after {
			continue
		}
		for _, key := range keys {
			loc := p.LocateIn(g, "services", service, key)
			if loc.Depth == 3 && loc.Node != nil && (loc.Node.Tag == "!override" || loc.Node.Tag == "!reset") {
				return true
			}
		}
	}
	return false
}

// envFileNode finds where a fix that replaces what an env file gives a
// service goes: the first of the project's files whose services.<name>
// loads the file abs with env_file, which is the file the runs that load
// it share. A run without that file does not load the env file, so it
// must not get the secret either. nil when no file names it plainly (an
// interpolated path, an extends base, an include) or the mapping is
// shared through an anchor.
func envFileNode(p *project.Project, name, abs string) (*project.File, *project.Loc) {
	for _, f := range p.Files {
		loc := p.LocateIn(f, "services", name)
		if loc.Depth != 2 || loc.Node == nil || loc.Node.Kind != yaml.MappingNode {
			continue
		}
		if ef := p.LocateIn(f, "services", name, "env_file"); ef.Depth != 3 || !loadsEnvFile(p.Dir, ef.Node, abs) {
			continue
		}
		if transform.IsAliased(f.Source(), loc.Node) {
			return nil, nil
		}
		return f, &loc
	}
	return nil, nil
}

// loadsEnvFile reports whether an env_file value (a path, a list of paths
// or of {path: ...}) names abs. Relative paths resolve from the project
// directory, as compose resolves them in every -f file.
func loadsEnvFile(dir string, n *yaml.Node, abs string) bool {
	if n == nil {
		return false
	}
	n = resolveAlias(n)
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, it := range items {
		it = resolveAlias(it)
		if it.Kind == yaml.MappingNode {
			it = transform.Value(it, "path")
		}
		if it == nil || it.Kind != yaml.ScalarNode || strings.Contains(it.Value, "$") {
			continue
		}
		path := it.Value
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if filepath.Clean(path) == abs {
			return true
		}
	}
	return false
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}
