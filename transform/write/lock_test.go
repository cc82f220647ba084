package write

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLock(t *testing.T) {
	root := tempRoot(t)
	unlock, err := Lock(root)
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(root, LockName)
	data, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), fmt.Sprintf("pid %d\n", os.Getpid())) {
		t.Errorf("lock file content = %q", data)
	}

	_, err = Lock(root)
	assertIs(t, err, ErrLocked)
	if !strings.Contains(err.Error(), lockPath) {
		t.Errorf("error %q does not name the lock file", err)
	}

	unlock()
	assertNotExist(t, lockPath)
	unlock() // harmless

	unlock2, err := Lock(root)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock2()
}

func TestLockStale(t *testing.T) {
	root := tempRoot(t)
	lockPath := filepath.Join(root, LockName)
	put(t, lockPath, "pid 1\n", 0o644)

	// Fresh: held.
	_, err := Lock(root)
	assertIs(t, err, ErrLocked)

	// Older than LockStaleAfter: taken over.
	old := time.Now().Add(-LockStaleAfter - time.Minute)
	if err := os.Chtimes(lockPath, old, old); err != nil {
		t.Fatal(err)
	}
	unlock, err := Lock(root)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	data, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), fmt.Sprintf("pid %d\n", os.Getpid())) {
		t.Errorf("lock file content = %q", data)
	}
	unlock()
	assertNotExist(t, lockPath)
}

// TestLockUnlockAfterTakeover: a run whose lock went stale and was taken
// over must not remove the new holder's lock when it finally unlocks.
func TestLockUnlockAfterTakeover(t *testing.T) {
	root := tempRoot(t)
	lockPath := filepath.Join(root, LockName)
	unlockSlow, err := Lock(root)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-LockStaleAfter - time.Minute)
	if err := os.Chtimes(lockPath, old, old); err != nil {
		t.Fatal(err)
	}
	unlockNew, err := Lock(root)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	unlockSlow()
	if _, err := os.Stat(lockPath); err != nil {
		t.Fatalf("the old holder removed the new holder's lock: %v", err)
	}
	_, err = Lock(root)
	assertIs(t, err, ErrLocked)
	unlockNew()
	assertNotExist(t, lockPath)
}

func TestLockBadRoot(t *testing.T) {
	root := tempRoot(t)
	_, err := Lock(filepath.Join(root, "missing"))
	if err == nil || errors.Is(err, ErrLocked) {
		t.Fatalf("Lock on a missing root = %v, want a non-ErrLocked error", err)
	}
}

func TestLockConcurrent(t *testing.T) {
	root := tempRoot(t)
	const n = 32
	var (
		start   sync.WaitGroup
		done    sync.WaitGroup
		won     atomic.Int32
		locked  atomic.Int32
		mu      sync.Mutex
		unlocks []func()
	)
	start.Add(1)
	for range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			unlock, err := Lock(root)
			switch {
			case err == nil:
				won.Add(1)
				mu.Lock()
				unlocks = append(unlocks, unlock)
				mu.Unlock()
			case errors.Is(err, ErrLocked):
				locked.Add(1)
			default:
				t.Errorf("Lock: %v", err)
			}
		}()
	}
	start.Done()
	done.Wait()
	if won.Load() != 1 || locked.Load() != n-1 {
		t.Fatalf("%d runs got the lock and %d were refused, want 1 and %d", won.Load(), locked.Load(), n-1)
	}
	for _, unlock := range unlocks {
		unlock()
	}
	assertNotExist(t, filepath.Join(root, LockName))
}

// TestLockMutualExclusion has goroutines take turns: never two inside at
// once, and each one eventually gets in.
func TestLockMutualExclusion(t *testing.T) {
	root := tempRoot(t)
	const n = 8
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			deadline := time.Now().Add(30 * time.Second)
			for {
				unlock, err := Lock(root)
				if errors.Is(err, ErrLocked) {
					if time.Now().After(deadline) {
						t.Error("never got the lock")
						return
					}
					time.Sleep(time.Millisecond)
					continue
				}
				if err != nil {
					t.Errorf("Lock: %v", err)
					return
				}
				cur := inside.Add(1)
				for {
					m := maxInside.Load()
					if cur <= m || maxInside.CompareAndSwap(m, cur) {
						break
					}
				}
				time.Sleep(2 * time.Millisecond)
				inside.Add(-1)
				unlock()
				return
			}
		}()
	}
	wg.Wait()
	if m := maxInside.Load(); m != 1 {
		t.Fatalf("%d goroutines held the lock at once", m)
	}
}
