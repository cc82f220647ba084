package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// writeProject writes files into a temp dir and prepares a pass of r.
func writeProject(t *testing.T, files map[string]string, r *lint.Rule) *lint.Pass {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Load(context.Background(), project.Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, project.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	k := knowledge.Default()
	return lint.NewPass(r, p, k, lint.RunOptions{})
}

const dupCompose = "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n"

// TestDuplicateKeysNotMoved: compose uses the last of a key set twice,
// in an env file or an environment list. Moving one would leave the other
// or bring it back, so no fix moves either; the live one is reported
// (issue 16, item 7).
func TestDuplicateKeysNotMoved(t *testing.T) {
	pass := writeProject(t, map[string]string{
		"compose.yaml": dupCompose,
		"db.env":       "POSTGRES_PASSWORD=Dead9Qw7Er5Ty3\nPOSTGRES_PASSWORD=Live9Qw7Er5Ty3\n",
	}, SecretInEnvFile)
	checkSecretInEnvFile(pass)
	if len(pass.Findings()) != 2 {
		t.Fatalf("findings %d, want both lines reported", len(pass.Findings()))
	}
	for _, f := range pass.Findings() {
		if f.Fix != nil {
			t.Errorf("%s: fix %q moves one of two values of a key", f.Pos, f.Fix.Title)
		}
	}

	pass = writeProject(t, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=Dead9Qw7Er5Ty3\n      - POSTGRES_PASSWORD=Live9Qw7Er5Ty3\n",
	}, SecretInEnvironment)
	SecretInEnvironment.Check(pass)
	if len(pass.Findings()) != 1 {
		t.Fatalf("findings %+v, want one", pass.Findings())
	}
	f := pass.Findings()[0]
	if f.Pos.Line != 6 || f.Fix != nil || !strings.Contains(f.Message, "Li****") {
		t.Errorf("finding at line %d, fix %v, %q; want the live item (line 6) and no fix", f.Pos.Line, f.Fix, f.Message)
	}
}

// TestEnvLineWithMoreThanItsEntry: compose-go reads text after a closing
// quote as another statement; deleting the line would lose it, so the
// entry is not moved (issue 16, item 8).
func TestEnvLineWithMoreThanItsEntry(t *testing.T) {
	for _, env := range []string{
		"POSTGRES_PASSWORD=\"Zx9Qw7\"Er5Ty3\n",
		"POSTGRES_PASSWORD=\"Zx9Qw7Er5Ty3\" OTHER=1\n",
		"B=\"x\" C=\"y\nPOSTGRES_PASSWORD=Zx9Qw7Er5Ty3\n\"\n",
	} {
		pass := writeProject(t, map[string]string{"compose.yaml": dupCompose, "db.env": env}, SecretInEnvFile)
		checkSecretInEnvFile(pass)
		for _, f := range pass.Findings() {
			if f.Fix != nil {
				t.Errorf("%q: %s: fix %q would delete what it did not move", env, f.Pos, f.Fix.Title)
			}
		}
	}
	// The control: a line that is its entry alone is moved.
	pass := writeProject(t, map[string]string{"compose.yaml": dupCompose, "db.env": "POSTGRES_PASSWORD=\"Zx9Qw7Er5Ty3\" # ok\n"}, SecretInEnvFile)
	checkSecretInEnvFile(pass)
	if len(pass.Findings()) != 1 || pass.Findings()[0].Fix == nil {
		t.Errorf("a plain entry: findings %+v, want one with a fix", pass.Findings())
	}
}
