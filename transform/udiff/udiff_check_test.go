package udiff

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

type hunk struct {
	oldStart, oldLen, newStart, newLen int // starts as written (1-based, or line before when len is 0)
	lines                              []hunkLine
}

type hunkLine struct {
	op   byte   // ' ', '-', '+'
	text string // including its "\n" unless marked with "\ No newline"
}

const noNewline = "\\ No newline at end of file"

// parseUnified parses the output of Unified strictly.
func parseUnified(name, out string) ([]hunk, error) {
	if !strings.HasSuffix(out, "\n") {
		return nil, fmt.Errorf("output does not end with a newline")
	}
	rows := strings.SplitAfter(out, "\n")
	rows = rows[:len(rows)-1] // the empty string after the last "\n"
	if len(rows) < 3 {
		return nil, fmt.Errorf("output too short: %q", out)
	}
	if rows[0] != "--- a/"+name+"\n" || rows[1] != "+++ b/"+name+"\n" {
		return nil, fmt.Errorf("bad headers %q %q", rows[0], rows[1])
	}
	var hunks []hunk
	for _, row := range rows[2:] {
		switch {
		case strings.HasPrefix(row, "@@ "):
			h, err := parseHeader(row)
			if err != nil {
				return nil, err
			}
			hunks = append(hunks, h)
		case row == noNewline+"\n":
			if len(hunks) == 0 || len(hunks[len(hunks)-1].lines) == 0 {
				return nil, fmt.Errorf("%q without a line before it", noNewline)
			}
			h := &hunks[len(hunks)-1]
			prev := &h.lines[len(h.lines)-1]
			if !strings.HasSuffix(prev.text, "\n") {
				return nil, fmt.Errorf("two %q in a row", noNewline)
			}
			prev.text = strings.TrimSuffix(prev.text, "\n")
		case len(row) >= 2 && (row[0] == ' ' || row[0] == '-' || row[0] == '+'):
			if len(hunks) == 0 {
				return nil, fmt.Errorf("line %q before any hunk", row)
			}
			h := &hunks[len(hunks)-1]
			h.lines = append(h.lines, hunkLine{op: row[0], text: row[1:]})
		default:
			return nil, fmt.Errorf("unexpected row %q", row)
		}
	}
	return hunks, nil
}

func parseHeader(row string) (hunk, error) {
	var h hunk
	fields := strings.Fields(strings.TrimSuffix(row, "\n"))
	if len(fields) != 4 || fields[0] != "@@" || fields[3] != "@@" ||
		!strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return h, fmt.Errorf("bad hunk header %q", row)
	}
	parse := func(s string) (start, n int, err error) {
		startStr, nStr, hasN := strings.Cut(s, ",")
		if start, err = strconv.Atoi(startStr); err != nil {
			return 0, 0, err
		}
		n = 1
		if hasN {
			if n, err = strconv.Atoi(nStr); err != nil {
				return 0, 0, err
			}
			if n == 1 {
				return 0, 0, fmt.Errorf("count 1 written explicitly in %q", row)
			}
		}
		return start, n, nil
	}
	var err error
	if h.oldStart, h.oldLen, err = parse(fields[1][1:]); err != nil {
		return h, fmt.Errorf("bad hunk header %q: %v", row, err)
	}
	if h.newStart, h.newLen, err = parse(fields[2][1:]); err != nil {
		return h, fmt.Errorf("bad hunk header %q: %v", row, err)
	}
	return h, nil
}

// applyUnified applies the diff out to old, checking every context and
// deleted line and the hunk headers, and returns the result.
func applyUnified(name string, old []byte, out string) ([]byte, []hunk, error) {
	hunks, err := parseUnified(name, out)
	if err != nil {
		return nil, nil, err
	}
	a := splitLines(old)
	var res []string
	pos := 0
	for hi, h := range hunks {
		start0 := h.oldStart - 1
		if h.oldLen == 0 {
			start0 = h.oldStart
		}
		newStart0 := h.newStart - 1
		if h.newLen == 0 {
			newStart0 = h.newStart
		}
		if start0 < pos || start0 > len(a) {
			return nil, nil, fmt.Errorf("hunk %d starts at old line %d, position is %d of %d", hi, start0, pos, len(a))
		}
		res = append(res, a[pos:start0]...)
		pos = start0
		if newStart0 != len(res) {
			return nil, nil, fmt.Errorf("hunk %d: new start %d, but %d lines written so far", hi, newStart0, len(res))
		}
		var nOld, nNew int
		for _, l := range h.lines {
			switch l.op {
			case ' ', '-':
				if pos >= len(a) || a[pos] != l.text {
					return nil, nil, fmt.Errorf("hunk %d: line %q does not match old line %d", hi, l.text, pos+1)
				}
				pos++
				nOld++
				if l.op == ' ' {
					res = append(res, l.text)
					nNew++
				}
			case '+':
				res = append(res, l.text)
				nNew++
			}
		}
		if nOld != h.oldLen || nNew != h.newLen {
			return nil, nil, fmt.Errorf("hunk %d: header says -%d +%d, body has -%d +%d", hi, h.oldLen, h.newLen, nOld, nNew)
		}
	}
	res = append(res, a[pos:]...)
	for i, l := range res[:max(len(res)-1, 0)] {
		if !strings.HasSuffix(l, "\n") {
			return nil, nil, fmt.Errorf("result line %d has no newline but is not last", i+1)
		}
	}
	return []byte(strings.Join(res, "")), hunks, nil
}

