package fixer

import (
	"slices"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

// Change is one compose file's original and fixed bytes.
type Change struct {
	Path     string // as the user sees it
	Abs      string
	Root     string // the project directory
	Original []byte
	Fixed    []byte
	// Writes are the files the applied fixes of this file create or
	// append to; the compose file is written only when they all succeed.
	Writes []lint.FileWrite
	// Steps are the passes that changed the file: the bytes before and
	// the merged edits applied to them, so tests can replay them.
	Steps []Step
	// Applied counts the fixes per rule that land with this file, and
	// Notes are theirs: taken back (Unapplied) when the file is not
	// written.
	Applied map[string]int
	Notes   []string
}

// Step is one pass over one file.
type Step struct {
	Before []byte
	Edits  []transform.Edit
}

// Refusal is a file left untouched, and why.
type Refusal struct {
	File   string
	Reason string
}

// Interruption is when a cancelled Fix stopped.
type Interruption int

const (
	NotInterrupted Interruption = iota
	// InterruptedBeforeWriting: the plan was cancelled; nothing written.
	InterruptedBeforeWriting
	// InterruptedAfterWriting: the files were written (Apply does not
	// stop midway), what is left was not linted.
	InterruptedAfterWriting
)

// Result is what fixing would do.
type Result struct {
	Changes []*Change
	Writes  []lint.FileWrite
	// Interrupted says whether ctx was cancelled (SIGINT, SIGTERM), and
	// when.
	Interrupted Interruption
	// Applied counts applied fixes per rule.
	Applied map[string]int
	// Left counts fixes that could not be applied in the last pass
	// (conflicts), to be picked up by another run.
	Left    int
	Notes   []string
	Refused []Refusal
	// Withheld are the fixes not made because a run of the project
	// would not get what it got before (verify_runs.go).
	Withheld []Withheld
	// Skipped are files whose fixes were left out on purpose (a file
	// another file includes or extends): said, but not a failure.
	Skipped []Refusal
	Passes  int
	// Redact are the secret texts of every finding the run saw, fixed or
	// not: whatever shows original lines (a diff's context) masks them.
	Redact []string
	// Standalone are the writes of fixes that edit no compose file (a
	// .gitignore line for a committed secret file).
	Standalone []lint.FileWrite
	// Lines are the final contents of the files fixes append lines to or
	// delete lines from (.env, .gitignore, env files), as Apply leaves them.
	Lines map[string][]byte

	// After is each spec's outcome after the fixes (Fix).
	After []lint.Outcome
	// Fixed counts the problems the first lint reported with an eligible
	// fix that are gone after the fixes (Fix): what `lint` calls fixable,
	// when every fix lands. Applied can count more, since fixes of later
	// passes fix what earlier ones uncovered (a moved secret's ${VAR}) and
	// one problem in a shared anchor takes a fix per service.
	Fixed int
	// before is the first pass's outcomes.
	before []lint.Outcome
	// Reused is how many outcomes the last Remaining call took from the
	// fix passes instead of linting again.
	Reused int

	// latest is each spec's newest outcome and overlay the files as the
	// fixes leave them: Remaining reuses what is still current. dotEnvs
	// caches its parse of each changed .env (nil: it does not parse).
	latest  []lint.Outcome
	overlay map[string][]byte
	// snapshots are the overlay as each pass's outcomes describe it,
	// linted the index of the one each of latest is current with.
	snapshots []map[string][]byte
	linted    []int
	// disk is what the fix passes read from the disk (run.disk).
	disk    *diskReads
	dotEnvs map[string]map[string]string
	changes map[string][]*envChange // Remaining's changed .env names, per .env
	// covered caches withoutCoveredIgnores' answers per .gitignore and line.
	covered map[string]bool
}

// unapplied takes back the fixes and notes of the changed files that
// Apply refused to write (read-only, changed meanwhile, outside the
// project), so the summary counts what was written.
func (r *Result) unapplied(refused []Refusal) {
	for _, c := range r.Changes {
		if !slices.ContainsFunc(refused, func(f Refusal) bool { return f.File == c.Path }) {
			continue
		}
		for rule, n := range c.Applied {
			if r.Applied[rule] -= n; r.Applied[rule] <= 0 {
				delete(r.Applied, rule)
			}
		}
		for _, n := range c.Notes {
			if i := slices.Index(r.Notes, n); i >= 0 {
				r.Notes = slices.Delete(r.Notes, i, i+1)
			}
		}
	}
}

// Before is each spec's outcome before the fixes, on the files as they
// were: what a diff's original side shows.
func (r *Result) Before() []lint.Outcome { return r.before }

// Total is the number of fixes applied.
func (r *Result) Total() int {
	n := 0
	for _, v := range r.Applied {
		n += v
	}
	return n
}
