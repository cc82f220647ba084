package write

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

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
