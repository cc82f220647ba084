package write

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ---- helpers ----

// tempRoot returns a fresh project root, with its symlinks resolved (on
// some systems the temp dir itself is behind a symlink).
func tempRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// put writes a file with exactly the given mode (regardless of umask).
func put(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Fatalf("%s content mismatch (-want +got):\n%s", path, diff)
	}
}

func assertMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky); got != want {
		t.Fatalf("%s mode = %v, want %v", path, got, want)
	}
}

func assertNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s exists (or Lstat failed: %v), want it absent", path, err)
	}
}

// assertNoTemp fails when a temp file of Replace is left in dir.
func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".composure-") {
			t.Fatalf("temp file %s left in %s", e.Name(), dir)
		}
	}
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func assertIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want one that is %v", err, target)
	}
}

var errInjected = errors.New("injected write failure")

// failHalfway makes every content write stop after half the bytes with an
// error, for the duration of the test.
func failHalfway(t *testing.T) {
	t.Helper()
	old := writeData
	writeData = func(f *os.File, data []byte) (int, error) {
		n, err := f.Write(data[:len(data)/2])
		if err != nil {
			return n, err
		}
		return n, errInjected
	}
	t.Cleanup(func() { writeData = old })
}

func skipIfRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions are not enforced")
	}
}

// ---- Replace ----

func TestReplace(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "compose.yaml")
	put(t, path, "services: {}\n", 0o644)
	if err := Replace(root, path, []byte("services: {}\n"), []byte("services:\n  db: {}\n")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "services:\n  db: {}\n")
	assertNoTemp(t, root)
	if diff := cmp.Diff([]string{"compose.yaml"}, dirNames(t, root)); diff != "" {
		t.Fatalf("directory content (-want +got):\n%s", diff)
	}
}

func TestReplaceRelativePaths(t *testing.T) {
	root := tempRoot(t)
	put(t, filepath.Join(root, "sub", "compose.yaml"), "a\n", 0o644)
	t.Chdir(root)
	if err := Replace(".", filepath.Join("sub", "compose.yaml"), []byte("a\n"), []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(root, "sub", "compose.yaml"), "b\n")
}

func TestReplaceRootBehindSymlink(t *testing.T) {
	base := tempRoot(t)
	real := filepath.Join(base, "real")
	put(t, filepath.Join(real, "compose.yaml"), "a\n", 0o644)
	link := filepath.Join(base, "link")
	symlink(t, real, link)
	// Root through the symlink, path through the real directory, and the
	// other way round.
	if err := Replace(link, filepath.Join(real, "compose.yaml"), []byte("a\n"), []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	if err := Replace(real, filepath.Join(link, "compose.yaml"), []byte("b\n"), []byte("c\n")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(real, "compose.yaml"), "c\n")
}

func TestReplacePreservesMode(t *testing.T) {
	for _, mode := range []fs.FileMode{0o640, 0o600, 0o755, fs.ModeSetgid | 0o750} {
		t.Run(mode.String(), func(t *testing.T) {
			root := tempRoot(t)
			path := filepath.Join(root, "f")
			put(t, path, "old\n", mode)
			assertMode(t, path, mode)
			if err := Replace(root, path, []byte("old\n"), []byte("new\n")); err != nil {
				t.Fatal(err)
			}
			assertContent(t, path, "new\n")
			assertMode(t, path, mode)
		})
	}
}

// A read-only file is refused, also for root, and stays as it is.
func TestReplaceRefusesReadOnly(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "f")
	put(t, path, "old\n", 0o444)
	if err := Replace(root, path, []byte("old\n"), []byte("new\n")); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("err = %v, want ErrReadOnly", err)
	}
	assertContent(t, path, "old\n")
	assertMode(t, path, 0o444)
}

func TestReplaceEmptyContents(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "f")
	put(t, path, "", 0o644)
	if err := Replace(root, path, nil, []byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if err := Replace(root, path, []byte("x\n"), nil); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "")
}

func TestReplaceChangedSinceRead(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "compose.yaml")
	put(t, path, "edited by the user\n", 0o644)
	err := Replace(root, path, []byte("what composure read\n"), []byte("fixed\n"))
	assertIs(t, err, ErrChanged)
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "changed since it was read") {
		t.Errorf("error message %q should name the file and the reason", err)
	}
	assertContent(t, path, "edited by the user\n")
	assertNoTemp(t, root)
}

// TestReplaceChangedDuringWrite changes the file while the temp file is
// being written: the comparison after the write must catch it.
func TestReplaceChangedDuringWrite(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "compose.yaml")
	put(t, path, "v1\n", 0o644)
	old := writeData
	writeData = func(f *os.File, data []byte) (int, error) {
		if err := os.WriteFile(path, []byte("v2 by the editor\n"), 0o644); err != nil {
			t.Error(err)
		}
		return f.Write(data)
	}
	t.Cleanup(func() { writeData = old })
	err := Replace(root, path, []byte("v1\n"), []byte("fixed\n"))
	assertIs(t, err, ErrChanged)
	assertContent(t, path, "v2 by the editor\n")
	assertNoTemp(t, root)
}

func TestReplaceSameDataIsNoOp(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "f")
	put(t, path, "same\n", 0o644)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Replace(root, path, []byte("same\n"), []byte("same\n")); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Fatal("file was rewritten although data equals expected")
	}
	// The comparison is still made.
	assertIs(t, Replace(root, path, []byte("other\n"), []byte("other\n")), ErrChanged)
}

