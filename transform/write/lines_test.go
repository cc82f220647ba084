package write

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
