package write

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

func TestCreateSecret(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "secrets", "db", "password.txt")
	if err := CreateSecret(root, path, []byte("s3cret")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "s3cret")
	assertMode(t, path, 0o600)
	// New directories: 0700, less the umask (which can only remove bits).
	for _, dir := range []string{filepath.Join(root, "secrets"), filepath.Join(root, "secrets", "db")} {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&^0o700 != 0 || perm&0o700 != 0o700 {
			t.Fatalf("%s mode = %v, want 0700", dir, perm)
		}
	}
}

func TestCreateSecretIdempotent(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "secret.txt")
	if err := CreateSecret(root, path, []byte("s3cret\n")); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := CreateSecret(root, path, []byte("s3cret\n")); err != nil {
		t.Fatalf("second identical CreateSecret: %v", err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Fatal("identical CreateSecret rewrote the file")
	}
	assertContent(t, path, "s3cret\n")
}

func TestCreateSecretNeverOverwrites(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "secret.txt")
	put(t, path, "the user's secret", 0o644)
	err := CreateSecret(root, path, []byte("another"))
	assertIs(t, err, ErrExists)
	assertContent(t, path, "the user's secret")
	assertMode(t, path, 0o644)
	// An existing empty file is not "the same" as some content either.
	empty := filepath.Join(root, "empty")
	put(t, empty, "", 0o600)
	assertIs(t, CreateSecret(root, empty, []byte("x")), ErrExists)
	assertContent(t, empty, "")
}

func TestCreateSecretEmptyContent(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, "empty")
	if err := CreateSecret(root, path, nil); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "")
	if err := CreateSecret(root, path, []byte{}); err != nil {
		t.Fatal(err)
	}
}

func TestCreateSecretSymlinkedParentInsideRoot(t *testing.T) {
	root := tempRoot(t)
	mkdir(t, filepath.Join(root, "real"))
	symlink(t, "real", filepath.Join(root, "link"))
	// A symlink to the root itself is inside too.
	symlink(t, ".", filepath.Join(root, "self"))
	if err := CreateSecret(root, filepath.Join(root, "link", "sub", "secret"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(root, "real", "sub", "secret"), "x")
	if err := CreateSecret(root, filepath.Join(root, "self", "top"), []byte("y")); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(root, "top"), "y")
}

func TestCreateSecretSymlinkFileName(t *testing.T) {
	root := tempRoot(t)
	put(t, filepath.Join(root, "real.txt"), "same", 0o600)
	symlink(t, "real.txt", filepath.Join(root, "link.txt"))
	if err := CreateSecret(root, filepath.Join(root, "link.txt"), []byte("same")); err != nil {
		t.Fatalf("symlink to an identical file inside root: %v", err)
	}
	assertIs(t, CreateSecret(root, filepath.Join(root, "link.txt"), []byte("other")), ErrExists)

	// A dangling symlink is something that exists: never written through.
	outside := tempRoot(t)
	symlink(t, filepath.Join(outside, "new.txt"), filepath.Join(root, "dangling"))
	assertIs(t, CreateSecret(root, filepath.Join(root, "dangling"), []byte("x")), ErrExists)
	assertNotExist(t, filepath.Join(outside, "new.txt"))
}

func TestCreateSecretOutside(t *testing.T) {
	cases := map[string]func(root, outside string) string{
		"dot-dot escaping root": func(root, outside string) string {
			return filepath.Join(root, "..", filepath.Base(outside), "secret")
		},
		"dot-dot inside the path": func(root, outside string) string {
			return root + "/a/../../" + filepath.Base(outside) + "/secret"
		},
		"absolute path outside": func(root, outside string) string {
			return filepath.Join(outside, "secret")
		},
		"root itself": func(root, outside string) string { return root },
		"symlinked parent leading outside": func(root, outside string) string {
			symlink(t, outside, filepath.Join(root, "linked"))
			return filepath.Join(root, "linked", "secret")
		},
		"symlinked parent deeper in the path": func(root, outside string) string {
			mkdir(t, filepath.Join(root, "a"))
			symlink(t, outside, filepath.Join(root, "a", "linked"))
			return filepath.Join(root, "a", "linked", "b", "c", "secret")
		},
		"relative symlink climbing out": func(root, outside string) string {
			symlink(t, filepath.Join("..", filepath.Base(outside)), filepath.Join(root, "up"))
			return filepath.Join(root, "up", "secret")
		},
		"file name is a symlink to outside": func(root, outside string) string {
			put(t, filepath.Join(outside, "secret"), "x", 0o600)
			symlink(t, filepath.Join(outside, "secret"), filepath.Join(root, "secret"))
			return filepath.Join(root, "secret")
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			parent := tempRoot(t)
			root := filepath.Join(parent, "project")
			outside := filepath.Join(parent, "elsewhere")
			mkdir(t, root)
			mkdir(t, outside)
			path := setup(root, outside)
			before := dirNames(t, outside)
			err := CreateSecret(root, path, []byte("x"))
			assertIs(t, err, ErrOutside)
			if diff := cmp.Diff(before, dirNames(t, outside)); diff != "" {
				t.Fatalf("something was created outside root (-before +after):\n%s", diff)
			}
			_, err = EnsureLine(root, path, "x", 0o644)
			assertIs(t, err, ErrOutside)
			if diff := cmp.Diff(before, dirNames(t, outside)); diff != "" {
				t.Fatalf("EnsureLine created something outside root (-before +after):\n%s", diff)
			}
		})
	}
}

