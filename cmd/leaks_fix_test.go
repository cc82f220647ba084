package cmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes dir a git work tree, or skips without git.
func gitRepo(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
}

// gitIgnored asks git whether it ignores rel in dir.
func gitIgnored(t *testing.T, dir, rel string) bool {
	t.Helper()
	return exec.Command("git", "-C", dir, "-c", "core.fsmonitor=false", "check-ignore", "-q", "--no-index", "--", rel).Run() == nil
}

// TestFixSecretsDirIgnoreEscaped: the .gitignore line for --secrets-dir
// matches that directory and nothing else, whatever its name holds (a
// glob character, a backslash): the secret file is ignored, a sibling
// directory is not (issue 16, item 11).
func TestFixSecretsDirIgnoreEscaped(t *testing.T) {
	for _, sd := range []string{"a[b", `a\b`, "*", "s?", "#s", "!s"} {
		dir := t.TempDir()
		gitRepo(t, dir)
		compose := "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Zx9Qw7Er5Ty3\n"
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "other"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, errOut, code := run(t, "fix", "--secrets-dir", sd, dir); code == ExitIncomplete || code == ExitInternal {
			t.Fatalf("--secrets-dir %q: exit %d: %s", sd, code, errOut)
		}
		secret := filepath.Join(sd, "db-postgres-password")
		if b, err := os.ReadFile(filepath.Join(dir, secret)); err != nil || string(b) != "Zx9Qw7Er5Ty3" {
			t.Fatalf("--secrets-dir %q: secret file %q: %v", sd, b, err)
		}
		gi, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
		if !gitIgnored(t, dir, secret) {
			t.Errorf("--secrets-dir %q: git does not ignore %s; .gitignore:\n%s", sd, secret, gi)
		}
		if gitIgnored(t, dir, "other/x") || gitIgnored(t, dir, "compose.yaml") {
			t.Errorf("--secrets-dir %q: the ignore line matches more than the directory; .gitignore:\n%s", sd, gi)
		}
		if strings.Contains(string(gi), "Zx9Q") {
			t.Errorf(".gitignore holds the secret")
		}
	}
}

// TestFixCancelledWritesNothing: a fix run cancelled (SIGINT, SIGTERM)
// before its writing starts writes nothing and says so, exit 2 (issue
// 16, item 4).
func TestFixCancelledWritesNothing(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Zx9Qw7Er5Ty3\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	root := NewRoot(io)
	root.SetArgs([]string{"fix", dir})
	err := root.ExecuteContext(ctx)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != ExitIncomplete || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("cancelled fix: %v, want exit %d, interrupted", err, ExitIncomplete)
	}
	names, _ := os.ReadDir(dir)
	if len(names) != 1 {
		t.Errorf("cancelled fix left %v, want compose.yaml alone", names)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(b) != compose {
		t.Errorf("compose.yaml changed")
	}
}

