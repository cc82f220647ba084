package project

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// readFileOverlay reads name, or its overlay content when there is one,
// or the content read a moment ago (pre) when there is that.
func readFileOverlay(name string, overlay, pre map[string][]byte) (*File, error) {
	if abs, err := filepath.Abs(name); err == nil {
		if content, ok := overlay[abs]; ok {
			return parseFile(name, abs, content)
		}
		if content, ok := pre[abs]; ok {
			return parseFile(name, abs, content)
		}
	}
	return readFile(name)
}

// readFile reads a regular file of bounded size and parses it.
func readFile(name string) (*File, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	content, rerr := readBounded(name)
	if rerr != nil {
		return nil, rerr
	}
	return parseFile(name, abs, content)
}

// readTimeout bounds a read that waits: regular files on disk never do,
// but a file the poller can wait on, such as /proc/kmsg, would block
// forever. It has no effect on files that cannot be polled.
var readTimeout = 10 * time.Second

// openRead opens a file for reading that cannot block the run.
func openRead(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, err
	}
	_ = f.SetReadDeadline(time.Now().Add(readTimeout)) // ErrNoDeadline for most files
	return f, nil
}

// ReadBounded reads a file composure only reads (a config, an env file)
// within the limits compose files get: a regular file of at most
// MaxFileSize, read without blocking on a FIFO or streaming /proc.
func ReadBounded(name string) ([]byte, *Error) {
	return readBounded(name)
}

// readBounded reads a regular file of at most MaxFileSize bytes. It stats
// before opening, so a FIFO or a device is refused without blocking, and
// never reads more than MaxFileSize+1 bytes: files in /proc stat as empty
// regular files, and /proc/self/pagemap streams gigabytes.
func readBounded(name string) ([]byte, *Error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: "not a regular file"}
	}
	if st.Size() > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is %d MB, larger than the %d MB a compose file may be", st.Size()>>20, MaxFileSize>>20)}
	}
	f, err := openRead(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: "not a regular file"}
	}
	// Whole 32 KiB reads: /proc/self/pagemap refuses reads that are not
	// a multiple of 8 bytes.
	content := make([]byte, 0, st.Size()+1)
	chunk := make([]byte, 32<<10)
	for len(content) <= MaxFileSize {
		n, err := f.Read(chunk)
		content = append(content, chunk[:n]...)
		if errors.Is(err, io.EOF) {
			return content, nil
		}
		if err != nil {
			return nil, &Error{File: name, Msg: describeOSError(err)}
		}
	}
	return nil, &Error{File: name, Msg: fmt.Sprintf("file is larger than the %d MB a compose file may be", MaxFileSize>>20)}
}
