//go:build unix

package cmd

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe; nobody ever writes to it, so opening it for
// reading without O_NONBLOCK blocks forever.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
