package cmd

import "io"

// Exit codes, SPEC §3.
const (
	// ExitOK: no finding at or above --fail-on.
	ExitOK = 0
	// ExitFindings: findings at or above --fail-on.
	ExitFindings = 1
	// ExitIncomplete: could not lint everything (usage error, unreadable or
	// invalid file, bad config). Findings for the rest are still printed.
	ExitIncomplete = 2
	// ExitInternal: a bug in composure.
	ExitInternal = 3
)

// exitError carries an exit code out of a cobra RunE.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// outputError is a failed write of the output (a full disk, a closed
// pipe): composure could not do what was asked, which is ExitIncomplete
// for every command, as for a file it could not read; it is not a bug.
func outputError(err error) error {
	return &exitError{code: ExitIncomplete, err: err}
}

// errWriter keeps the first error of a series of writes, so output
// written piece by piece (a diff, file after file) is checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}
