// Package report renders lint results, one output format per file.
package report

import (
	"io"

	"github.com/composure-dev/composure/rules"
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
	Findings []rules.Finding
	Errors   []LoadError
	// Files is the number of compose files that were linted.
	Files int
}

// Fixable counts findings whose fix `composure fix` applies by default.
func (r *Result) Fixable() int {
	n := 0
	for _, f := range r.Findings {
		if f.Fix != nil && f.Fix.Applicability == rules.Safe {
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
}

// Reporter writes a Result in one format.
type Reporter interface {
	Report(w io.Writer, r *Result) error
}
