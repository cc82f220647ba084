package write

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
