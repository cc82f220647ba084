package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules"
)

// shippedSchema compiles docs/composure.schema.json, the file editors
// fetch (docs/gen's test fails when it differs from Schema()).
func shippedSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(SchemaFile)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(SchemaURL("main"), doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(SchemaURL("main"))
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlInstance reads YAML as the JSON value an editor validates.
func yamlInstance(t *testing.T, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestSchemaAcceptsStarterAndExamples(t *testing.T) {
	sch := shippedSchema(t)
	for name, src := range map[string]string{
		"starter": SchemaComment("main") + Starter(rules.All()),
		"readme example": `rules:
  fixed-container-name: off
  secret-in-environment:
    severity: warning
    allow-names: [DEMO_*]
ignore:
  - rule: stateful-volume-missing
    path-glob: "test/**"
    reason: throwaway databases in integration tests
stateful-images:
  - image: registry.example.com/team/*-db
    data-paths: [/var/lib/app]
`,
	} {
		if _, err := Parse("x", []byte(src), rules.All()); err != nil {
			t.Fatalf("%s: Parse rejects it: %v", name, err)
		}
		if err := sch.Validate(yamlInstance(t, src)); err != nil {
			t.Errorf("%s does not validate:\n%v", name, err)
		}
	}
}

func TestSchemaRejectsWrongConfigs(t *testing.T) {
	sch := shippedSchema(t)
	for name, src := range map[string]string{
		"unknown key":        "rulez: {}\n",
		"bad images mode":    "images: docker\n",
		"unknown rule":       "rules:\n  stateful-volume-mising: off\n",
		"bad severity":       "rules:\n  anonymous-volume: fatal\n",
		"unknown option":     "rules:\n  secret-in-environment:\n    allow-name: [X]\n",
		"ignore no reason":   "ignore:\n  - rule: anonymous-volume\n",
		"ignore everything":  "ignore:\n  - reason: all of it\n",
		"relative data path": "stateful-images:\n  - image: x\n    data-paths: [var/lib/x]\n",
	} {
		if _, err := Parse("x", []byte(src), rules.All()); err == nil {
			t.Errorf("%s: Parse accepts it; the case is wrong", name)
		}
		err := sch.Validate(yamlInstance(t, src))
		if err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
	if !strings.HasPrefix(SchemaComment("v1.2.3"), "# yaml-language-server: $schema=https://raw.githubusercontent.com/composure-dev/composure/v1.2.3/docs/composure.schema.json") {
		t.Errorf("SchemaComment = %q", SchemaComment("v1.2.3"))
	}
}
