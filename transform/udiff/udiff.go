// Package udiff renders unified diffs (the format of `diff -u`) of two
// versions of a text file, for `composure fix --diff` style previews.
//
// The line diff is Myers' O(ND) algorithm in its linear-space form (the
// "middle snake" bisection), run after stripping the common prefix and
// suffix and after setting aside lines that occur in only one of the two
// files (they can never be matched, so the result stays minimal). The
// output follows GNU diff -u: 3 lines of context, hunks merged when at most
// 6 unchanged lines separate two changes, a count of 1 written as "-l"
// instead of "-l,1", an empty range written as "-l,0" where l is the line
// before it, and "\ No newline at end of file" after a last line that has no
// line break.
package udiff

import (
	"bytes"
	"strconv"
	"strings"
)

// context is the number of unchanged lines shown around each change.
const context = 3

// Unified returns a unified diff (like `diff -u`) of old and new for display
// name `name` ("--- a/<name>", "+++ b/<name>", "@@ -l,n +l,n @@" hunks with 3
// lines of context), or "" when they are equal. Lines are compared exactly,
// including "\r"; a missing final newline is shown with
// "\ No newline at end of file" as diff does. Hunks merge when their
// contexts overlap (or touch). An empty old or new side keeps the a/ and b/
// names and is written as the range "0,0".
func Unified(name string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	a := splitLines(old)
	b := splitLines(new)
	delA, insB := diffLines(a, b)

	var sb strings.Builder
	sb.WriteString("--- a/")
	sb.WriteString(name)
	sb.WriteString("\n+++ b/")
	sb.WriteString(name)
	sb.WriteString("\n")
	writeHunks(&sb, a, b, delA, insB)
	return sb.String()
}

// UnifiedShown is Unified of old and new, written with the lines of
// oldShown and newShown instead: the same texts with some of their bytes
// hidden (secrets masked), line for line. The hunks are those of old and
// new, so a line that changes only in what is hidden still shows as
// changed, and the diff is a valid one from oldShown to newShown. It
// reports false, and no diff, when a shown text does not have its
// original's lines (the hunks would not fit it).
func UnifiedShown(name string, old, new, oldShown, newShown []byte) (string, bool) {
	a, b := splitLines(old), splitLines(new)
	sa, sb2 := splitLines(oldShown), splitLines(newShown)
	if !sameShape(a, sa) || !sameShape(b, sb2) {
		return "", false
	}
	if bytes.Equal(old, new) {
		return "", true
	}
	delA, insB := diffLines(a, b)
	var sb strings.Builder
	sb.WriteString("--- a/")
	sb.WriteString(name)
	sb.WriteString("\n+++ b/")
	sb.WriteString(name)
	sb.WriteString("\n")
	writeHunks(&sb, sa, sb2, delA, insB)
	return sb.String(), true
}

// sameShape reports whether shown has lines's lines: as many, each with
// a line break where lines has one.
func sameShape(lines, shown []string) bool {
	if len(lines) != len(shown) {
		return false
	}
	for i := range lines {
		if strings.HasSuffix(lines[i], "\n") != strings.HasSuffix(shown[i], "\n") {
			return false
		}
	}
	return true
}

// splitLines splits s after each "\n". The last line has no "\n" when s
// does not end with one; an empty s has no lines.
func splitLines(s []byte) []string {
	if len(s) == 0 {
		return nil
	}
	n := bytes.Count(s, []byte{'\n'})
	if s[len(s)-1] != '\n' {
		n++
	}
	lines := make([]string, 0, n)
	str := string(s)
	for len(str) > 0 {
		i := strings.IndexByte(str, '\n')
		if i < 0 {
			lines = append(lines, str)
			break
		}
		lines = append(lines, str[:i+1])
		str = str[i+1:]
	}
	return lines
}

