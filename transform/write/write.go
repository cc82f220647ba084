// Package write writes users' files for `composure fix` without ever
// losing data: replacements are atomic (temp file, fsync, rename, directory
// fsync) and compare-and-swap against the content the caller read; new
// files are created with O_EXCL and never overwrite anything; every path is
// confined to the project root, symlinks included.
//
// Paths may be absolute or relative to the working directory. root is the
// project directory; it is made absolute and its own symlinks are resolved
// once, and "inside root" always means strictly below that directory (root
// itself is not a file inside root).
package write

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Sentinel errors; the errors returned wrap them (use errors.Is) together
// with the operation and the path.
var (
	// ErrChanged: the file no longer has the content the caller read.
	ErrChanged = errors.New("file changed since it was read")
	// ErrNotRegular: the path (or a symlink's target) is a directory, a
	// FIFO, a device or a socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrOutside: the path, or a symlink on the way to it, leads outside
	// the project root.
	ErrOutside = errors.New("path is outside the project root")
	// ErrExists: a file to create already exists with other content.
	ErrExists = errors.New("file already exists with different content")
	// ErrBadName: the path is empty or contains a NUL byte or a line break.
	ErrBadName = errors.New("file name is empty or contains a NUL byte or a line break")
	// ErrBadLine: the line given to EnsureLine is empty or contains a NUL
	// byte or a line break.
	ErrBadLine = errors.New("line is empty or contains a NUL byte or a line break")
	// ErrReadOnly: the file has no write permission for its owner, or the
	// user running composure could not write it in place.
	ErrReadOnly = errors.New("file is read-only; composure leaves it as it is")
	// ErrNotOwner: the file belongs to another user; replacing it would
	// make it the runner's, since only root can give a file away.
	ErrNotOwner = errors.New("file belongs to another user and would become yours if composure replaced it; composure leaves it as it is")
	// ErrLocked: another composure run holds the project lock.
	ErrLocked = errors.New("project is locked by another composure run")
)

// writeData writes data to f. Tests replace it to simulate a write that
// fails midway; every write of file content in this package goes through
// it (temp files of Replace, files created by CreateSecret and EnsureLine).
var writeData = func(f *os.File, data []byte) (int, error) { return f.Write(data) }

// preservedModeBits are the bits of the original file's mode that Replace
// carries over to the new file.
const preservedModeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// Replace atomically replaces path's content with data, but only if the
// file still has exactly expected as content (compare-and-swap against
// what the caller read). It writes a temp file beside the target
// (.composure-tmp-<pid>-<random>/<base>, see createTemp), fsyncs it, gives it the
// original file's permission bits (and, best effort, its owner and group),
// re-reads the target and compares it with expected (ErrChanged if it
// differs), renames the temp file over the target and fsyncs the
// directory. On any failure before the rename the temp file is removed and
// the original is intact. When data equals expected nothing is written
// (the comparison is still made).
//
// Refusals: ErrBadName for a bad path; ErrOutside when the fully resolved
// path (every symlink, in the file name or in a parent directory, followed)
// is not inside root; ErrNotRegular when it is not a regular file. When
// path is a symlink to a file inside root, the symlink's target is
// replaced and the symlink kept.
//
// The comparison detects changes made before it; a writer racing between
// the comparison and the rename (one system call) is not detected: use Lock
// to keep composure runs apart. A replaced file gets a new inode, so other
// hard links to it keep the old content, and extended attributes and ACLs
// are not copied.
func Replace(root, path string, expected, data []byte) error {
	if err := replace(root, path, expected, data); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}

