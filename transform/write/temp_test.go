package write

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// deadPid returns the pid of a process that has exited.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.Pid()
}

// TestTempFileCoveredByEnvIgnore: what a killed run leaves while writing
// .env is a file named .env (in .composure-tmp-<pid>-…/), which the
// ".env" ignore line covers; it was ..env.composure-NNNN, which git
// commits (issue 16, item 4).
func TestTempFileCoveredByEnvIgnore(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".env\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _, err := createTemp(dir, ".env") // never cleaned: a killed run
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	rel, _ := filepath.Rel(dir, f.Name())
	if !strings.HasPrefix(rel, tempPrefix) || filepath.Base(rel) != ".env" {
		t.Fatalf("temp file %s, want %s…/.env", rel, tempPrefix)
	}
	if err := exec.Command("git", "-C", dir, "check-ignore", "-q", "--no-index", "--", rel).Run(); err != nil {
		t.Errorf("git does not ignore the leftover %s with the .env line", rel)
	}
}

// TestStaleTempsRemoved: the next Replace in a directory removes what a
// dead run left there (and old-style temp files once stale), and keeps a
// live run's.
func TestStaleTempsRemoved(t *testing.T) {
	dir := t.TempDir()
	dead := filepath.Join(dir, tempPrefix+itoa(deadPid(t))+"-1")
	live := filepath.Join(dir, tempPrefix+itoa(os.Getppid())+"-1")
	for _, d := range []string{dead, live} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, ".env"), []byte("A=secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	legacy := filepath.Join(dir, "..env.composure-123456")
	if err := os.WriteFile(legacy, []byte("A=secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * LockStaleAfter)
	if err := os.Chtimes(legacy, old, old); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, ".env")
	if err := os.WriteFile(target, []byte("A=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Replace(dir, target, []byte("A=1\n"), []byte("A=2\n")); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{dead, legacy} {
		if _, err := os.Lstat(gone); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind (%v)", filepath.Base(gone), err)
		}
	}
	if _, err := os.Lstat(live); err != nil {
		t.Errorf("a live run's temp directory was removed: %v", err)
	}
}

// TestLockOfDeadProcessIsStale: a lock whose process is gone is taken
// over at once, not after LockStaleAfter (issue 16, item 4); a live
// one still locks.
func TestLockOfDeadProcessIsStale(t *testing.T) {
	host, _ := os.Hostname()
	for _, c := range []struct {
		pid    int
		locked bool
	}{{deadPid(t), false}, {os.Getppid(), true}} {
		dir := t.TempDir()
		content := "pid " + itoa(c.pid) + "\nhost " + host + "\nstarted now\ntoken 00\n"
		if err := os.WriteFile(filepath.Join(dir, LockName), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		unlock, err := Lock(dir)
		if got := errors.Is(err, ErrLocked); got != c.locked {
			t.Errorf("lock of pid %d: err %v, want locked %v", c.pid, err, c.locked)
		}
		if unlock != nil {
			unlock()
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
