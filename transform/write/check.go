package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The checks below say, without writing anything, what Replace,
// CreateSecret and EnsureLine would refuse before they write: a caller
// that writes several files for one change (a secret file, its ignore
// line, then the compose file) checks them all first, so a refusal it
// could have known never leaves the first files written and the last
// one not (a secret file un-ignored because .gitignore is a directory).
// A disk that fills cannot be known: that is what the order of the
// writes is for.

// CheckReplace reports what Replace would refuse before writing: a bad
// name, a path (or a symlink on the way) outside root, not a regular
// file, read-only or not the user's.
func CheckReplace(root, path string) error {
	_, _, err := replaceTarget(root, path)
	return err
}

// replaceTarget resolves the file Replace would replace and refuses what
// it would refuse before reading it: a bad name, a path (or a symlink on
// the way) outside root, not a regular file, read-only or not the user's.
func replaceTarget(root, path string) (target string, fi os.FileInfo, err error) {
	if badName(path) {
		return "", nil, ErrBadName
	}
	r, err := resolveRoot(root)
	if err != nil {
		return "", nil, err
	}
	if target, err = resolveExisting(r, path); err != nil {
		return "", nil, err
	}
	if fi, err = os.Lstat(target); err != nil {
		return "", nil, err
	}
	if !fi.Mode().IsRegular() {
		return "", nil, ErrNotRegular
	}
	return target, fi, writable(target, fi)
}

// CheckCreate reports what CreateSecret (secret non-nil: the bytes it
// would write) or EnsureLine (secret nil) would refuse before writing:
// a bad name, a path outside root, an existing file that is not a
// regular one (a directory, a FIFO, a dangling symlink), an existing
// secret file with other bytes, an existing file EnsureLine could not
// replace, or a missing directory whose nearest existing parent is not
// a directory inside root.
func CheckCreate(root, path string, secret []byte) error {
	if badName(path) {
		return ErrBadName
	}
	r, err := resolveRoot(root)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if !inside(r.abs, abs) && !inside(r.real, abs) {
		return ErrOutside
	}
	if _, err := os.Lstat(abs); err == nil {
		real, err := filepath.EvalSymlinks(abs)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w (a dangling symlink)", ErrExists)
		}
		if err != nil {
			return err
		}
		if !inside(r.real, real) {
			return ErrOutside
		}
		fi, err := os.Lstat(real)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return ErrNotRegular
		}
		if secret != nil {
			if cur, err := readRegular(real); err != nil || !bytes.Equal(cur, secret) {
				return ErrExists
			}
			return nil
		}
		return writable(real, fi)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err == nil {
			real, err := filepath.EvalSymlinks(d)
			if err != nil {
				return err
			}
			if real != r.real && !inside(r.real, real) {
				return ErrOutside
			}
			if !fi.IsDir() {
				return fmt.Errorf("%s: %w", d, ErrNotRegular)
			}
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if d == filepath.Dir(d) {
			return err
		}
	}
}

// Writable refuses a file that Replace would refuse as read-only or not
// the runner's, so a caller can check before it writes anything else.
func Writable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return writable(path, fi)
}

// writable: a file without its owner's write bit is someone's decision
// that it stays as it is (a rename would replace it anyway, even as
// root); a file the user could not write in place (access(2) W_OK: a
// root-owned 0644 file in the user's directory) is not the user's to
// replace either, and one owned by another user would change owner.
func writable(path string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o200 == 0 {
		return ErrReadOnly
	}
	return canWriteInPlace(path, fi)
}
