package gen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocsCurrent fails when docs/ differs from what the rule values
// render: run `go generate ./...` and commit the result.
func TestDocsCurrent(t *testing.T) {
	for name, want := range Pages() {
		got, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./...)", name, err)
			continue
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("docs/%s is stale (run go generate ./...):\n%s", name, diff)
		}
	}
	entries, err := os.ReadDir(filepath.Join("..", "rules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := Pages()[filepath.Join("rules", e.Name())]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule: delete it", e.Name())
		}
	}
}

// TestReadmeRuleTable fails when the README's rule table differs from the
// catalogue: run `go generate ./...` and commit the result.
func TestReadmeRuleTable(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := WithRuleTable(string(got))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("README.md's rule table is stale (run go generate ./...):\n%s", diff)
	}
}
