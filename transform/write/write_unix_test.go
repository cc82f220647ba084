//go:build unix

package write

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// within fails the test when fn does not return within a few seconds
// (opening a FIFO for reading would block forever).
func within(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("blocked (on a FIFO?)")
	}
}

func TestFIFOIsNotRegular(t *testing.T) {
	root := tempRoot(t)
	fifo := filepath.Join(root, "compose.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(root, "link.yaml")
	symlink(t, "compose.yaml", link)
	within(t, func() {
		assertIs(t, Replace(root, fifo, nil, []byte("x")), ErrNotRegular)
		assertIs(t, Replace(root, link, nil, []byte("x")), ErrNotRegular)
		assertIs(t, CreateSecret(root, fifo, []byte("x")), ErrNotRegular)
		_, err := EnsureLine(root, fifo, "x", 0o644)
		assertIs(t, err, ErrNotRegular)
		_, err = DeleteLine(root, fifo, "x\n")
		assertIs(t, err, ErrNotRegular)
	})
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced (%v)", err)
	}
	assertNoTemp(t, root)
}

// TestReadRegularRefusesFIFO checks the last line of defence: a FIFO that
// appears after the Lstat checks is refused by the open, without blocking.
func TestReadRegularRefusesFIFO(t *testing.T) {
	root := tempRoot(t)
	fifo := filepath.Join(root, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	within(t, func() {
		_, err := readRegular(fifo)
		assertIs(t, err, ErrNotRegular)
	})
	// And a symlink in the last component is not followed.
	put(t, filepath.Join(root, "file"), "x", 0o644)
	symlink(t, "file", filepath.Join(root, "link"))
	if _, err := readRegular(filepath.Join(root, "link")); err == nil {
		t.Fatal("readRegular followed a symlink")
	}
}

func TestReplacePreservesOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	root := tempRoot(t)
	path := filepath.Join(root, "compose.yaml")
	put(t, path, "a\n", 0o640)
	const uid, gid = 12345, 23456
	if err := os.Chown(path, uid, gid); err != nil {
		t.Skipf("chown: %v", err)
	}
	if err := Replace(root, path, []byte("a\n"), []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != uid || st.Gid != gid {
		t.Fatalf("owner = %d:%d, want %d:%d", st.Uid, st.Gid, uid, gid)
	}
	assertMode(t, path, 0o640)
	assertContent(t, path, "b\n")
}
