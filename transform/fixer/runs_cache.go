package fixer

import (
	"os"
	"sync"
	"time"
)

// Why this file exists: a directory of many compose files (a monorepo's
// examples/, the corpus) is listed by every Fix that changes a file in
// it. What the directory holds only changes when its entries do (a fix
// writes by rename, which changes the directory's mtime). The files' text
// is read once per Run (runCheck.disk).

type dirEntry struct {
	mtime time.Time
	runs  []runSpec
}

// dirCache maps a directory to its dirEntry (runs without the user's
// --env-file).
var dirCache sync.Map

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
