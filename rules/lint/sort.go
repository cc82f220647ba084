package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Sort orders findings by file, line, column, then rule and message, so
// output is the same on every run.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return findingLess(fs[i], fs[j]) })
}

func findingLess(a, b Finding) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Column != b.Pos.Column {
		return a.Pos.Column < b.Pos.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

func sortedSuppressed(ss []Suppressed) []Suppressed {
	sort.SliceStable(ss, func(i, j int) bool { return findingLess(ss[i].Finding, ss[j].Finding) })
	return ss
}

// uniqueSuppressed keeps one suppressed finding per rule and place, as
// Unique does for reported ones; ss must be sorted by finding.
func uniqueSuppressed(ss []Suppressed) []Suppressed {
	out := ss[:0]
	for i, s := range ss {
		if i > 0 && sameProblem(out[len(out)-1].Finding, s.Finding) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Unique drops each finding that same reports as a repeat of the one
// kept before it; fs must be sorted (Sort).
func Unique(fs []Finding, same func(a, b Finding) bool) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && same(out[len(out)-1], f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// samePlace: one rule at one position is one problem to fix.
func samePlace(a, b Finding) bool { return a.Rule == b.Rule && a.Pos == b.Pos }

// sameProblem is samePlace for checked findings; the suppression
// comments' own findings are each a different problem with one comment
// (an unknown rule id, and an ignore that silenced nothing).
func sameProblem(a, b Finding) bool {
	return samePlace(a, b) && !isMeta(a.Rule)
}

// withServicesOf is a with the services of b it does not name yet; a
// message with a services slot is rendered again to name them all.
func withServicesOf(a, b Finding) Finding {
	added := false
	for _, s := range b.Services {
		if !slices.Contains(a.Services, s) {
			a.Services = append(slices.Clip(a.Services), s)
			added = true
		}
	}
	if added && a.ServicesFormat != "" {
		a.Message = fmt.Sprintf(a.ServicesFormat, ServiceList(a.Services))
	}
	return a
}

// ServiceList names services for a message: `service "a"` or
// `services "a", "b" and "c"`.
func ServiceList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	if len(quoted) == 1 {
		return "service " + quoted[0]
	}
	return "services " + strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}
