package config

import (
	"strings"

	"github.com/composure-dev/composure/rules/project"
)

// Errors are all the problems of one config file, in file order; each
// has its file:line:col. errors.As finds the first *project.Error.
type Errors []*project.Error

// Error lists the errors, one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.As and errors.Is each error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// didYouMean is " (did you mean X?)" for the candidate nearest to name,
// when one is close enough to be a typo; "" otherwise.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), c)
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	// A typo changes a few characters; a third of the name is generous
	// for ids like stateful-volume-missing, two is the floor for short keys.
	limit := max(2, len(name)/3)
	if best == "" || bestDist > limit || bestDist == 0 && name == best {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