func TestCreateSecretBadName(t *testing.T) {
	root := tempRoot(t)
	for _, name := range []string{"a\x00b", "a\nb", "a\rb", "dir\n/secret"} {
		err := CreateSecret(root, filepath.Join(root, name), []byte("x"))
		assertIs(t, err, ErrBadName)
		_, err = EnsureLine(root, filepath.Join(root, name), "x", 0o644)
		assertIs(t, err, ErrBadName)
	}
	assertIs(t, CreateSecret(root, "", []byte("x")), ErrBadName)
	if diff := cmp.Diff([]string(nil), dirNames(t, root)); diff != "" {
		t.Fatalf("directory content (-want +got):\n%s", diff)
	}
}

func TestCreateSecretNotRegular(t *testing.T) {
	root := tempRoot(t)
	mkdir(t, filepath.Join(root, "dir"))
	assertIs(t, CreateSecret(root, filepath.Join(root, "dir"), []byte("x")), ErrNotRegular)
}

func TestCreateSecretParentIsAFile(t *testing.T) {
	root := tempRoot(t)
	put(t, filepath.Join(root, "file"), "x", 0o644)
	err := CreateSecret(root, filepath.Join(root, "file", "secret"), []byte("x"))
	assertIs(t, err, syscall.ENOTDIR)
	assertContent(t, filepath.Join(root, "file"), "x")
}

func TestCreateSecretFailingWrite(t *testing.T) {
	root := tempRoot(t)
	mkdir(t, filepath.Join(root, "existing"))
	failHalfway(t)
	path := filepath.Join(root, "existing", "new1", "new2", "secret")
	err := CreateSecret(root, path, []byte("s3cret-s3cret"))
	assertIs(t, err, errInjected)
	// The half-written file and the directories created for it are gone;
	// the directory that existed stays.
	if diff := cmp.Diff([]string{"existing"}, dirNames(t, root)); diff != "" {
		t.Fatalf("root content (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), dirNames(t, filepath.Join(root, "existing"))); diff != "" {
		t.Fatalf("existing/ content (-want +got):\n%s", diff)
	}
}

func TestCreateSecretReadOnlyDirectory(t *testing.T) {
	skipIfRoot(t)
	root := tempRoot(t)
	dir := filepath.Join(root, "ro")
	mkdir(t, dir)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	assertIs(t, CreateSecret(root, filepath.Join(dir, "secret"), []byte("x")), fs.ErrPermission)
	assertIs(t, CreateSecret(root, filepath.Join(dir, "sub", "secret"), []byte("x")), fs.ErrPermission)
	if diff := cmp.Diff([]string(nil), dirNames(t, dir)); diff != "" {
		t.Fatalf("directory content (-want +got):\n%s", diff)
	}
}

// ---- EnsureLine ----

func TestEnsureLineCreates(t *testing.T) {
	for _, tc := range []struct {
		mode, dirMode fs.FileMode
	}{{0o644, 0o755}, {0o600, 0o700}, {0o640, 0o750}} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			root := tempRoot(t)
			path := filepath.Join(root, "sub", ".gitignore")
			changed, err := EnsureLine(root, path, ".env", tc.mode)
			if err != nil || !changed {
				t.Fatalf("EnsureLine = %v, %v; want true, nil", changed, err)
			}
			assertContent(t, path, ".env\n")
			assertMode(t, path, tc.mode)
			fi, err := os.Stat(filepath.Dir(path))
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm&^tc.dirMode != 0 || perm&0o700 != 0o700 {
				t.Fatalf("directory mode = %v, want %v (less umask)", perm, tc.dirMode)
			}
			// Idempotent.
			changed, err = EnsureLine(root, path, ".env", tc.mode)
			if err != nil || changed {
				t.Fatalf("second EnsureLine = %v, %v; want false, nil", changed, err)
			}
			assertContent(t, path, ".env\n")
		})
	}
}