func replace(root, path string, expected, data []byte) (err error) {
	if badName(path) {
		return ErrBadName
	}
	r, err := resolveRoot(root)
	if err != nil {
		return err
	}
	target, err := resolveExisting(r, path)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return ErrNotRegular
	}
	if err := writable(target, fi); err != nil {
		return err
	}
	if bytes.Equal(expected, data) {
		cur, err := readRegular(target)
		if err != nil {
			return err
		}
		if !bytes.Equal(cur, expected) {
			return ErrChanged
		}
		return nil
	}

	dir, base := filepath.Split(target)
	f, done, err := createTemp(dir, base)
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if !closed {
			f.Close()
		}
		if rerr := done(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err := writeAll(f, data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	// Owner first: chown clears the setuid and setgid bits.
	if err := preserveOwner(f, fi); err != nil {
		return err
	}
	if err := f.Chmod(fi.Mode() & preservedModeBits); err != nil {
		return err
	}
	closed = true
	if err := f.Close(); err != nil {
		return err
	}

	cur, err := readRegular(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, expected) {
		return ErrChanged
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("content replaced, but syncing directory %s failed: %w", dir, err)
	}
	return nil
}

// CreateSecret writes a new secret file with mode 0600 using
// O_CREATE|O_EXCL; missing parent directories are created with 0700 (less
// any umask bits). If the file exists with identical content it is a no-op
// (nil error); with different content it returns ErrExists and never
// overwrites; when the file name is a symlink, its target is the file
// (ErrOutside if it leads outside root, ErrExists if it dangles). If the
// write fails midway the new file, and any directory created for it, is
// removed.
//
// Refusals: ErrBadName when path is empty or contains a NUL byte, "\n" or
// "\r"; ErrOutside when the cleaned path is not inside root, or when an
// existing parent directory between root and the file is a symlink that
// leads outside root (symlinks that stay inside root are followed);
// ErrNotRegular when the path exists as something other than a regular
// file. The file itself is created through an os.Root, so it cannot land
// outside root even if a directory is swapped for a symlink meanwhile.
func CreateSecret(root, path string, content []byte) error {
	if err := createSecret(root, path, content); err != nil {
		return fmt.Errorf("create secret %s: %w", path, err)
	}
	return nil
}

func createSecret(root, path string, content []byte) error {
	loc, err := locate(root, path, 0o700)
	if err != nil {
		return err
	}
	defer loc.close()
	for attempt := 0; ; attempt++ {
		real, exists, err := loc.existing()
		if err != nil {
			return err
		}
		if exists {
			cur, err := readRegular(real)
			if err != nil {
				return err
			}
			if !bytes.Equal(cur, content) {
				return ErrExists
			}
			loc.keepDirs()
			return nil
		}
		err = loc.create(content, 0o600)
		if errors.Is(err, fs.ErrExist) && attempt == 0 {
			continue // created by someone else meanwhile: compare
		}
		return err
	}
}

// EnsureLine makes the text file at path contain line (exact line match,
// ignoring a trailing "\r" and a UTF-8 byte order mark), appending it when
// missing. It creates the file with exactly mode (e.g. 0644 for
// .gitignore, 0600 for .env) and content line+"\n" if absent, creating
// missing parent directories with 0700 plus the read and search bits that
// mode gives group and others (0755 for 0644, 0700 for 0600). When the
// existing content does not end with a newline one is added before the
// line; the line ends in "\r\n" when most of the file's line breaks are
// CRLF. The append goes through Replace (atomic, compare-and-swap); when
// the file changes between the read and the replacement, EnsureLine reads
// it again (at most three tries, then ErrChanged). It reports whether it
// changed anything.
//
// Refusals: those of CreateSecret (ErrBadName, ErrOutside, ErrNotRegular)
// and of Replace, and ErrBadLine when line is empty or contains a NUL
// byte, "\n" or "\r". mode must have permission bits only.
func EnsureLine(root, path, line string, mode os.FileMode) (changed bool, err error) {
	changed, err = ensureLine(root, path, line, mode)
	if err != nil {
		return false, fmt.Errorf("ensure line in %s: %w", path, err)
	}
	return changed, nil
}

func ensureLine(root, path, line string, mode os.FileMode) (bool, error) {
	if line == "" || strings.ContainsAny(line, "\x00\n\r") {
		return false, ErrBadLine
	}
	if mode&^fs.ModePerm != 0 {
		return false, fmt.Errorf("invalid file mode %v: only permission bits are allowed", mode)
	}
	dirPerm := 0o700 | mode&0o044 | (mode&0o044)>>2
	loc, err := locate(root, path, dirPerm)
	if err != nil {
		return false, err
	}
	defer loc.close()
	const tries = 3
	for attempt := 1; ; attempt++ {
		real, exists, err := loc.existing()
		if err != nil {
			return false, err
		}
		if !exists {
			err := loc.create([]byte(line+"\n"), mode)
			if errors.Is(err, fs.ErrExist) && attempt < tries {
				continue
			}
			return err == nil, err
		}
		loc.keepDirs()
		cur, err := readRegular(real)
		if err != nil {
			return false, err
		}
		if HasLine(cur, line) {
			return false, nil
		}
		// Replace resolves path again and repeats every check.
		err = replace(root, path, cur, AppendLine(cur, line))
		if errors.Is(err, ErrChanged) && attempt < tries {
			continue
		}
		return err == nil, err
	}
}

// HasLine reports whether content has line as one of its lines, ignoring
// a "\r" before the "\n" (or at the very end) and a leading UTF-8 BOM.
func HasLine(content []byte, line string) bool {
	s := strings.TrimPrefix(string(content), "\ufeff")
	for len(s) > 0 {
		l, rest, _ := strings.Cut(s, "\n")
		if strings.TrimSuffix(l, "\r") == line {
			return true
		}
		s = rest
	}
	return false
}

// AppendLine returns content with line appended, in the file's line break
// style, after completing an unterminated last line.
func AppendLine(content []byte, line string) []byte {
	eol := "\n"
	crlf := bytes.Count(content, []byte("\r\n"))
	if crlf > bytes.Count(content, []byte("\n"))-crlf {
		eol = "\r\n"
	}
	out := make([]byte, 0, len(content)+len(line)+4)
	out = append(out, content...)
	switch {
	case len(out) == 0 || out[len(out)-1] == '\n':
	case out[len(out)-1] == '\r':
		out = append(out, '\n') // "…\r" becomes "…\r\n", not "…\r\r\n"
	default:
		out = append(out, eol...)
	}
	out = append(out, line...)
	out = append(out, eol...)
	return out
}

// badName reports whether path cannot be a file name composure writes.
func badName(path string) bool {
	return path == "" || strings.ContainsAny(path, "\x00\n\r")
}

// rootDir is a project root, absolute, as given (abs) and with its
// symlinks resolved (real).
type rootDir struct{ abs, real string }

func resolveRoot(root string) (rootDir, error) {
	if root == "" {
		return rootDir{}, errors.New("empty project root")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return rootDir{}, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return rootDir{}, fmt.Errorf("project root: %w", err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return rootDir{}, fmt.Errorf("project root: %w", err)
	}
	if !fi.IsDir() {
		return rootDir{}, fmt.Errorf("project root %s is not a directory", root)
	}
	return rootDir{abs: abs, real: real}, nil
}

// inside reports whether p is strictly below dir; both are clean and
// absolute.
func inside(dir, p string) bool {
	if p == dir {
		return false
	}
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	return strings.HasPrefix(p, prefix)
}

// resolveExisting returns the real path of the existing path, following
// every symlink, and refuses with ErrOutside when it is not inside root.
func resolveExisting(r rootDir, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	if !inside(r.real, real) {
		return "", ErrOutside
	}
	return real, nil
}

// readRegular reads the regular file at path without following a symlink
// in its last component and without blocking on a FIFO (ErrNotRegular).
// ReadRegular reads path when it is a regular file, without following a
// symlink in its last component and without blocking on a FIFO: how code
// outside this package reads a file it may write later.
func ReadRegular(path string) ([]byte, error) {
	return readRegular(path)
}

func readRegular(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	return io.ReadAll(f)
}

// writeAll writes data with writeData, turning a short write into an
// error.
func writeAll(f *os.File, data []byte) error {
	n, err := writeData(f, data)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	return err
}

// location is a file to create or read inside a project root, with its
// parent directories resolved (and created where missing).
type location struct {
	root    rootDir
	osRoot  *os.Root
	parent  string   // real path of the parent directory
	rel     string   // path of the file relative to root.real
	created []string // directories created, relative to root.real, outermost first
	keep    bool     // keep the created directories even on failure
}

// locate checks path for CreateSecret and EnsureLine and resolves its
// parent directories, creating the missing ones with dirPerm.
func locate(root, path string, dirPerm fs.FileMode) (loc *location, err error) {
	if badName(path) {
		return nil, ErrBadName
	}
	r, err := resolveRoot(root)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	var rel string
	switch {
	case inside(r.abs, abs):
		rel, err = filepath.Rel(r.abs, abs)
	case inside(r.real, abs):
		rel, err = filepath.Rel(r.real, abs)
	default:
		return nil, ErrOutside
	}
	if err != nil {
		return nil, err
	}
	osRoot, err := os.OpenRoot(r.real)
	if err != nil {
		return nil, err
	}
	loc = &location{root: r, osRoot: osRoot}
	defer func() {
		if err != nil {
			loc.close()
			loc = nil
		}
	}()

	parts := strings.Split(rel, string(filepath.Separator))
	cur := r.real
	for _, part := range parts[:len(parts)-1] {
		next := filepath.Join(cur, part)
		for attempt := 0; ; attempt++ {
			fi, err := os.Lstat(next)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				relDir, err := filepath.Rel(r.real, next)
				if err != nil {
					return loc, err
				}
				err = osRoot.Mkdir(relDir, dirPerm)
				if errors.Is(err, fs.ErrExist) && attempt == 0 {
					continue // created meanwhile: look again
				}
				if err != nil {
					return loc, err
				}
				loc.created = append(loc.created, relDir)
			case err != nil:
				return loc, err
			case fi.Mode()&fs.ModeSymlink != 0:
				res, err := filepath.EvalSymlinks(next)
				if err != nil {
					return loc, err
				}
				if res != r.real && !inside(r.real, res) {
					return loc, ErrOutside
				}
				st, err := os.Stat(res)
				if err != nil {
					return loc, err
				}
				if !st.IsDir() {
					return loc, &fs.PathError{Op: "open", Path: next, Err: syscall.ENOTDIR}
				}
				next = res
			case !fi.IsDir():
				return loc, &fs.PathError{Op: "open", Path: next, Err: syscall.ENOTDIR}
			}
			break
		}
		cur = next
	}
	loc.parent = cur
	loc.rel, err = filepath.Rel(r.real, filepath.Join(cur, parts[len(parts)-1]))
	if err != nil {
		return loc, err
	}
	return loc, nil
}

// existing reports whether the file exists and, if so, its real path: a
// symlink is followed (ErrOutside when it leads outside root, ErrExists
// when it dangles); anything but a regular file is ErrNotRegular.
func (l *location) existing() (real string, exists bool, err error) {
	p := filepath.Join(l.root.real, l.rel)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		res, err := filepath.EvalSymlinks(p)
		if errors.Is(err, fs.ErrNotExist) {
			return "", true, fmt.Errorf("%w (a dangling symlink)", ErrExists)
		}
		if err != nil {
			return "", true, err
		}
		if !inside(l.root.real, res) {
			return "", true, ErrOutside
		}
		if fi, err = os.Lstat(res); err != nil {
			return "", true, err
		}
		p = res
	}
	if !fi.Mode().IsRegular() {
		return "", true, ErrNotRegular
	}
	return p, true, nil
}