// TestFixSecretNameClash: two compose files in one folder, each with a
// service db and its own password. The second gets a free secret name
// (db-postgres-password-2) instead of being refused on every run, in the
// same run (the fixer gives it the next free name), and a refused file is
// not counted in the summary (issue 16, item 6).
func TestFixSecretNameClash(t *testing.T) {
	dir := t.TempDir()
	for name, pw := range map[string]string{"compose.yaml": "FirstPw9Qw7Er5", "docker-compose.prod.yml": "SecondPw9Qw7Er5"} {
		content := "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: " + pw + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The first run moves both, the second under a name of its own; none
	// is refused (exit 2), and a second run has nothing left to do.
	_, errOut, code := run(t, "fix", "--disable", "stateful-volume-missing", dir)
	if code == ExitIncomplete || !strings.Contains(errOut, "in 2 files") {
		t.Errorf("first fix: exit %d, want no refusal and both files counted:\n%s", code, errOut)
	}
	_, errOut, code = run(t, "fix", "--disable", "stateful-volume-missing", dir)
	if code != ExitOK || strings.Contains(errOut, "applied") {
		t.Fatalf("second fix: exit %d, want nothing left to apply\n%s", code, errOut)
	}
	for name, pw := range map[string]string{"compose.yaml": "FirstPw9Qw7Er5", "docker-compose.prod.yml": "SecondPw9Qw7Er5"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if strings.Contains(string(b), pw) {
			t.Errorf("%s still holds its password:\n%s", name, b)
			continue
		}
		i := strings.Index(string(b), "file: ./secrets/")
		if i < 0 {
			t.Errorf("%s declares no secret file:\n%s", name, b)
			continue
		}
		file := strings.Fields(string(b)[i+len("file: "):])[0]
		if got, _ := os.ReadFile(filepath.Join(dir, file)); string(got) != pw {
			t.Errorf("%s's secret file %s holds %q, want its password", name, file, got)
		}
	}
}

// TestFixEnvFileOutsideProject: an env file outside the project is never
// changed nor promised to be; its move is withheld, and the one inside
// the project is still made (issue 16, item 9).
func TestFixEnvFileOutsideProject(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "proj")
	files := map[string]string{
		filepath.Join(base, "shared.env"): "POSTGRES_PASSWORD=Shared9Qw7Er5\n",
		filepath.Join(dir, "db.env"):      "POSTGRES_PASSWORD=Inner9Qw7Er5\n",
		filepath.Join(dir, "compose.yaml"): "services:\n  db:\n    image: postgres:16\n    env_file: ../shared.env\n" +
			"  db2:\n    image: postgres:16\n    env_file: db.env\n",
	}
	for path, content := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, _ := run(t, "fix", "--diff", "--disable", "stateful-volume-missing", dir)
	if strings.Contains(out+errOut, "shared.env") && strings.Contains(out+errOut, "remove POSTGRES_PASSWORD from ../") {
		t.Errorf("fix --diff promises a change outside the project:\n%s%s", out, errOut)
	}
	if _, errOut, code := run(t, "fix", "--disable", "stateful-volume-missing", dir); code == ExitIncomplete || code == ExitInternal {
		t.Fatalf("fix: exit %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(base, "shared.env")); string(b) != files[filepath.Join(base, "shared.env")] {
		t.Errorf("shared.env outside the project was changed: %q", b)
	}
	compose, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	inner, _ := os.ReadFile(filepath.Join(dir, "db.env"))
	if strings.Contains(string(compose), "db-postgres-password") || !strings.Contains(string(compose), "db2-postgres-password") || strings.Contains(string(inner), "Inner9") {
		t.Errorf("want db2's secret moved and db's left:\ncompose.yaml:\n%s\ndb.env: %q", compose, inner)
	}
}

// TestFixRefusalsBeforeWriting: a refusal that can be known before
// writing (a .gitignore that is a directory; a compose file outside the
// --project-directory) leaves nothing written, not a secret file that no
// ignore line covers (issue 16, item 5).
func TestFixRefusalsBeforeWriting(t *testing.T) {
	compose := "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Zx9Qw7Er5Ty3\n      API_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".gitignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "fix", "--disable", "stateful-volume-missing", dir)
	if code != ExitIncomplete || !strings.Contains(errOut, "left untouched") {
		t.Errorf(".gitignore a directory: exit %d, want the refusal\n%s", code, errOut)
	}
	for _, name := range []string{"secrets", ".env"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			t.Errorf(".gitignore a directory: %s was written", name)
		}
	}

	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, d := range []string{a, b} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(a, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, _ = run(t, "fix", "--disable", "stateful-volume-missing", "--project-directory", b, "-f", filepath.Join(a, "compose.yaml"))
	if names, _ := os.ReadDir(b); len(names) != 0 {
		t.Errorf("--project-directory b -f a/compose.yaml wrote %v in b\n%s", names, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(a, "compose.yaml")); string(got) != compose {
		t.Errorf("a/compose.yaml changed")
	}
}
