package write

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

// A replacement is written in a private directory beside its target,
// .composure-tmp-<pid>-<random>/, under the target's own name, then
// renamed over the target (same directory tree, same file system). A run
// killed in between (SIGKILL, a power cut) leaves .composure-tmp-…/.env,
// which the ".env" line the fixes add to .gitignore covers, as it covers
// any file named .env, where a temp file named ..env.composure-NNNN was
// committed by the next `git add -A`. The pid in the name lets a later
// run remove what a dead run left.
const tempPrefix = ".composure-tmp-"

var (
	tempDirRe = regexp.MustCompile(`^\.composure-tmp-(\d+)-\d+$`)
	// legacyTempRe: the temp files earlier versions wrote.
	legacyTempRe = regexp.MustCompile(`^\..+\.composure-\d+$`)
)

// createTemp creates the private directory in dir and, in it, the file
// base (0600); done removes both, whatever is left of them.
func createTemp(dir, base string) (f *os.File, done func() error, err error) {
	removeStaleTemps(dir)
	tmpDir, err := os.MkdirTemp(dir, fmt.Sprintf("%s%d-", tempPrefix, os.Getpid()))
	if err != nil {
		return nil, nil, err
	}
	f, err = os.OpenFile(filepath.Join(tmpDir, base), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.Remove(tmpDir)
		return nil, nil, err
	}
	return f, func() error {
		if err := os.Remove(f.Name()); err != nil && !os.IsNotExist(err) {
			return err
		}
		return os.Remove(tmpDir)
	}, nil
}

// removeStaleTemps removes, from dir, the temp directories of runs whose
// process is gone, and the temp files of earlier versions once they are
// older than LockStaleAfter (they name no process). Errors are ignored:
// this is tidying, and the next run tries again.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if m := tempDirRe.FindStringSubmatch(name); m != nil && e.IsDir() {
			pid, err := strconv.Atoi(m[1])
			if err == nil && pid != os.Getpid() && !processAlive(pid) {
				os.RemoveAll(path)
			}
			continue
		}
		if legacyTempRe.MatchString(name) && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > LockStaleAfter {
				os.Remove(path)
			}
		}
	}
}
