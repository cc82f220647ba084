//go:build unix

package write

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// openRegular opens path for reading without following a symlink in its
// last component (O_NOFOLLOW) and without blocking on a FIFO (O_NONBLOCK,
// which has no effect on regular files); readRegular then refuses anything
// but a regular file.
func openRegular(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// syncDir fsyncs a directory so that a rename or a creation in it is
// durable. File systems that cannot sync directories are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	cerr := d.Close()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		err = nil
	}
	if err != nil {
		return err
	}
	return cerr
}

// preserveOwner gives f the owner and group of the file described by orig,
// when they differ from f's. It is best effort: lacking the permission
// (not root, or not a member of the group) is not an error.
func preserveOwner(f *os.File, orig fs.FileInfo) error {
	want, ok := orig.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	have, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || (have.Uid == want.Uid && have.Gid == want.Gid) {
		return nil
	}
	err = f.Chown(int(want.Uid), int(want.Gid))
	if errors.Is(err, fs.ErrPermission) {
		return nil
	}
	return err
}

// canWriteInPlace asks the kernel whether the running user may write
// path (access(2), the check open(O_WRONLY) would make: ACLs, a read-only
// mount, root's override), and refuses a file of another user when the
// runner is not root: the replacement would belong to the runner.
func canWriteInPlace(path string, fi fs.FileInfo) error {
	if err := unix.Access(path, unix.W_OK); errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EROFS) {
		return ErrReadOnly
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() != 0 && int(st.Uid) != os.Geteuid() {
		return ErrNotOwner
	}
	return nil
}

// processAlive reports whether a process pid exists (signal 0 checks
// without sending; EPERM means it exists but is another user's).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
