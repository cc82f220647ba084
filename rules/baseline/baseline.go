// Package baseline lets a team adopt composure on a repository that already
// has findings: `composure lint --write-baseline FILE` records today's
// findings, and `--baseline FILE` then reports only the findings that are
// not in it. A finding is matched by its identity (package fingerprint:
// rule, file, service, model path), never by line, column or message, so
// edits elsewhere in a file, or a reworded message, do not bring recorded
// findings back. Entries that match nothing any more are stale: fixed, or
// moved to another service or path; the caller says so.
//
// Filter is a function over findings, so it can be one step of the
// post-processing pipeline after suppression.
package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
)

// Version is the file format's version.
const Version = 1

// Entry is one recorded finding. Message is for the people who review the
// file; it is not matched.
type Entry struct {
	fingerprint.Identity
	Message string `json:"message,omitempty"`
}

// Baseline is a set of recorded findings. Entry files are relative to Dir,
// the baseline file's directory, with forward slashes, so the file works
// from any working directory and on any OS.
type Baseline struct {
	Version int     `json:"version"`
	Entries []Entry `json:"findings"`
	// Dir is the absolute directory entry files are relative to.
	Dir string `json:"-"`
}

// New records findings (whose files are relative to the working
// directory) in a baseline for a file in dir.
func New(findings []lint.Finding, dir string) (*Baseline, error) {
	b := &Baseline{Version: Version, Entries: []Entry{}, Dir: dir}
	for _, f := range findings {
		id := fingerprint.Of(f)
		file, err := b.rel(f.Pos.File)
		if err != nil {
			return nil, err
		}
		id.File = file
		b.Entries = append(b.Entries, Entry{Identity: id, Message: f.Message})
	}
	// Sorted by identity, not by line: re-recording after an unrelated
	// edit gives the same file, and reviews see only real changes.
	sort.SliceStable(b.Entries, func(i, j int) bool { return less(b.Entries[i].Identity, b.Entries[j].Identity) })
	return b, nil
}

func less(a, b fingerprint.Identity) bool {
	return strings.Join([]string{a.File, a.Rule, a.Service, a.Path}, "\x00") <
		strings.Join([]string{b.File, b.Rule, b.Service, b.Path}, "\x00")
}

// rel turns a path relative to the working directory (or absolute) into
// one relative to b.Dir, with forward slashes.
func (b *Baseline) rel(file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	r, err := filepath.Rel(b.Dir, abs)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(r), nil
}

// Filter drops the findings the baseline records and returns the rest,
// in order, with the entries that matched no finding of a linted file
// (linted: the files this run read, relative to the working directory).
// Entries of files this run did not lint (pre-commit passes only the
// staged files) are neither matched nor stale. Each entry matches one
// finding: a second finding with the same identity is new.
func (b *Baseline) Filter(findings []lint.Finding, linted []string) (kept []lint.Finding, stale []Entry) {
	left := map[fingerprint.Identity]int{}
	for _, e := range b.Entries {
		left[e.Identity]++
	}
	for _, f := range findings {
		id := fingerprint.Of(f)
		if file, err := b.rel(f.Pos.File); err == nil {
			id.File = file
		}
		if left[id] > 0 {
			left[id]--
			continue
		}
		kept = append(kept, f)
	}
	read := map[string]bool{}
	for _, l := range linted {
		if file, err := b.rel(l); err == nil {
			read[file] = true
		}
	}
	for _, e := range b.Entries {
		if left[e.Identity] > 0 && read[e.File] {
			left[e.Identity]--
			stale = append(stale, e)
		}
	}
	return kept, stale
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Read parses a baseline file for a file in dir.
func Read(r io.Reader, dir string) (*Baseline, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	b := &Baseline{}
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("not a composure baseline: %w", err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline version %d, want %d: record it again with --write-baseline", b.Version, Version)
	}
	for i, e := range b.Entries {
		if e.Rule == "" || e.File == "" {
			return nil, fmt.Errorf("baseline entry %d has no rule or file", i+1)
		}
	}
	b.Dir = dir
	return b, nil
}

// Load reads the baseline file at path.
func Load(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	b, err := Read(f, filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