// create creates the file with O_EXCL, writes content, sets perm exactly
// (regardless of the umask) and fsyncs the file and the directories. When
// anything fails before the file is complete it is removed (and, by close,
// the directories locate created). An existing file gives an error that is
// fs.ErrExist.
func (l *location) create(content []byte, perm fs.FileMode) (err error) {
	f, err := l.osRoot.OpenFile(l.rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	closed, complete := false, false
	defer func() {
		if !closed {
			f.Close()
		}
		if !complete {
			if rerr := l.osRoot.Remove(l.rel); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := writeAll(f, content); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	closed = true
	if err := f.Close(); err != nil {
		return err
	}
	complete = true
	l.keepDirs()
	// Make the new entry durable, and those of the directories created.
	dirs := []string{l.parent}
	for _, c := range l.created {
		dirs = append(dirs, filepath.Join(l.root.real, filepath.Dir(c)))
	}
	for _, d := range dirs {
		if err := syncDir(d); err != nil {
			return fmt.Errorf("file created, but syncing directory %s failed: %w", d, err)
		}
	}
	return nil
}

// keepDirs marks the directories created by locate as in use.
func (l *location) keepDirs() { l.keep = true }

// close releases the os.Root and, unless they are in use, removes the
// directories locate created (innermost first; only empty ones go).
func (l *location) close() {
	if !l.keep {
		for i := len(l.created) - 1; i >= 0; i-- {
			_ = l.osRoot.Remove(l.created[i]) // best effort: only empty directories go
		}
	}
	l.osRoot.Close()
}

// DeleteLine removes line (the exact bytes of one whole line, line break
// included) from the file at path, atomically and only if it occurs
// exactly once. It reports false when the line is already gone; more than
// one occurrence is ErrAmbiguous. Same root rules as EnsureLine.
func DeleteLine(root, path, line string) (changed bool, err error) {
	if line == "" || strings.ContainsRune(line, 0) {
		return false, fmt.Errorf("delete line from %s: %w", path, ErrBadLine)
	}
	// The same checks as EnsureLine: inside root, through symlinks, and a
	// regular file (a FIFO would block the read).
	loc, err := locate(root, path, 0o700)
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	defer loc.close()
	real, exists, err := loc.existing()
	if err == nil && !exists {
		err = fs.ErrNotExist
	}
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	old, err := readRegular(real)
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	switch strings.Count(string(old), line) {
	case 0:
		return false, nil
	case 1:
	default:
		return false, fmt.Errorf("delete line from %s: %w", path, ErrAmbiguous)
	}
	next := strings.Replace(string(old), line, "", 1)
	if err := Replace(root, path, old, []byte(next)); err != nil {
		return false, err
	}
	return true, nil
}

// ErrAmbiguous: the line to delete occurs more than once.
var ErrAmbiguous = errors.New("the line to delete occurs more than once")
