package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 13, point 9: fix adds no .gitignore line that a .gitignore
// already covers: no nested .gitignore in a project whose repository's
// root one ignores secrets/, no ".env" under ".env*".
func TestFixAddsNoCoveredIgnoreLine(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	top := t.TempDir()
	app := filepath.Join(top, "app")
	must(t, os.MkdirAll(app, 0o755))
	if out, err := exec.Command("git", "-C", top, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	must(t, os.WriteFile(filepath.Join(top, ".gitignore"), []byte("secrets/\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(app, "compose.yaml"), []byte(`services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: Kq2Lm3Np4Rs5Tu6V
`), 0o644))
	web := filepath.Join(top, "web")
	must(t, os.MkdirAll(web, 0o755))
	must(t, os.WriteFile(filepath.Join(web, ".gitignore"), []byte(".env*\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(web, "compose.yaml"), []byte(`services:
  app:
    image: example/app:1
    environment:
      API_SECRET: Zx9Qw7Er5Ty3Ui1Op
`), 0o644))
	for _, dir := range []string{app, web} {
		if _, errOut, code := execute(false, "fix", dir); code == ExitInternal || code == ExitIncomplete {
			t.Fatalf("fix %s: exit %d\n%s", dir, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(app, "secrets", "db-postgres-password")); err != nil {
		t.Fatalf("the secret did not move (the test would be vacuous): %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(app, ".gitignore")); err == nil {
		t.Errorf("fix created app/.gitignore although the root one ignores secrets/:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(web, ".env")); err != nil {
		t.Fatalf("the secret did not move to .env (the test would be vacuous): %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(web, ".gitignore")); string(b) != ".env*\n" {
		t.Errorf("fix appended to a .gitignore whose .env* covers .env:\n%s", b)
	}
	// git agrees that nothing it should not see is left for a commit.
	out, err := exec.Command("git", "-C", top, "status", "--porcelain", "--untracked-files=all").CombinedOutput()
	if err != nil {
		t.Fatalf("git status: %v\n%s", err, out)
	}
	for _, secret := range []string{"app/secrets/", "web/.env"} {
		if strings.Contains("\n"+string(out), "\n?? "+secret) {
			t.Errorf("git would commit %s:\n%s", secret, out)
		}
	}
}