func TestReplaceFailingWrite(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "compose.yaml")
	original := strings.Repeat("original line\n", 1000)
	put(t, path, original, 0o640)
	failHalfway(t)
	err := Replace(root, path, []byte(original), []byte(strings.Repeat("new line\n", 1000)))
	assertIs(t, err, errInjected)
	assertContent(t, path, original)
	assertMode(t, path, 0o640)
	assertNoTemp(t, root)
	if diff := cmp.Diff([]string{"compose.yaml"}, dirNames(t, root)); diff != "" {
		t.Fatalf("directory content (-want +got):\n%s", diff)
	}
}

func TestReplaceShortWrite(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "f")
	put(t, path, "original\n", 0o644)
	old := writeData
	writeData = func(f *os.File, data []byte) (int, error) { return f.Write(data[:1]) }
	t.Cleanup(func() { writeData = old })
	err := Replace(root, path, []byte("original\n"), []byte("new content\n"))
	assertIs(t, err, io.ErrShortWrite)
	assertContent(t, path, "original\n")
	assertNoTemp(t, root)
}

func TestReplaceReadOnlyDirectory(t *testing.T) {
	skipIfRoot(t)
	root := tempRoot(t)
	dir := filepath.Join(root, "ro")
	path := filepath.Join(dir, "compose.yaml")
	put(t, path, "a\n", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	err := Replace(root, path, []byte("a\n"), []byte("b\n"))
	assertIs(t, err, fs.ErrPermission)
	assertContent(t, path, "a\n")
	assertNoTemp(t, dir)
}

func TestReplaceNotRegular(t *testing.T) {
	root := tempRoot(t)
	dir := filepath.Join(root, "dir")
	mkdir(t, dir)
	assertIs(t, Replace(root, dir, nil, []byte("x")), ErrNotRegular)
	// A symlink to a directory inside root.
	link := filepath.Join(root, "link")
	symlink(t, dir, link)
	assertIs(t, Replace(root, link, nil, []byte("x")), ErrNotRegular)
	// The root itself is not inside the root.
	assertIs(t, Replace(root, root, nil, []byte("x")), ErrOutside)
	assertNoTemp(t, root)
	assertNoTemp(t, dir)
}

func TestReplaceMissingFile(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "missing.yaml")
	assertIs(t, Replace(root, path, nil, []byte("x")), fs.ErrNotExist)
	assertNotExist(t, path)
}

func TestReplaceSymlinkInsideRoot(t *testing.T) {
	root := tempRoot(t)
	target := filepath.Join(root, "shared", "compose.yaml")
	put(t, target, "a\n", 0o640)
	link := filepath.Join(root, "compose.yaml")
	symlink(t, filepath.Join("shared", "compose.yaml"), link) // relative link
	if err := Replace(root, link, []byte("a\n"), []byte("b\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a regular file")
	}
	assertContent(t, target, "b\n")
	assertMode(t, target, 0o640)
	assertNoTemp(t, root)
	assertNoTemp(t, filepath.Dir(target))
}

func TestReplaceOutside(t *testing.T) {
	outside := tempRoot(t)
	outsideFile := filepath.Join(outside, "compose.yaml")
	put(t, outsideFile, "outside\n", 0o644)

	cases := map[string]func(root string) string{
		"symlink to a file outside": func(root string) string {
			link := filepath.Join(root, "compose.yaml")
			symlink(t, outsideFile, link)
			return link
		},
		"symlinked parent directory": func(root string) string {
			symlink(t, outside, filepath.Join(root, "linked"))
			return filepath.Join(root, "linked", "compose.yaml")
		},
		"dot-dot escaping root": func(root string) string {
			mkdir(t, filepath.Join(root, "sub"))
			rel, err := filepath.Rel(filepath.Join(root, "sub"), outsideFile)
			if err != nil {
				t.Fatal(err)
			}
			return filepath.Join(root, "sub") + string(filepath.Separator) + rel
		},
		"absolute path outside": func(root string) string { return outsideFile },
		"chain of symlinks ending outside": func(root string) string {
			symlink(t, outsideFile, filepath.Join(root, "b"))
			symlink(t, "b", filepath.Join(root, "a"))
			return filepath.Join(root, "a")
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			root := tempRoot(t)
			path := setup(root)
			err := Replace(root, path, []byte("outside\n"), []byte("pwned\n"))
			assertIs(t, err, ErrOutside)
			assertContent(t, outsideFile, "outside\n")
			assertNoTemp(t, outside)
			assertNoTemp(t, root)
		})
	}
}

func TestReplaceBadName(t *testing.T) {
	root := tempRoot(t)
	for _, name := range []string{"", "a\x00b", "a\nb", "a\rb"} {
		path := filepath.Join(root, name)
		if name == "" {
			path = ""
		}
		assertIs(t, Replace(root, path, nil, []byte("x")), ErrBadName)
	}
	if diff := cmp.Diff([]string(nil), dirNames(t, root)); diff != "" {
		t.Fatalf("directory content (-want +got):\n%s", diff)
	}
}

func TestReplaceBadRoot(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "f")
	put(t, path, "a\n", 0o644)
	for _, bad := range []string{"", filepath.Join(root, "missing"), path} {
		if err := Replace(bad, path, []byte("a\n"), []byte("b\n")); err == nil {
			t.Errorf("Replace with root %q succeeded", bad)
		}
	}
	assertContent(t, path, "a\n")
}

// ---- CreateSecret ----
