package fixer

import (
	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
)

// fixedCount counts the findings of before with a fix opts makes eligible
// whose problem no finding of after still reports (same fingerprint.Identity),
// each problem once.
func fixedCount(before, after []lint.Outcome, opts Options) int {
	left := map[fingerprint.Identity]bool{}
	for _, o := range after {
		for _, f := range o.Findings {
			left[fingerprint.Of(f)] = true
		}
	}
	// A problem of a file several projects read (a base under its
	// overlay) is in each project's outcome; lint reports it once, and it
	// is counted once.
	counted := map[fingerprint.Identity]bool{}
	for _, o := range before {
		for _, f := range o.Findings {
			id := fingerprint.Of(f)
			if f.Fix != nil && eligible(f.Fix, opts) && !left[id] {
				counted[id] = true
			}
		}
	}
	return len(counted)
}
