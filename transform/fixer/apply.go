package fixer

import (
	"errors"
	"fmt"
	"os"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform/write"
)

// Apply writes a result to disk. Each project directory is locked while it
// is written. For each compose file, the files its fixes need (secret
// files, .gitignore and .env lines) are written first; the compose file is
// replaced atomically, and only if the file still has the bytes that were
// read and every file it needs was written. Files it could not write are
// returned as refusals, and their fixes and notes taken back from res, so
// its counts are what was written; the others are written.
func Apply(res *Result) (refused []Refusal) {
	defer func() { res.unapplied(refused) }()
	unlocks := map[string]func(){}
	lockErrs := map[string]error{}
	defer func() {
		for _, unlock := range unlocks {
			unlock()
		}
	}()
	// locked takes root's lock once; a root whose lock failed stays
	// refused for every file in it.
	locked := func(root string) error {
		if _, ok := unlocks[root]; ok {
			return nil
		}
		if err, ok := lockErrs[root]; ok {
			return err
		}
		unlock, err := write.Lock(root)
		if err != nil {
			lockErrs[root] = err
			return err
		}
		unlocks[root] = unlock
		return nil
	}
	for _, c := range res.Changes {
		if err := locked(c.Root); err != nil {
			refused = append(refused, Refusal{File: c.Path, Reason: err.Error()})
			continue
		}
		if err := writeAll(c); err != nil {
			refused = append(refused, Refusal{File: c.Path, Reason: err.Error()})
		}
	}
	for _, w := range res.Standalone {
		if err := locked(w.Root); err != nil {
			refused = append(refused, Refusal{File: w.Path, Reason: err.Error()})
			continue
		}
		if err := writeOne(w); err != nil {
			refused = append(refused, Refusal{File: w.Path, Reason: "left untouched: " + err.Error()})
		}
	}
	return refused
}

// writeAll writes a compose file and what its fixes need, in the order
// that never loses a value: new files and lines first, then the compose
// file, and only then the lines that move out of other files.
func writeAll(c *Change) error {
	// Every refusal that can be known before writing is checked before
	// anything is written: a compose file outside the root or read-only,
	// a .gitignore that is a directory, an env file outside the project.
	if err := write.CheckReplace(c.Root, c.Abs); err != nil {
		return fmt.Errorf("left untouched: %w", err)
	}
	for _, w := range c.Writes {
		if err := checkOne(w); err != nil {
			return fmt.Errorf("left untouched: %s: %w", w.Path, err)
		}
	}
	for _, w := range c.Writes {
		if w.Kind == lint.DeleteLine {
			continue
		}
		if err := writeOne(w); err != nil {
			// The error names the path, never the content.
			return fmt.Errorf("left untouched: %w", err)
		}
	}
	if err := write.Replace(c.Root, c.Abs, c.Original, c.Fixed); err != nil {
		if errors.Is(err, write.ErrChanged) {
			return fmt.Errorf("left untouched: it changed while composure was fixing it; run again")
		}
		return fmt.Errorf("left untouched: %w", err)
	}
	for _, w := range c.Writes {
		if w.Kind != lint.DeleteLine {
			continue
		}
		if err := writeOne(w); err != nil {
			return fmt.Errorf("written, but the line was not removed from %s: %w", w.Path, err)
		}
	}
	return nil
}

// checkOne says what writeOne would refuse before writing anything.
func checkOne(w lint.FileWrite) error {
	switch w.Kind {
	case lint.CreateSecret:
		return write.CheckCreate(w.Root, w.Path, []byte(w.Content))
	case lint.EnsureLine:
		return write.CheckCreate(w.Root, w.Path, nil)
	case lint.DeleteLine:
		return write.CheckReplace(w.Root, w.Path)
	}
	return nil
}

func writeOne(w lint.FileWrite) error {
	var err error
	switch w.Kind {
	case lint.CreateSecret:
		err = write.CreateSecret(w.Root, w.Path, []byte(w.Content))
	case lint.EnsureLine:
		mode := os.FileMode(0o644)
		if w.Secret {
			mode = 0o600 // a new .env holds secrets
		}
		_, err = write.EnsureLine(w.Root, w.Path, w.Content, mode)
	case lint.DeleteLine:
		_, err = write.DeleteLine(w.Root, w.Path, w.Content)
	}
	return err
}
