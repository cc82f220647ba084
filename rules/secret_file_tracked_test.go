package rules

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// In a temporary repository: a committed secret file gets the steps to
// untrack it, one git does not ignore gets a .gitignore line, an ignored
// one, a missing one and one outside any repository get nothing.
func TestSecretFileTrackedGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", `services:
  app:
    image: example/app
    secrets: [committed, loose, ignored, missing, odd-name]
secrets:
  committed:
    file: ./committed.txt
  loose:
    file: ./keys/loose.txt
  ignored:
    file: ./secrets/ignored.txt
  missing:
    file: ./keys/missing.txt
  odd-name:
    file: "./keys/#odd [1].txt"
`)
	for _, f := range []string{"committed.txt", "keys/loose.txt", "secrets/ignored.txt", "keys/#odd [1].txt"} {
		write(f, "s3cr3t")
	}
	var overlay map[string][]byte
	run := func() []lint.Finding {
		t.Helper()
		p, err := project.Load(context.Background(), project.Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, fixer.WithOverlay(project.Options{Environ: []string{}}, overlay))
		if err != nil {
			t.Fatal(err)
		}
		fs, err := lint.Check(p, knowledge.Default(), []*lint.Rule{SecretFileTracked}, lint.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	if fs := run(); len(fs) != 0 {
		t.Fatalf("outside a repository: %v", fs)
	}
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	write(".gitignore", "/secrets/\n")
	git("add", "committed.txt")
	type row struct {
		Path, App, Title string
		Writes           []lint.FileWrite
	}
	var got []row
	for _, f := range run() {
		r := row{Path: f.Path}
		if f.Fix != nil {
			r.App, r.Title, r.Writes = f.Fix.Applicability.String(), f.Fix.Title, f.Fix.Writes
		}
		got = append(got, r)
	}
	gitignore := filepath.Join(dir, ".gitignore")
	want := []row{
		{Path: "secrets.committed.file", App: "display-only", Title: "untrack ./committed.txt and ignore it"},
		{Path: "secrets.loose.file", App: "safe", Title: "add /keys/loose.txt to .gitignore",
			Writes: []lint.FileWrite{{Kind: lint.EnsureLine, Root: dir, Path: gitignore, Content: "/keys/loose.txt"}}},
		{Path: "secrets.odd-name.file", App: "safe", Title: `add /keys/#odd \[1\].txt to .gitignore`,
			Writes: []lint.FileWrite{{Kind: lint.EnsureLine, Root: dir, Path: gitignore, Content: `/keys/#odd \[1\].txt`}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// The .gitignore lines the fixes add make git ignore the files, and
	// the loader sees them already while the fixer holds them in memory.
	lines := "/secrets/\n/keys/loose.txt\n/keys/#odd \\[1\\].txt\n"
	overlay = map[string][]byte{gitignore: []byte(lines)}
	if fs := run(); len(fs) != 1 || fs[0].Path != "secrets.committed.file" {
		t.Errorf("with the pending .gitignore lines: %v", fs)
	}
	overlay = nil
	write(".gitignore", lines)
	if fs := run(); len(fs) != 1 || fs[0].Path != "secrets.committed.file" {
		t.Errorf("after the .gitignore lines: %v", fs)
	}
}

func TestGitignorePattern(t *testing.T) {
	for in, want := range map[string]string{
		"secrets/db.txt": "secrets/db.txt",
		"#x":             `\#x`,
		"!x":             `\!x`,
		"a*b?[c]":        `a\*b\?\[c\]`,
		"trailing ":      `trailing\ `,
		"in between.txt": "in between.txt",
	} {
		if got := project.GitignorePattern(in); got != want {
			t.Errorf("GitignorePattern(%q) = %q, want %q", in, got, want)
		}
	}
}

// A secret is not moved into a .env that git tracks: ignoring it would
// not untrack it, and the secret would be committed with the next change.
// The same project with an untracked .env gets the move.
func TestNoSecretMovedIntoCommittedDotEnv(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, tracked := range []bool{false, true} {
		dir := t.TempDir()
		compose := "services:\n  mq:\n    image: rabbitmq:3.13\n    environment:\n      RABBITMQ_DEFAULT_PASS: trackedEnvPw11\n"
		for name, content := range map[string]string{"compose.yaml": compose, ".env": "A=1\n"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git := func(args ...string) {
			t.Helper()
			cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
		git("init", "-q", ".")
		if tracked {
			git("add", ".env")
			git("commit", "-q", "-m", "env")
		}
		p, err := project.Load(context.Background(), project.Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, project.Options{Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if p.DotEnvGit.Tracked != tracked {
			t.Fatalf("tracked %v: DotEnvGit %+v", tracked, p.DotEnvGit)
		}
		fs, err := lint.Check(p, knowledge.Default(), []*lint.Rule{SecretInEnvironment}, lint.RunOptions{})
		if err != nil || len(fs) != 1 {
			t.Fatalf("tracked %v: findings %v, err %v", tracked, fs, err)
		}
		if got := fs[0].Fix != nil; got == tracked {
			t.Errorf(".env tracked %v: fix offered %v, want %v", tracked, got, !tracked)
		}
	}
}
