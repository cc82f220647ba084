package project

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Issue 13, point 9: a .gitignore line is needless where a .gitignore of
// the repository (the root's, for a nested project) or the same file
// already ignores the path; git's own answer decides in a work tree.
func TestAlreadyIgnored(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	top := t.TempDir()
	app := filepath.Join(top, "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		root, nested, line string
		want               bool
	}{
		{"secrets/\n", "", "/secrets/", true},
		{"/secrets/\n", "", "/secrets/", false}, // anchored at the top, not app/
		{"", ".env*\n", ".env", true},
		{"*.env\n", "", ".env", true},
		{".env*\n", "!.env\n", ".env", false},
		{"", "", "/secrets/", false},
		{"app/\n", "", "/secrets/", true},
		{"secrets\n", "", "/secrets/", true},
		{"secrets/\n", "", "/secrets\\[1\\]/", false},
	}
	check := func(repo bool) {
		for _, c := range cases {
			write(filepath.Join(top, ".gitignore"), c.root)
			write(filepath.Join(app, ".gitignore"), c.nested)
			want := c.want
			if !repo && c.root != "" {
				want = false // outside a work tree only the file itself is read
			}
			if got := AlreadyIgnored(context.Background(), filepath.Join(app, ".gitignore"), c.line); got != want {
				t.Errorf("repo %v, root %q, nested %q: AlreadyIgnored(%q) = %v, want %v", repo, c.root, c.nested, c.line, got, want)
			}
		}
	}
	check(false)
	if out, err := exec.Command("git", "-C", top, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	check(true)
}