func TestEnsureLine(t *testing.T) {
	cases := []struct {
		name, before, line, after string
	}{
		{name: "empty file", before: "", line: ".env", after: ".env\n"},
		{name: "append", before: "node_modules\n", line: ".env", after: "node_modules\n.env\n"},
		{name: "no final newline", before: "a\nb", line: ".env", after: "a\nb\n.env\n"},
		{name: "crlf", before: "a\r\nb\r\n", line: ".env", after: "a\r\nb\r\n.env\r\n"},
		{name: "crlf without final newline", before: "a\r\nb", line: ".env", after: "a\r\nb\r\n.env\r\n"},
		{name: "crlf ending in a lone CR", before: "a\r\nb\r", line: ".env", after: "a\r\nb\r\n.env\r\n"},
		{name: "mostly lf", before: "a\r\nb\nc\n", line: ".env", after: "a\r\nb\nc\n.env\n"},
		{name: "single crlf line", before: "a\r\n", line: ".env", after: "a\r\n.env\r\n"},
		{name: "lf file ending in a lone CR", before: "a\nb\r", line: ".env", after: "a\nb\r\n.env\n"},
		{name: "present", before: "a\n.env\nb\n", line: ".env", after: "a\n.env\nb\n"},
		{name: "present as last line without newline", before: "a\n.env", line: ".env", after: "a\n.env"},
		{name: "present with crlf", before: "a\n.env\r\nb\n", line: ".env", after: "a\n.env\r\nb\n"},
		{name: "present after a BOM", before: "\ufeff.env\n", line: ".env", after: "\ufeff.env\n"},
		{name: "present as the only line", before: ".env", line: ".env", after: ".env"},
		{name: "prefix is not a match", before: ".env.local\n", line: ".env", after: ".env.local\n.env\n"},
		{name: "leading space is not a match", before: " .env\n", line: ".env", after: " .env\n.env\n"},
		{name: "trailing space is not a match", before: ".env \n", line: ".env", after: ".env \n.env\n"},
		{name: "blank lines", before: "\n\n", line: "x", after: "\n\nx\n"},
		{name: "line with spaces", before: "a\n", line: "KEY=some value", after: "a\nKEY=some value\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := tempRoot(t)
			path := filepath.Join(root, ".gitignore")
			put(t, path, tc.before, 0o640)
			changed, err := EnsureLine(root, path, tc.line, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.before != tc.after; changed != want {
				t.Fatalf("changed = %v, want %v", changed, want)
			}
			assertContent(t, path, tc.after)
			assertMode(t, path, 0o640) // an existing file keeps its mode
			assertNoTemp(t, root)
			// Idempotent.
			changed, err = EnsureLine(root, path, tc.line, 0o644)
			if err != nil || changed {
				t.Fatalf("second EnsureLine = %v, %v; want false, nil", changed, err)
			}
			assertContent(t, path, tc.after)
		})
	}
}

func TestEnsureLineUnchangedFileNotRewritten(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, ".gitignore")
	put(t, path, ".env\n", 0o644)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureLine(root, path, ".env", 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Fatal("file rewritten although the line was present")
	}
}

func TestEnsureLineBadLineAndMode(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, ".gitignore")
	for _, line := range []string{"", "a\nb", "a\rb", "a\x00b", "a\n"} {
		_, err := EnsureLine(root, path, line, 0o644)
		assertIs(t, err, ErrBadLine)
	}
	if _, err := EnsureLine(root, path, "x", fs.ModeDir|0o755); err == nil {
		t.Fatal("EnsureLine accepted a mode with non-permission bits")
	}
	assertNotExist(t, path)
}

func TestEnsureLineSymlink(t *testing.T) {
	root := tempRoot(t)
	target := filepath.Join(root, "shared", "ignore")
	put(t, target, "a\n", 0o600)
	link := filepath.Join(root, ".gitignore")
	symlink(t, filepath.Join("shared", "ignore"), link)
	changed, err := EnsureLine(root, link, ".env", 0o644)
	if err != nil || !changed {
		t.Fatalf("EnsureLine = %v, %v", changed, err)
	}
	assertContent(t, target, "a\n.env\n")
	assertMode(t, target, 0o600)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("symlink not kept (%v)", err)
	}
}

