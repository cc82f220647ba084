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

// UnifiedShown draws the hunks of old and new with the shown texts'
// lines: a line that changes only in a hidden part still shows changed.
func TestUnifiedShown(t *testing.T) {
	old, new := []byte("a\nk: s3cret\nc\nd: s3cret\n"), []byte("a\nk: other\nc\nd: s3cret\n")
	oldShown, newShown := []byte("a\nk: ****\nc\nd: ****\n"), []byte("a\nk: other\nc\nd: ****\n")
	got, ok := UnifiedShown("f", old, new, oldShown, newShown)
	want := "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-k: ****\n+k: other\n c\n d: ****\n"
	if !ok || got != want {
		t.Errorf("UnifiedShown = %q, %v; want %q", got, ok, want)
	}
	same, _ := UnifiedShown("f", []byte("k: s1\n"), []byte("k: s2\n"), []byte("k: **\n"), []byte("k: **\n"))
	if same != "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-k: **\n+k: **\n" {
		t.Errorf("a change in a hidden part is not shown: %q", same)
	}
	if _, ok := UnifiedShown("f", old, new, []byte("a\nk: ****c\nd: ****\n"), newShown); ok {
		t.Error("a shown text with other lines is accepted")
	}
	if _, ok := UnifiedShown("f", []byte("a\n"), []byte("b"), []byte("a\n"), []byte("b\n")); ok {
		t.Error("a shown text with a line break the original lacks is accepted")
	}
}
