package project

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 13, item 7: git's answer, not a guess. A repository git refuses
// (its dubious-ownership check, made to fire with the variable git's own
// tests use: git >= 2.35.2 honours it) and a missing git are an unknown
// status, never "no repository"; a directory without .git is one.
func TestGitStatusRefusedMissingNoRepo(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	cmd := exec.Command("git", "-C", dir, "init", "-q")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	env := filepath.Join(dir, ".env")
	if err := os.WriteFile(env, []byte("A=b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cmd := exec.Command("git", "-C", dir, "add", ".env"); cmd.Run() != nil {
		t.Fatal("git add")
	}
	status := func() GitStatus {
		t.Helper()
		gitRoots.Clear() // the root of a refused repository must be asked again
		return gitStatuses(context.Background(), []string{env})[env]
	}
	if st := status(); !st.Tracked || st.Unknown || st.NoRepo {
		t.Fatalf("git answering: %+v, want tracked", st)
	}

	// No global or system config may trust the directory (safe.directory).
	global := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(global, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
	if out, err := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel").CombinedOutput(); err == nil || !strings.Contains(string(out), "dubious ownership") {
		t.Skipf("this git does not refuse the repository (%v): %s", err, out)
	}
	if st := status(); !st.Unknown || st.NoRepo || st.Tracked || !strings.Contains(st.Why, "another user") {
		t.Errorf("git refusing: %+v, want unknown because of the owner", st)
	}
	t.Setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "")

	t.Setenv("PATH", "")
	if st := status(); !st.Unknown || st.Why != "git is not installed" {
		t.Errorf("git missing: %+v, want unknown because git is not installed", st)
	}
	plain := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(plain, []byte("A=b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := gitStatuses(context.Background(), []string{plain})[plain]; !st.NoRepo || st.Unknown {
		t.Errorf("git missing, no .git: %+v, want no repository", st)
	}
}