// diffLines returns, for a minimal edit script turning a into b, which
// lines of a are deleted and which lines of b are inserted. Every line not
// marked is matched, in order, with the next unmarked line of the other
// side.
func diffLines(a, b []string) (delA, insB []bool) {
	delA = make([]bool, len(a))
	insB = make([]bool, len(b))

	// Intern lines as ints and count where each occurs.
	ids := make(map[string]int, len(a)+len(b))
	var inA, inB []int // occurrences per id
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
				inA = append(inA, 0)
				inB = append(inB, 0)
			}
			out[i] = id
		}
		return out
	}
	ia := intern(a)
	ib := intern(b)
	for _, id := range ia {
		inA[id]++
	}
	for _, id := range ib {
		inB[id]++
	}

	// A line that does not occur on the other side is always a change;
	// only the others take part in the diff proper.
	var fa, fb []int // filtered ids
	var ma, mb []int // filtered index -> original index
	for i, id := range ia {
		if inB[id] == 0 {
			delA[i] = true
			continue
		}
		fa = append(fa, id)
		ma = append(ma, i)
	}
	for j, id := range ib {
		if inA[id] == 0 {
			insB[j] = true
			continue
		}
		fb = append(fb, id)
		mb = append(mb, j)
	}

	d := &differ{a: fa, b: fb, delA: make([]bool, len(fa)), insB: make([]bool, len(fb))}
	d.compare(0, len(fa), 0, len(fb))
	for i, del := range d.delA {
		if del {
			delA[ma[i]] = true
		}
	}
	for j, ins := range d.insB {
		if ins {
			insB[mb[j]] = true
		}
	}
	return delA, insB
}

type differ struct {
	a, b       []int
	delA, insB []bool
	vf, vb     []int // scratch for bisect, grown on demand
}

// compare marks a minimal edit script turning a[aLo:aHi] into b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi--
		bHi--
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			d.insB[j] = true
		}
		return
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			d.delA[i] = true
		}
		return
	}
	// Both sides are non-empty and differ at both ends, so the edit
	// distance D is at least 2 and each half below costs less than D:
	// the recursion terminates.
	x, y, ok := d.bisect(aLo, aHi, bLo, bHi)
	if !ok {
		// Cannot happen; replacing everything is still a correct diff.
		for i := aLo; i < aHi; i++ {
			d.delA[i] = true
		}
		for j := bLo; j < bHi; j++ {
			d.insB[j] = true
		}
		return
	}
	d.compare(aLo, x, bLo, y)
	d.compare(x, aHi, y, bHi)
}

// bisect finds a point (x, y), in absolute indexes, on a minimal edit path
// of a[aLo:aHi] vs b[bLo:bHi] (both non-empty), by running Myers' greedy
// search from both ends at once until the two frontiers meet ("middle
// snake"). vf[k] is the furthest x reached on diagonal k = x - y by the
// forward search, vb[k] the same for the backward search in reversed
// coordinates (x' = n - x, y' = m - y); -1 marks a diagonal not reached.
// Moves that would leave the edit graph are never taken, so every stored
// point is inside it (such moves only lead to points dominated by the
// neighbour they come from, so no minimal path is lost).
//
// It reports ok == false only if the frontiers never met, which cannot
// happen: they meet after ceil(D/2) steps, D being the edit distance.
func (d *differ) bisect(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	a, b := d.a, d.b
	n, m := aHi-aLo, bHi-bLo
	maxD := (n + m + 1) / 2
	off := maxD + 1
	size := 2*maxD + 3
	if cap(d.vf) < size {
		d.vf = make([]int, size)
		d.vb = make([]int, size)
	}
	vf, vb := d.vf[:size], d.vb[:size]
	for i := range vf {
		vf[i] = -1
		vb[i] = -1
	}
	delta := n - m
	odd := delta%2 != 0

	// next returns the furthest point on diagonal k reachable with one
	// more edit from the previous frontier v, before following the snake,
	// or -1 when none is inside the graph.
	next := func(v []int, step, k int) int {
		if step == 0 {
			return 0
		}
		x := -1
		if k+1 <= step-1 && v[off+k+1] >= 0 && v[off+k+1]-k <= m {
			x = v[off+k+1] // down: y + 1
		}
		if k-1 >= -(step-1) && v[off+k-1] >= 0 && v[off+k-1]+1 <= n && v[off+k-1]+1 > x {
			x = v[off+k-1] + 1 // right: x + 1
		}
		return x
	}
	// Diagonals with grid points are -m..n; keep the parity of step.
	bounds := func(step int) (lo, hi int) {
		lo, hi = -step, step
		if lo < -m {
			lo = -m
			if (lo+step)%2 != 0 {
				lo++
			}
		}
		if hi > n {
			hi = n
			if (step-hi)%2 != 0 {
				hi--
			}
		}
		return lo, hi
	}

	for step := 0; step <= maxD; step++ {
		lo, hi := bounds(step)
		for k := lo; k <= hi; k += 2 {
			x := next(vf, step, k)
			if x >= 0 {
				y := x - k
				for x < n && y < m && a[aLo+x] == b[bLo+y] {
					x++
					y++
				}
				if odd {
					// Backward frontier of step-1 on the same diagonal.
					kb := delta - k
					if kb >= -(step-1) && kb <= step-1 && vb[off+kb] >= 0 && x+vb[off+kb] >= n {
						return aLo + x, bLo + y, true
					}
				}
			}
			vf[off+k] = x
		}
		for k := lo; k <= hi; k += 2 {
			// Reversed problem: n and m swap roles only in the sequences,
			// not in the bounds (x' <= n, y' <= m), so the same bounds hold.
			x := next(vb, step, k)
			if x >= 0 {
				y := x - k
				for x < n && y < m && a[aHi-1-x] == b[bHi-1-y] {
					x++
					y++
				}
				if !odd {
					// Forward frontier of this step on the same diagonal.
					kf := delta - k
					if kf >= -step && kf <= step && vf[off+kf] >= 0 && x+vf[off+kf] >= n {
						return aLo + n - x, bLo + m - y, true
					}
				}
			}
			vb[off+k] = x
		}
	}
	return 0, 0, false
}

