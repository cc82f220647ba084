package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixInput = `# the app's database
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: "s3cr3t-Pa55word" # keep this comment
  app:
    image: example/app:1
    environment:
      - API_KEY=ak_live_0123456789abcdef
`

func fixProject(t *testing.T) (dir, compose string) {
	t.Helper()
	dir = t.TempDir()
	compose = filepath.Join(dir, "compose.yaml")
	must(t, os.WriteFile(compose, []byte(fixInput), 0o640))
	return dir, compose
}

func TestFixEndToEnd(t *testing.T) {
	dir, compose := fixProject(t)
	out, errOut, code := run(t, "fix", dir)
	if code != ExitFindings { // the app's key still reaches its container as an env var: a warning
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFindings, out, errOut)
	}
	got, _ := os.ReadFile(compose)
	for _, want := range []string{
		"# the app's database",
		"POSTGRES_PASSWORD_FILE: /run/secrets/db-postgres-password # keep this comment",
		"- db-data:/var/lib/postgresql/data",
		"- API_KEY=${API_KEY:?API_KEY is not set}",
		"file: ./secrets/db-postgres-password",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("fixed file lacks %q:\n%s", want, got)
		}
	}
	if st, _ := os.Stat(compose); st.Mode().Perm() != 0o640 {
		t.Errorf("compose file mode %v, want 0640 kept", st.Mode().Perm())
	}
	secret := filepath.Join(dir, "secrets", "db-postgres-password")
	if b, err := os.ReadFile(secret); err != nil || string(b) != "s3cr3t-Pa55word" {
		t.Errorf("secret file: %q, %v", b, err)
	}
	if st, err := os.Stat(secret); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode: %v, %v", st, err)
	}
	env, _ := os.ReadFile(filepath.Join(dir, ".env"))
	if string(env) != "API_KEY='ak_live_0123456789abcdef'\n" {
		t.Errorf(".env = %q", env)
	}
	ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if !strings.Contains(string(ignore), "/secrets/\n") || !strings.Contains(string(ignore), ".env\n") {
		t.Errorf(".gitignore = %q", ignore)
	}
	for _, s := range []string{"s3cr3t-Pa55word", "ak_live_0123456789abcdef"} {
		if strings.Contains(out+errOut, s) {
			t.Errorf("output shows the secret %q", s)
		}
	}
	if !strings.Contains(errOut, "docker volume create") {
		t.Errorf("no migration note for the new volume:\n%s", errOut)
	}
	// A second run changes nothing.
	_, errOut, _ = run(t, "fix", dir)
	again, _ := os.ReadFile(compose)
	if string(again) != string(got) || !strings.Contains(errOut, "nothing to fix") {
		t.Errorf("second run changed the file or did not say so: %s", errOut)
	}
}

func TestFixDiffWritesNothing(t *testing.T) {
	dir, compose := fixProject(t)
	out, errOut, _ := run(t, "fix", "--diff", dir)
	if !strings.Contains(out, "+      POSTGRES_PASSWORD_FILE: /run/secrets/db-postgres-password") || !strings.Contains(out, "--- a/") {
		t.Errorf("no diff:\n%s", out)
	}
	if strings.Contains(out+errOut, "s3cr3t-Pa55word") || strings.Contains(out+errOut, "ak_live_0123456789abcdef") {
		t.Errorf("diff output shows a secret:\n%s\n%s", out, errOut)
	}
	if got, _ := os.ReadFile(compose); string(got) != fixInput {
		t.Error("--diff changed the file")
	}
	for _, p := range []string{"secrets", ".env", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("--diff created %s", p)
		}
	}
}

func TestFixExternal(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	must(t, os.WriteFile(compose, []byte("name: shop\nservices:\n  db:\n    image: mariadb:11\n"), 0o644))
	_, errOut, _ := run(t, "fix", "--external", dir)
	got, _ := os.ReadFile(compose)
	if !strings.Contains(string(got), "external: true") || !strings.Contains(string(got), "name: shop_db-data") {
		t.Errorf("not declared external:\n%s", got)
	}
	if !strings.Contains(errOut, "docker volume create shop_db-data") {
		t.Errorf("no create command:\n%s", errOut)
	}
}

func TestFixBadSecretsDir(t *testing.T) {
	dir, compose := fixProject(t)
	for _, bad := range []string{"../elsewhere", "/etc", "."} {
		if _, _, code := run(t, "fix", "--secrets-dir", bad, dir); code != ExitIncomplete {
			t.Errorf("--secrets-dir %s: exit %d, want %d", bad, code, ExitIncomplete)
		}
	}
	if got, _ := os.ReadFile(compose); string(got) != fixInput {
		t.Error("a refused run changed the file")
	}
}
