package fixer

import (
	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
)

// fixedCount counts the findings of before with a fix opts makes eligible
// whose problem no finding of after still reports (same fingerprint.Identity).
func fixedCount(before, after []lint.Outcome, opts Options) int {
	left := map[fingerprint.Identity]bool{}
	for _, o := range after {
		for _, f := range o.Findings {
			left[fingerprint.Of(f)] = true
		}
	}
	n := 0
	for _, o := range before {
		for _, f := range o.Findings {
			if f.Fix != nil && eligible(f.Fix, opts) && !left[fingerprint.Of(f)] {
				n++
			}
		}
	}
	return n
}
