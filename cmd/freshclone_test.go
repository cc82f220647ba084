package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/project"
)

// What a fresh clone needs is said once per run, for every project the
// fixes moved a secret out of, with names and paths but never a value; the
// committed template lists the variables without their values.
func TestFixSaysWhatAFreshCloneNeeds(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "app"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "db"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "app", "compose.yaml"), []byte(
		"services:\n  app:\n    image: example/app:1\n    environment:\n      API_TOKEN: tok-live-9xq2v7\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "db", "compose.yaml"), []byte(
		"services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: db-pass-31\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data:\n"), 0o644))
	_, errOut, _ := run(t, "fix", dir)
	if n := strings.Count(errOut, "a fresh clone or a CI job"); n != 1 {
		t.Fatalf("said %d times, want once:\n%s", n, errOut)
	}
	for _, want := range []string{
		"set API_TOKEN in " + project.RelToWorkingDir(filepath.Join(dir, "app", ".env")) + " (",
		"; " + project.RelToWorkingDir(filepath.Join(dir, "app", ".env.example")) + " names them without values: commit it",
		"create " + project.RelToWorkingDir(filepath.Join(dir, "db", "secrets", "db-postgres-password")) + " holding the secret",
		"; " + project.RelToWorkingDir(filepath.Join(dir, "db", ".env.example")) + " names them",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "tok-live") || strings.Contains(errOut, "db-pass") {
		t.Errorf("a secret value in the output:\n%s", errOut)
	}
	example, err := os.ReadFile(filepath.Join(dir, "app", ".env.example"))
	if err != nil || string(example) != "API_TOKEN=\n" {
		t.Errorf("app/.env.example = %q, %v; want the name alone", example, err)
	}
	dbExample, _ := os.ReadFile(filepath.Join(dir, "db", ".env.example"))
	if !strings.Contains(string(dbExample), "# secrets/db-postgres-password:") || strings.Contains(string(dbExample), "db-pass") {
		t.Errorf("db/.env.example = %q; want the secret file named, no value", dbExample)
	}
	// A second run moves nothing: nothing to say.
	if _, errOut, _ = run(t, "fix", dir); strings.Contains(errOut, "fresh clone") {
		t.Errorf("second run:\n%s", errOut)
	}
}

// Moving a ${VAR:-default} is unsafe: the default is what a fresh clone
// and CI run with. It waits for --unsafe-fixes, which then says so.
func TestFixDefaultMoveIsUnsafe(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  app:\n    image: example/app:1\n    environment:\n      SESSION_SECRET: ${SESSION_SECRET:-dev-session-s3cret}\n"
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644))
	out, errOut, _ := run(t, "fix", "--format", "json", dir)
	if got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(got) != compose {
		t.Errorf("a safe run moved the default:\n%s", got)
	}
	if !strings.Contains(out, `"applicability": "unsafe"`) || strings.Contains(errOut, "fresh clone") {
		t.Errorf("want the finding left with an unsafe fix and nothing said about fresh clones:\n%s\n%s", out, errOut)
	}
	_, errOut, _ = run(t, "fix", "--unsafe-fixes", dir)
	if !strings.Contains(errOut, "set SESSION_SECRET in "+project.RelToWorkingDir(filepath.Join(dir, ".env"))) {
		t.Errorf("--unsafe-fixes: stderr lacks the fresh-clone line:\n%s", errOut)
	}
	if example, _ := os.ReadFile(filepath.Join(dir, ".env.example")); string(example) != "SESSION_SECRET=\n" {
		t.Errorf(".env.example = %q", example)
	}
}
