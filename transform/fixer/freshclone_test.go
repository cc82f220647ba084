package fixer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/lint"
)

// FreshClones groups the moved secrets by project, takes the variable
// name (never the value) from a .env line, and leaves out the writes of a
// change that was refused: nothing of it reached the disk.
func TestFreshClones(t *testing.T) {
	res := &Result{
		Changes: []*Change{
			{Path: "a/compose.yaml", Writes: []lint.FileWrite{
				{Kind: lint.EnsureLine, Root: "/p/a", Path: "/p/a/.gitignore", Content: ".env"},
				{Kind: lint.EnsureLine, Root: "/p/a", Path: "/p/a/.env", Content: "TOKEN='v4lue'", Secret: true},
				{Kind: lint.EnsureLine, Root: "/p/a", Path: "/p/a/.env", Content: `API_KEY="x\ny"`, Secret: true},
				{Kind: lint.EnsureLine, Root: "/p/a", Path: "/p/a/.env.sample", Content: "TOKEN="},
				{Kind: lint.CreateSecret, Root: "/p/a", Path: "/p/a/secrets/db-pw", Content: "s3cret", Secret: true},
			}},
			{Path: "b/compose.yaml", Writes: []lint.FileWrite{
				{Kind: lint.CreateSecret, Root: "/p/b", Path: "/p/b/secrets/x", Content: "s3cret", Secret: true},
			}},
			{Path: "c/compose.yaml", Writes: []lint.FileWrite{ // volumes only
				{Kind: lint.EnsureLine, Root: "/p/c", Path: "/p/c/.gitignore", Content: "/data/"},
			}},
		},
		Refused: []Refusal{{File: "b/compose.yaml", Reason: "changed meanwhile"}},
	}
	want := []FreshClone{{Dir: "/p/a", EnvFile: "/p/a/.env", Vars: []string{"API_KEY", "TOKEN"}, Files: []string{"/p/a/secrets/db-pw"}, Template: "/p/a/.env.sample"}}
	if diff := cmp.Diff(want, res.FreshClones()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
