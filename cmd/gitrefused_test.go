package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 13, item 7: when git refuses the repository (dubious ownership,
// made to fire with the variable git's tests use), fix moves no secret
// into the .env git may track, lint does not pass a committed secret file
// off as fine, and both say why once.
func TestGitRefusedRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	write := func(name, text string) { must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)) }
	write("compose.yaml", `services:
  app:
    image: example/app:1
    environment:
      API_SECRET: Zx9Qw7Er5Ty3Ui1Op
    secrets: [key]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: Kq2Lm3Np4Rs5Tu6V
secrets:
  key:
    file: ./key.txt
`)
	write(".env", "OTHER=1\n")
	write("key.txt", "k\n")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".env", "key.txt", "compose.yaml")

	// git answering: the committed key.txt is reported.
	out, _, _ := execute(false, "lint", "--format", "json", dir)
	if !strings.Contains(out, `"rule": "secret-file-tracked"`) {
		t.Fatalf("git answering: no secret-file-tracked finding, the test would be vacuous:\n%s", out)
	}

	global := filepath.Join(t.TempDir(), "gitconfig")
	must(t, os.WriteFile(global, nil, 0o644))
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
	if out, err := exec.Command("git", "-C", dir, "status").CombinedOutput(); err == nil || !strings.Contains(string(out), "dubious ownership") {
		t.Skipf("this git does not refuse the repository (%v): %s", err, out)
	}
	const note = "git refuses the repository"
	out, errOut, _ := execute(false, "lint", "--format", "json", dir)
	if strings.Contains(out, `"rule": "secret-file-tracked"`) {
		t.Errorf("git refusing: secret-file-tracked reported as if git had answered:\n%s", out)
	}
	if n := strings.Count(errOut, note); n != 1 {
		t.Errorf("lint says %d times that git refuses the repository, want once:\n%s", n, errOut)
	}
	out, errOut, _ = execute(false, "fix", "--diff", dir)
	if strings.Contains(out, "API_SECRET:?") || strings.Contains(errOut, "to "+filepath.Join(dir, ".env")+"\n") {
		t.Errorf("git refusing: a secret moves into the .env git may track:\n%s%s", out, errOut)
	}
	if !strings.Contains(out, "+      POSTGRES_PASSWORD_FILE: /run/secrets/") {
		t.Errorf("git refusing: the secret with a _FILE variable does not move into a new secret file:\n%s%s", out, errOut)
	}
	if n := strings.Count(errOut, note); n != 1 {
		t.Errorf("fix says %d times that git refuses the repository, want once:\n%s", n, errOut)
	}
}
