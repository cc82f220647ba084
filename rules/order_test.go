package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// What rules share (the names fixes allocate) does not depend on the
// order the catalogue lists them in: a data volume and an anonymous
// volume of one service both want elasticsearch-data, and the same fix
// gets it however the registry is ordered.
func TestGeneratedNamesIndependentOfRegistryOrder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "compose.yaml")
	src := "services:\n  elasticsearch:\n    image: elasticsearch:8.15.0\n    volumes:\n      - /var/lib/elasticsearch/data\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(context.Background(), project.Spec{Files: []string{path}, Dir: dir}, project.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	titles := func(rs []*lint.Rule) []string {
		fs, err := lint.Check(p, knowledge.Default(), rs, lint.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			if f.Fix != nil {
				out = append(out, f.Rule+": "+f.Fix.Title)
			}
		}
		return out
	}
	forward := titles(rules.All())
	if len(forward) < 2 {
		t.Fatalf("fixes %q: the test needs two fixes that want one name", forward)
	}
	backward := rules.All()
	slices.Reverse(backward)
	if diff := cmp.Diff(forward, titles(backward)); diff != "" {
		t.Errorf("fix names depend on the registry's order (-forward +reversed):\n%s", diff)
	}
}