// checkDiff checks that out is "" exactly when old == new, that applying
// it to old yields new, and the shape diff -u gives its hunks: at least
// one change per hunk, exactly min(3, available) context lines at both
// ends, at most 6 unchanged lines between two changes of a hunk, more than
// 6 between hunks, and deletions before insertions in each change block.
func checkDiff(name string, old, new []byte, out string) error {
	if bytes.Equal(old, new) {
		if out != "" {
			return fmt.Errorf("equal inputs gave a diff:\n%s", out)
		}
		return nil
	}
	if out == "" {
		return fmt.Errorf("different inputs gave no diff")
	}
	got, hunks, err := applyUnified(name, old, out)
	if err != nil {
		return fmt.Errorf("%v\ndiff:\n%s", err, out)
	}
	if !bytes.Equal(got, new) {
		return fmt.Errorf("applying the diff gave %q, want %q\ndiff:\n%s", got, new, out)
	}
	nOld := len(splitLines(old))
	prevEnd := -1 // old index after the last change of the previous hunk
	for hi, h := range hunks {
		start0 := h.oldStart - 1
		if h.oldLen == 0 {
			start0 = h.oldStart
		}
		// Leading and trailing context.
		lead, trail := 0, 0
		for _, l := range h.lines {
			if l.op != ' ' {
				break
			}
			lead++
		}
		for i := len(h.lines) - 1; i >= 0 && h.lines[i].op == ' '; i-- {
			trail++
		}
		if lead == len(h.lines) {
			return fmt.Errorf("hunk %d has no change\n%s", hi, out)
		}
		if lead != min(context, start0+lead) {
			return fmt.Errorf("hunk %d has %d leading context lines\n%s", hi, lead, out)
		}
		end0 := start0 + h.oldLen
		if trail != min(context, nOld-(end0-trail)) {
			return fmt.Errorf("hunk %d has %d trailing context lines\n%s", hi, trail, out)
		}
		firstChange := start0 + lead
		if prevEnd >= 0 && firstChange-prevEnd <= 2*context {
			return fmt.Errorf("hunk %d should have been merged with the previous one\n%s", hi, out)
		}
		prevEnd = end0 - trail
		// Inner runs of context, and order within change blocks.
		run := 0
		sawPlus := false
		for _, l := range h.lines[lead : len(h.lines)-trail] {
			switch l.op {
			case ' ':
				run++
				sawPlus = false
			case '-':
				if sawPlus {
					return fmt.Errorf("hunk %d: deletion after insertion in one block\n%s", hi, out)
				}
				fallthrough
			case '+':
				if run > 2*context {
					return fmt.Errorf("hunk %d: %d unchanged lines inside a hunk\n%s", hi, run, out)
				}
				run = 0
				sawPlus = sawPlus || l.op == '+'
			}
		}
	}
	return nil
}

// changedLines counts the '-' and '+' lines of a diff.
func changedLines(out string) int {
	n := 0
	for _, row := range strings.SplitAfter(out, "\n") {
		if strings.HasPrefix(row, "-") && !strings.HasPrefix(row, "--- ") ||
			strings.HasPrefix(row, "+") && !strings.HasPrefix(row, "+++ ") {
			n++
		}
	}
	return n
}

// minimalChanges is len(a)+len(b)-2*LCS(a, b), by dynamic programming.
func minimalChanges(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return len(a) + len(b) - 2*prev[len(b)]
}

// checkMinimal checks that the diff has the least possible number of
// changed lines, when the inputs are small enough for the quadratic check.
func checkMinimal(old, new []byte, out string) error {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	if len(a)*len(b) > 1<<20 {
		return nil
	}
	// The headers start with "--- " and "+++ ", which changedLines skips;
	// a deleted line "-- x" is written "--- x" too, so count from the
	// parsed hunks instead when that can happen.
	got := 0
	hunks, err := parseUnified("f", out)
	if err != nil {
		return err
	}
	for _, h := range hunks {
		for _, l := range h.lines {
			if l.op != ' ' {
				got++
			}
		}
	}
	if want := minimalChanges(a, b); got != want {
		return fmt.Errorf("diff changes %d lines, minimum is %d\n%s", got, want, out)
	}
	return nil
}
