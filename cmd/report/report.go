// Package report renders lint results, one output format per file.
package report

import (
	"io"

	"github.com/composure-dev/composure/rules/lint"
)

// LoadError is a file that could not be read or loaded. Line and Column are
// 0 when unknown.
type LoadError struct {
	File    string
	Line    int
	Column  int
	Message string
}

// Result is everything one lint run produced, already sorted by file, line,
// column and rule.
type Result struct {
	Findings []lint.Finding
	Errors   []LoadError
	// Files is the number of compose files that were linted.
	Files int
	// Linted names the compose files that were linted, as Finding.Pos.File
	// shows them. Optional: the JUnit reporter lists the clean ones as
	// passing tests, the others ignore it.
	Linted []string
	// Suppressed are findings an ignore comment or the config silenced.
	// Optional: only SARIF reports them (as suppressed results).
	Suppressed []SuppressedFinding
	// Withheld are the fixes `fix` did not make because the project would
	// not run as before with them. Optional: only fix sets it, and only
	// JSON reports it (text prints it with the fix summary).
	Withheld []WithheldFix
}

// WithheldFix is a fix that was not made, and why (never a secret value).
type WithheldFix struct {
	File    string
	Line    int
	Rule    string
	Service string
	Reason  string
}

// Suppression kinds, as SARIF names them.
const (
	// InSource is an ignore comment in the compose file.
	InSource = lint.InSource
	// External is an ignore entry in the config file.
	External = lint.External
)

// SuppressedFinding is a finding that would have been reported but was
// silenced, with the reason given for it (Kind is InSource or External).
type SuppressedFinding = lint.Suppressed

// Fixable counts findings whose fix `composure fix` applies by default.
func (r *Result) Fixable() int {
	n := 0
	for _, f := range r.Findings {
		if f.Fix != nil && f.Fix.Applicability == lint.Safe {
			n++
		}
	}
	return n
}

// Options tune a reporter.
type Options struct {
	// Color turns on ANSI colours (text only).
	Color bool
	// Source returns the bytes of a file so the text reporter can show the
	// offending line; nil disables source lines.
	Source func(file string) []byte
	// Version is the composure version SARIF names; "" means "dev".
	Version string
	// DocsRef is the git ref rule links point at (RuleURL): the release
	// tag, or "" (main) for a devel build.
	DocsRef string
	// FailOn is the run's --fail-on threshold: JUnit reports findings
	// below it as passing test cases. Off (the zero value): all fail.
	FailOn lint.Severity
	// Dir is the directory Finding.Pos.File is relative to (SARIF's
	// %SRCROOT%); SARIF also makes fix edits' absolute paths relative to it.
	// "" means the current directory.
	Dir string
	// Catalogue is every rule there is: SARIF's driver lists them all.
	Catalogue []*lint.Rule
}

// Reporter writes a Result in one format.
type Reporter interface {
	Report(w io.Writer, r *Result) error
}
