package transform

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// The edit engine follows the model of golang.org/x/tools/internal/diff
// (sort by offset, validate, splice) but is stricter: edits that could be
// applied in more than one order are rejected instead of being applied in
// the order they were given. Fix grouping and the "apply what does not
// conflict, then run again" loop follow ruff's fix application.

// Apply returns src with edits applied. Edits are sorted by (Start, End);
// identical edits (same Start, End and New) are applied once. It fails,
// without applying anything, when an edit is out of range (Start < 0,
// End > len(src) or Start > End) or when two edits overlap. Two insertions
// at the same offset overlap unless their text is identical; an insertion
// at the offset where a replacement starts or ends does not overlap it (the
// insertion goes first, respectively last). Apply ignores Edit.File: the
// caller groups edits by file.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted, err := Normalize(len(src), edits)
	if err != nil {
		return nil, err
	}
	size := len(src)
	for _, e := range sorted {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, src[last:]...)
	return out, nil
}

// Normalize validates edits against a source of srcLen bytes and returns
// them sorted by (Start, End) with identical duplicates removed. The input
// slice is not modified. It reports the same errors as Apply.
func Normalize(srcLen int, edits []Edit) ([]Edit, error) {
	for _, e := range edits {
		if e.Start < 0 || e.End > srcLen || e.Start > e.End {
			return nil, fmt.Errorf("edit %s out of range for %d bytes", describe(e), srcLen)
		}
	}
	sorted := sortEdits(edits)
	out := sorted[:0]
	for _, e := range sorted {
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.Start == e.Start && prev.End == e.End && prev.New == e.New {
				continue // identical duplicate
			}
			if conflict(prev, e) {
				return nil, fmt.Errorf("overlapping edits %s and %s", describe(prev), describe(e))
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// Merge combines the edit groups of several fixes to one file. Each group
// is all-or-nothing: groups are accepted in order while none of their edits
// conflicts with an edit already accepted (an identical edit is not a
// conflict: it is applied once). A group that overlaps itself or has an
// edit with Start < 0 or Start > End is dropped too (End is not checked
// against the file length: Apply does that). merged is sorted and free of
// duplicates; applied and dropped hold group indexes in increasing order, so
// a caller can print "applied len(applied) of len(groups) fixes" and run the
// linter again for the dropped ones.
func Merge(groups [][]Edit) (merged []Edit, applied []int, dropped []int) {
	for i, g := range groups {
		own, ok := normalizeGroup(g)
		if !ok {
			dropped = append(dropped, i)
			continue
		}
		if next, ok := mergeSorted(merged, own); ok {
			merged = next
			applied = append(applied, i)
		} else {
			dropped = append(dropped, i)
		}
	}
	return merged, applied, dropped
}

// normalizeGroup sorts and de-duplicates one group without knowing the
// file length.
func normalizeGroup(g []Edit) ([]Edit, bool) {
	for _, e := range g {
		if e.Start < 0 || e.Start > e.End {
			return nil, false
		}
	}
	out, err := Normalize(int(^uint(0)>>1), g)
	return out, err == nil
}

// mergeSorted merges two sorted, duplicate-free, conflict-free lists; ok is
// false when an edit of b conflicts with one of a.
func mergeSorted(a, b []Edit) ([]Edit, bool) {
	out := make([]Edit, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var e Edit
		switch {
		case j == len(b):
			e, i = a[i], i+1
		case i == len(a):
			e, j = b[j], j+1
		case compareEdits(a[i], b[j]) <= 0:
			e, i = a[i], i+1
		default:
			e, j = b[j], j+1
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.Start == e.Start && prev.End == e.End && prev.New == e.New {
				continue
			}
			if conflict(prev, e) {
				return nil, false
			}
		}
		out = append(out, e)
	}
	return out, true
}

// conflict reports whether b, which sorts after a, cannot be applied
// together with a. Because the list is sorted, checking neighbours is
// enough: if b overlaps an earlier edit it overlaps its predecessor too
// (predecessors end at or after the earlier ones that do not conflict).
func conflict(a, b Edit) bool {
	if b.Start < a.End {
		return true
	}
	// Two insertions at one offset: their order would be arbitrary.
	return a.Start == a.End && b.Start == b.End && a.Start == b.Start
}

func compareEdits(a, b Edit) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.End, b.End); c != 0 {
		return c
	}
	return strings.Compare(a.New, b.New)
}

func sortEdits(edits []Edit) []Edit {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, compareEdits)
	return sorted
}

func describe(e Edit) string {
	return fmt.Sprintf("[%d,%d)->%q", e.Start, e.End, e.New)
}

// Join combines the edits of several helper calls into the edits of one
// fix. Helpers that append at the end of nested collections can insert at
// the same offset (a volume appended to the last service and a new
// top-level "volumes:" section both go after the file's last line); Join
// turns such insertions into one: identical texts are kept once, text that
// continues the current line goes first, then lines in order of decreasing
// indentation (the innermost collection's new line before its parent's),
// then argument order. Any other overlap is an error, as in Apply. The
// result is sorted.
func Join(parts ...[]Edit) ([]Edit, error) {
	var others []Edit
	inserts := map[int][]Edit{}
	var offsets []int
	for _, part := range parts {
		for _, e := range part {
			if e.Start != e.End {
				others = append(others, e)
				continue
			}
			if _, ok := inserts[e.Start]; !ok {
				offsets = append(offsets, e.Start)
			}
			if !slices.ContainsFunc(inserts[e.Start], func(x Edit) bool { return x.New == e.New }) {
				inserts[e.Start] = append(inserts[e.Start], e)
			}
		}
	}
	out := others
	for _, off := range offsets {
		group := inserts[off]
		slices.SortStableFunc(group, func(a, b Edit) int { return cmp.Compare(insertDepth(b.New), insertDepth(a.New)) })
		joined := group[0]
		for _, e := range group[1:] {
			joined.New += e.New
		}
		out = append(out, joined)
	}
	return Normalize(int(^uint(0)>>1), out)
}

// insertDepth orders insertions at one offset: text that does not start
// with a line break continues the current line (it goes first); otherwise
// the indentation of its first non-blank line.
func insertDepth(s string) int {
	if s == "" || (s[0] != '\n' && s[0] != '\r') {
		return int(^uint(0) >> 1)
	}
	s = strings.TrimLeft(s, "\r\n")
	return len(s) - len(strings.TrimLeft(s, " "))
}
