package write

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LockName is the name of the lock file Lock creates in the project root.
const LockName = ".composure.lock"

// LockStaleAfter is the age (by modification time) after which a lock file
// is considered left behind by a crashed run and taken over.
const LockStaleAfter = 10 * time.Minute

// Lock takes the project's advisory lock, the file <root>/.composure.lock
// created with O_CREATE|O_EXCL (it holds the process id, the start time
// and a random token), so that two concurrent `composure fix` runs on one
// project do not interleave. When the file exists and is younger than LockStaleAfter it
// returns an error wrapping ErrLocked that names the file, unless the
// process it names is gone (holderGone); an older one, or one so left, is
// removed (only if it is still the same file) and the creation retried
// once. unlock removes the lock file if it is still the one Lock created
// (same file, same token); calling it more than once is harmless. A root
// that does not exist or is not a directory is an error, not ErrLocked.
//
// The lock is advisory: only Lock honours it. A run holding the lock for
// longer than LockStaleAfter can have it taken over.
func Lock(root string) (unlock func(), err error) {
	r, err := resolveRoot(root)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	path := filepath.Join(r.real, LockName)
	tookOver := false
	for range 3 {
		unlock, err := tryLock(path)
		if err == nil {
			return unlock, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock: %w", err)
		}
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("lock: %w", err)
		}
		age := time.Since(fi.ModTime())
		if (age < LockStaleAfter && !holderGone(path)) || tookOver {
			return nil, fmt.Errorf("%w: %s exists (created %s ago); remove it if no other composure run is active",
				ErrLocked, path, age.Round(time.Second))
		}
		// Stale: remove it, unless it was replaced since the Lstat.
		tookOver = true
		if cur, err := os.Lstat(path); err == nil && os.SameFile(cur, fi) && cur.ModTime().Equal(fi.ModTime()) {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("lock: removing stale lock: %w", err)
			}
		}
	}
	return nil, fmt.Errorf("%w: %s keeps reappearing", ErrLocked, path)
}

// holderGone reports a lock file written on this host by a process that
// no longer exists (killed, or crashed): it is stale at once, where a
// lock without that proof waits out LockStaleAfter. A lock from another
// host (a shared file system) names a pid this host cannot check.
func holderGone(path string) bool {
	data, err := readRegular(path)
	if err != nil {
		return false
	}
	var pid int
	var host string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "pid "); ok {
			pid, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "host "); ok {
			host = v
		}
	}
	me, _ := os.Hostname()
	return pid > 0 && pid != os.Getpid() && host == me && !processAlive(pid)
}

// tryLock creates the lock file; an existing one gives an error that is
// fs.ErrExist.
func tryLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	// The token tells this lock from a later one that reuses the inode.
	var nonce [8]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails (Go 1.24+)
	host, _ := os.Hostname()
	token := fmt.Sprintf("pid %d\nhost %s\nstarted %s\ntoken %x\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339Nano), nonce)
	_, err = io.WriteString(f, token)
	var fi fs.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			cur, err := os.Lstat(path)
			if err != nil || !os.SameFile(cur, fi) {
				return
			}
			if data, err := os.ReadFile(path); err == nil && string(data) == token {
				os.Remove(path)
			}
		})
	}, nil
}
