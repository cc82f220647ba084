//go:build unix

package write

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// accessChildEnv names the directory a child test process, run as
// nobody, replaces compose.yaml in.
const accessChildEnv = "COMPOSURE_ACCESS_CHILD"

// TestReplaceRefusesWhatTheUserCannotWrite: a root-owned 0644 file in a
// directory the user owns could be renamed over (the directory is
// writable), and the file would become the user's. Replace refuses it,
// as the user could not write it in place (issue 16, item 12). Run as
// root, the test re-runs itself as nobody with setpriv.
func TestReplaceRefusesWhatTheUserCannotWrite(t *testing.T) {
	if dir := os.Getenv(accessChildEnv); dir != "" {
		path := filepath.Join(dir, "compose.yaml")
		err := Replace(dir, path, []byte("a: 1\n"), []byte("a: 2\n"))
		if !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Replace as nobody: %v, want ErrReadOnly", err)
		}
		if err := Writable(path); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Writable as nobody: %v, want ErrReadOnly", err)
		}
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a file of another user")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("no setpriv")
	}
	const nobody = 65534
	base := t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} { // t.TempDir's, 0700
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for d := filepath.Dir(base); d != "/"; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err != nil || st.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is not searchable by others", d)
		}
	}
	dir := filepath.Join(base, "project")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(path, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The test binary may sit in a directory only root can enter.
	bin := filepath.Join(base, "write.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-test.run=^TestReplaceRefusesWhatTheUserCannotWrite$", "-test.count=1")
	cmd.Env = append(os.Environ(), accessChildEnv+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("as nobody: %v\n%s", err, out)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a: 1\n" || st.Sys() == nil {
		t.Errorf("compose.yaml = %q, want it untouched", b)
	}
	if uid := ownerOf(st); uid != 0 {
		t.Errorf("compose.yaml now belongs to uid %d", uid)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func ownerOf(fi os.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}