// writeHunks writes the hunks of the edit script (delA, insB) of a and b.
func writeHunks(sb *strings.Builder, a, b []string, delA, insB []bool) {
	// Walk the script once, collecting maximal change blocks: a[i0:i1]
	// replaced by b[j0:j1], with unchanged lines between blocks.
	type block struct{ i0, i1, j0, j1 int }
	var blocks []block
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if i < len(a) && j < len(b) && !delA[i] && !insB[j] {
			i++
			j++
			continue
		}
		bl := block{i0: i, j0: j}
		for i < len(a) && delA[i] || j < len(b) && insB[j] {
			for i < len(a) && delA[i] {
				i++
			}
			for j < len(b) && insB[j] {
				j++
			}
		}
		bl.i1, bl.j1 = i, j
		if bl.i0 == bl.i1 && bl.j0 == bl.j1 {
			// Inconsistent script (cannot happen): avoid looping forever.
			panic("udiff: unmatched lines in edit script")
		}
		blocks = append(blocks, bl)
	}

	for start := 0; start < len(blocks); {
		// Merge following blocks while at most 2*context unchanged lines
		// separate them.
		end := start + 1
		for end < len(blocks) && blocks[end].i0-blocks[end-1].i1 <= 2*context {
			end++
		}
		first, last := blocks[start], blocks[end-1]
		pre := min(context, first.i0)
		post := min(context, len(a)-last.i1)
		ai0, ai1 := first.i0-pre, last.i1+post
		bj0, bj1 := first.j0-pre, last.j1+post
		sb.WriteString("@@ -")
		writeRange(sb, ai0, ai1-ai0)
		sb.WriteString(" +")
		writeRange(sb, bj0, bj1-bj0)
		sb.WriteString(" @@\n")

		ii := ai0
		for k := start; k < end; k++ {
			bl := blocks[k]
			for ; ii < bl.i0; ii++ {
				writeLine(sb, ' ', a[ii])
			}
			for _, l := range a[bl.i0:bl.i1] {
				writeLine(sb, '-', l)
			}
			for _, l := range b[bl.j0:bl.j1] {
				writeLine(sb, '+', l)
			}
			ii = bl.i1
		}
		for ; ii < ai1; ii++ {
			writeLine(sb, ' ', a[ii])
		}
		start = end
	}
}

// writeRange writes a hunk range as diff -u does: "l,n" with l 1-based,
// "l" alone when n is 1, and for an empty range the line before it.
func writeRange(sb *strings.Builder, start0, n int) {
	switch n {
	case 0:
		sb.WriteString(strconv.Itoa(start0))
		sb.WriteString(",0")
	case 1:
		sb.WriteString(strconv.Itoa(start0 + 1))
	default:
		sb.WriteString(strconv.Itoa(start0 + 1))
		sb.WriteByte(',')
		sb.WriteString(strconv.Itoa(n))
	}
}

func writeLine(sb *strings.Builder, prefix byte, line string) {
	sb.WriteByte(prefix)
	sb.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		sb.WriteString("\n\\ No newline at end of file\n")
	}
}