func TestEnsureLineNotRegular(t *testing.T) {
	root := tempRoot(t)
	mkdir(t, filepath.Join(root, ".gitignore"))
	_, err := EnsureLine(root, filepath.Join(root, ".gitignore"), ".env", 0o644)
	assertIs(t, err, ErrNotRegular)
}

func TestEnsureLineFailingWrite(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, ".gitignore")
	put(t, path, "node_modules\n", 0o644)
	failHalfway(t)
	changed, err := EnsureLine(root, path, ".env", 0o644)
	assertIs(t, err, errInjected)
	if changed {
		t.Fatal("changed = true on failure")
	}
	assertContent(t, path, "node_modules\n")
	assertNoTemp(t, root)

	// Creation failing midway leaves no file and no new directory.
	newPath := filepath.Join(root, "sub", ".gitignore")
	_, err = EnsureLine(root, newPath, ".env", 0o644)
	assertIs(t, err, errInjected)
	if diff := cmp.Diff([]string{".gitignore"}, dirNames(t, root)); diff != "" {
		t.Fatalf("root content (-want +got):\n%s", diff)
	}
}

// TestEnsureLineRetriesOnChange changes the file while EnsureLine's
// replacement is being written: EnsureLine reads it again and appends to
// the new content, losing neither change.
func TestEnsureLineRetriesOnChange(t *testing.T) {
	root := tempRoot(t)
	path := filepath.Join(root, ".gitignore")
	put(t, path, "a\n", 0o644)
	old := writeData
	calls := 0
	writeData = func(f *os.File, data []byte) (int, error) {
		calls++
		if calls == 1 {
			if err := os.WriteFile(path, []byte("a\nadded by the user\n"), 0o644); err != nil {
				t.Error(err)
			}
		}
		return f.Write(data)
	}
	t.Cleanup(func() { writeData = old })
	changed, err := EnsureLine(root, path, ".env", 0o644)
	if err != nil || !changed {
		t.Fatalf("EnsureLine = %v, %v", changed, err)
	}
	assertContent(t, path, "a\nadded by the user\n.env\n")

	// A file that keeps changing gives up with ErrChanged.
	calls = 0
	writeData = func(f *os.File, data []byte) (int, error) {
		calls++
		if err := os.WriteFile(path, bytes.Repeat([]byte("x\n"), calls), 0o644); err != nil {
			t.Error(err)
		}
		return f.Write(data)
	}
	_, err = EnsureLine(root, path, "never", 0o644)
	assertIs(t, err, ErrChanged)
	assertContent(t, path, strings.Repeat("x\n", calls))
	assertNoTemp(t, root)
}

func TestHasLineAndAppendLine(t *testing.T) {
	if HasLine([]byte("a\n"), "") {
		t.Error(`HasLine matched the empty remainder after the last "\n"`)
	}
	if !HasLine([]byte("x\r"), "x") {
		t.Error(`HasLine did not ignore a final "\r"`)
	}
	if got := string(AppendLine(nil, "x")); got != "x\n" {
		t.Errorf("AppendLine(nil) = %q", got)
	}
}

// FuzzAppendLine checks the pure part of EnsureLine: appending keeps the
// old content as a prefix (completing at most its last line break), makes
// the line present, and adds nothing else.
func FuzzAppendLine(f *testing.F) {
	f.Add([]byte("a\r\nb"), ".env")
	f.Add([]byte("a\nb\r"), "x")
	f.Add([]byte(""), "x")
	f.Add([]byte("\ufeff.env"), ".env")
	f.Fuzz(func(t *testing.T, content []byte, line string) {
		if line == "" || strings.ContainsAny(line, "\x00\n\r") {
			return
		}
		out := AppendLine(content, line)
		if !bytes.HasPrefix(out, content) {
			t.Fatalf("AppendLine(%q, %q) = %q does not start with the content", content, line, out)
		}
		if !HasLine(out, line) {
			t.Fatalf("AppendLine(%q, %q) = %q does not have the line", content, line, out)
		}
		tail := string(out[len(content):])
		allowed := []string{line + "\n", "\n" + line + "\n", line + "\r\n", "\n" + line + "\r\n", "\r\n" + line + "\r\n"}
		if !slices.Contains(allowed, tail) {
			t.Fatalf("AppendLine(%q, %q) added %q", content, line, tail)
		}
		// An independent statement of HasLine.
		want := false
		for _, l := range strings.Split(strings.TrimPrefix(string(content), "\ufeff"), "\n") {
			want = want || strings.TrimSuffix(l, "\r") == line
		}
		if got := HasLine(content, line); got != want {
			t.Fatalf("HasLine(%q, %q) = %v, want %v", content, line, got, want)
		}
	})
}
