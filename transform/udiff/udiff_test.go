package udiff

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seq returns the lines "1\n" .. "n\n".
func seq(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// replaceLine replaces line i (1-based) of s, whose lines end in "\n".
func replaceLine(s string, i int, with string) string {
	lines := strings.SplitAfter(s, "\n")
	lines[i-1] = with + "\n"
	return strings.Join(lines, "")
}

var unifiedCases = []struct {
	name     string
	old, new string
	want     string
}{
	{name: "identical", old: "a\nb\n", new: "a\nb\n", want: ""},
	{name: "both empty", old: "", new: "", want: ""},
	{name: "identical no final newline", old: "a\nb", new: "a\nb", want: ""},
	{
		name: "creation", old: "", new: "a\nb\n",
		want: "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n",
	},
	{
		name: "creation without final newline", old: "", new: "x",
		want: "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n",
	},
	{
		name: "deletion of everything", old: "a\nb\n", new: "",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n",
	},
	{
		name: "deletion of everything without final newline", old: "a\nb", new: "",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n\\ No newline at end of file\n",
	},
	{
		name: "one line", old: "a\n", new: "b\n",
		want: "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n",
	},
	{
		name: "final newline added", old: "a\nb", new: "a\nb\n",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
	},
	{
		name: "final newline removed", old: "a\nb\n", new: "a\nb",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
	},
	{
		name: "both without final newline", old: "a\nb", new: "a\nc",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
	},
	{
		name: "context without final newline", old: "a\nb\nc", new: "x\nb\nc",
		want: "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n-a\n+x\n b\n c\n\\ No newline at end of file\n",
	},
	{
		name: "crlf lines", old: "a\r\nb\r\n", new: "a\r\nc\r\n",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n",
	},
	{
		name: "crlf to lf is a change", old: "a\r\nb\n", new: "a\nb\n",
		want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\n",
	},
	{
		name: "lone carriage return at the end", old: "a\r", new: "a",
		want: "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\r\n\\ No newline at end of file\n+a\n\\ No newline at end of file\n",
	},
	{
		name: "insertion at start", old: seq(10), new: "0\n" + seq(10),
		want: "--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n",
	},
	{
		name: "insertion at end", old: seq(10), new: seq(11),
		want: "--- a/f\n+++ b/f\n@@ -8,3 +8,4 @@\n 8\n 9\n 10\n+11\n",
	},
	{
		name: "deletion at start", old: seq(10), new: strings.TrimPrefix(seq(10), "1\n"),
		want: "--- a/f\n+++ b/f\n@@ -1,4 +1,3 @@\n-1\n 2\n 3\n 4\n",
	},
	{
		name: "change in the middle", old: seq(20), new: replaceLine(seq(20), 10, "X"),
		want: "--- a/f\n+++ b/f\n@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+X\n 11\n 12\n 13\n",
	},
	{
		name: "six unchanged lines between changes: one hunk", old: seq(20),
		new:  replaceLine(replaceLine(seq(20), 3, "X"), 10, "Y"),
		want: "--- a/f\n+++ b/f\n@@ -1,13 +1,13 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n 7\n 8\n 9\n-10\n+Y\n 11\n 12\n 13\n",
	},
	{
		name: "seven unchanged lines between changes: two hunks", old: seq(20),
		new:  replaceLine(replaceLine(seq(20), 3, "X"), 11, "Y"),
		want: "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n 13\n 14\n",
	},
	{
		name: "pure insertion in the middle", old: seq(6), new: "1\n2\n3\nnew\n4\n5\n6\n",
		want: "--- a/f\n+++ b/f\n@@ -1,6 +1,7 @@\n 1\n 2\n 3\n+new\n 4\n 5\n 6\n",
	},
	{
		name: "block replaced: deletions before insertions", old: "a\nb\nc\nd\n", new: "a\nx\ny\nz\nd\n",
		want: "--- a/f\n+++ b/f\n@@ -1,4 +1,5 @@\n a\n-b\n-c\n+x\n+y\n+z\n d\n",
	},
	{
		name: "blank lines", old: "\n\n\n", new: "\n\n",
		want: "--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n \n \n-\n",
	},
}

func TestUnified(t *testing.T) {
	for _, tc := range unifiedCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Unified("f", []byte(tc.old), []byte(tc.new))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("Unified mismatch (-want +got):\n%s\ngot:\n%s", diff, got)
			}
			if err := checkDiff("f", []byte(tc.old), []byte(tc.new), got); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnifiedName(t *testing.T) {
	got := Unified("dir/compose.yaml", []byte("a\n"), []byte("b\n"))
	want := "--- a/dir/compose.yaml\n+++ b/dir/compose.yaml\n@@ -1 +1 @@\n-a\n+b\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestUnifiedMatchesGNUDiff checks the table against GNU diff -u, when
// installed, to make sure the expectations are really diff's format.
func TestUnifiedMatchesGNUDiff(t *testing.T) {
	out, err := exec.Command("diff", "--version").Output()
	if err != nil || !bytes.Contains(out, []byte("GNU diffutils")) {
		t.Skip("GNU diff not available")
	}
	dir := t.TempDir()
	for _, tc := range unifiedCases {
		t.Run(tc.name, func(t *testing.T) {
			oldPath := filepath.Join(dir, "old")
			newPath := filepath.Join(dir, "new")
			if err := os.WriteFile(oldPath, []byte(tc.old), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(newPath, []byte(tc.new), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("diff", "-u", "--label", "a/f", "--label", "b/f", oldPath, newPath)
			got, err := cmd.Output()
			var exit *exec.ExitError
			if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
				t.Fatalf("diff: %v", err)
			}
			if diff := cmp.Diff(string(got), tc.want); diff != "" {
				t.Fatalf("GNU diff disagrees with the expectation (-gnu +want):\n%s", diff)
			}
		})
	}
}

// ---- patch application and structural checks ----

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

// randomFile returns n lines drawn from a small alphabet (so that many
// lines repeat, which is where diff algorithms go wrong), sometimes with
// CRLF endings, sometimes without a final newline.
func randomFile(r *rand.Rand, n int) []string {
	alphabet := []string{"a", "b", "c", "d", "", "  x: 1", "services:", "e\r"}
	alphabet = alphabet[:1+r.IntN(len(alphabet))]
	lines := make([]string, n)
	for i := range lines {
		lines[i] = alphabet[r.IntN(len(alphabet))] + "\n"
		if r.IntN(10) == 0 {
			lines[i] = strings.TrimSuffix(lines[i], "\n") + "\r\n"
		}
	}
	return lines
}

func join(lines []string, finalNewline bool) []byte {
	s := strings.Join(lines, "")
	if !finalNewline {
		s = strings.TrimSuffix(s, "\n")
	}
	return []byte(s)
}

// randomEdit applies a few random line insertions, deletions and
// replacements.
func randomEdit(r *rand.Rand, lines []string) []string {
	out := append([]string(nil), lines...)
	for range r.IntN(6) {
		switch op := r.IntN(3); {
		case op == 0 || len(out) == 0: // insert a run
			at := r.IntN(len(out) + 1)
			ins := randomFile(r, 1+r.IntN(4))
			out = append(out[:at], append(ins, out[at:]...)...)
		case op == 1: // delete a run
			at := r.IntN(len(out))
			n := 1 + r.IntN(min(4, len(out)-at))
			out = append(out[:at], out[at+n:]...)
		default: // replace a line
			out[r.IntN(len(out))] = randomFile(r, 1)[0]
		}
	}
	return out
}

func TestUnifiedProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	iterations := 5000
	if testing.Short() {
		iterations = 500
	}
	for i := range iterations {
		size := 40
		if i%10 == 0 {
			size = 300
		}
		oldLines := randomFile(r, r.IntN(size))
		var newLines []string
		if r.IntN(8) == 0 {
			newLines = randomFile(r, r.IntN(size)) // unrelated file
		} else {
			newLines = randomEdit(r, oldLines)
		}
		old := join(oldLines, r.IntN(4) != 0)
		new := join(newLines, r.IntN(4) != 0)
		out := Unified("f", old, new)
		if err := checkDiff("f", old, new, out); err != nil {
			t.Fatalf("case %d: old %q new %q: %v", i, old, new, err)
		}
		if err := checkMinimal(old, new, out); err != nil {
			t.Fatalf("case %d: old %q new %q: %v", i, old, new, err)
		}
	}
}

// TestUnifiedLongFiles covers spread-out edits in files of a few thousand
// lines, and two unrelated files, which must not take long.
func TestUnifiedLongFiles(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	oldLines := make([]string, 5000)
	for i := range oldLines {
		oldLines[i] = fmt.Sprintf("line %d: %d\n", i, r.IntN(50))
	}
	newLines := append([]string(nil), oldLines...)
	for range 200 {
		switch i := r.IntN(len(newLines)); r.IntN(3) {
		case 0:
			newLines = append(newLines[:i], newLines[i+1:]...)
		case 1:
			newLines = append(newLines[:i], append([]string{"inserted\n"}, newLines[i:]...)...)
		default:
			newLines[i] = fmt.Sprintf("changed %d\n", i)
		}
	}
	old, new := join(oldLines, true), join(newLines, true)
	start := time.Now()
	out := Unified("big.yaml", old, new)
	t.Logf("5000 lines, 200 edits: %v", time.Since(start))
	if err := checkDiff("big.yaml", old, new, out); err != nil {
		t.Fatal(err)
	}

	// Repetitive lines with heavy edits: a large edit distance over lines
	// that all occur on both sides, the worst case for Myers.
	rep := make([]string, 3000)
	rep2 := make([]string, 3000)
	for i := range rep {
		rep[i] = []string{"a\n", "b\n", "c\n"}[r.IntN(3)]
		rep2[i] = []string{"a\n", "b\n", "c\n"}[r.IntN(3)]
	}
	old, new = join(rep, true), join(rep2, true)
	start = time.Now()
	out = Unified("rep", old, new)
	t.Logf("3000 random lines over 3 values: %v", time.Since(start))
	if err := checkDiff("rep", old, new, out); err != nil {
		t.Fatal(err)
	}

	// Unrelated files: no line in common.
	other := make([]string, 5000)
	for i := range other {
		other[i] = fmt.Sprintf("other %d\n", i)
	}
	new = join(other, true)
	old = join(oldLines, true)
	start = time.Now()
	out = Unified("x", old, new)
	t.Logf("5000 lines vs 5000 unrelated lines: %v", time.Since(start))
	if err := checkDiff("x", old, new, out); err != nil {
		t.Fatal(err)
	}
	if got := changedLines(out); got != 10000 {
		t.Fatalf("changed lines = %d, want 10000", got)
	}
}

func BenchmarkUnified(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	oldLines := make([]string, 3000)
	for i := range oldLines {
		oldLines[i] = fmt.Sprintf("  key%d: value %d\n", r.IntN(100), r.IntN(100))
	}
	newLines := randomEdit(r, oldLines)
	for range 50 {
		newLines = randomEdit(r, newLines)
	}
	old, new := join(oldLines, true), join(newLines, true)
	b.ReportAllocs()
	for b.Loop() {
		Unified("compose.yaml", old, new)
	}
}

func FuzzUnified(f *testing.F) {
	for _, tc := range unifiedCases {
		f.Add([]byte(tc.old), []byte(tc.new))
	}
	f.Add([]byte("a\nb\nc\na\nb\nb\na\n"), []byte("c\nb\na\nb\na\nc\n"))
	f.Add([]byte("x\r\ny\r\n"), []byte("x\ny\r\n\r\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		out := Unified("f", old, new)
		if err := checkDiff("f", old, new, out); err != nil {
			t.Fatalf("old %q new %q: %v", old, new, err)
		}
		if err := checkMinimal(old, new, out); err != nil {
			t.Fatalf("old %q new %q: %v", old, new, err)
		}
	})
}
