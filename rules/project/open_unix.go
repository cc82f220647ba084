//go:build unix

package project

import "syscall"

// nonBlock opens without blocking: it has no effect on regular files, but
// a FIFO swapped in after the stat fails to open instead of waiting for a
// writer.
const nonBlock = syscall.O_NONBLOCK
