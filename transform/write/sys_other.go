//go:build !unix

package write

import (
	"io/fs"
	"os"
)

// openRegular opens path for reading; readRegular then refuses anything
// but a regular file. (Without O_NOFOLLOW here, callers have already
// resolved symlinks.)
func openRegular(path string) (*os.File, error) { return os.Open(path) }

// syncDir is a no-op: directories cannot be fsynced on this platform.
func syncDir(dir string) error { return nil }

// preserveOwner is a no-op: ownership is not a mode bit here.
func preserveOwner(f *os.File, orig fs.FileInfo) error { return nil }

// canWriteInPlace: the owner write bit (checked by the caller) is all
// there is to check here.
func canWriteInPlace(path string, fi fs.FileInfo) error { return nil }

// processAlive cannot tell here: a process is taken to be alive, and
// what it left is removed by age only.
func processAlive(pid int) bool { return true }
