package cmd

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
