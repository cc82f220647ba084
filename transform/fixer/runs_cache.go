package fixer

import (
	"os"
	"sync"
	"time"
)

// Why this file exists: a directory of many compose files (a monorepo's
// examples/, the corpus) is listed, and its files read for the quick test,
// by every Fix that changes a file in it. What the directory holds only
// changes when its entries do (a fix writes by rename, which changes the
// directory's mtime), and a file's text when its size or mtime does.

type dirEntry struct {
	mtime time.Time
	runs  []runSpec
}

var (
	dirCache  sync.Map // dir -> dirEntry (runs without the user's --env-file)
	textMu    sync.Mutex
	textCache = map[string]textEntry{}
)

type textEntry struct {
	mtime time.Time
	size  int64
	b     []byte
}

// cachedDirRuns returns what make gives for dir, from the cache while the
// directory's mtime is the same.
func cachedDirRuns(dir string, make func() []runSpec) []runSpec {
	st, err := os.Stat(dir)
	if err != nil {
		return make()
	}
	if v, ok := dirCache.Load(dir); ok && v.(dirEntry).mtime.Equal(st.ModTime()) {
		return v.(dirEntry).runs
	}
	runs := make()
	dirCache.Store(dir, dirEntry{mtime: st.ModTime(), runs: runs})
	return runs
}

// cachedText is a file's bytes from disk (nil when it cannot be read),
// read again when its size or mtime changed.
func cachedText(abs string) []byte {
	st, err := os.Stat(abs)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	textMu.Lock()
	e, ok := textCache[abs]
	textMu.Unlock()
	if ok && e.size == st.Size() && e.mtime.Equal(st.ModTime()) {
		return e.b
	}
	b := currentContent(abs, nil)
	textMu.Lock()
	textCache[abs] = textEntry{mtime: st.ModTime(), size: st.Size(), b: b}
	textMu.Unlock()
	return b
}
