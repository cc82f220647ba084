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
	target, fi, err := replaceTarget(root, path)
	if err != nil {
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
