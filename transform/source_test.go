package transform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.yaml.in/yaml/v4"
)

func TestSourceOffsetPosition(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// positions (line, column) and the offsets they map to
		pos  [][3]int
		eol  string
		nlin int
	}{
		{
			name: "LF",
			src:  "a: 1\nbb: 2\n",
			pos:  [][3]int{{1, 1, 0}, {1, 4, 3}, {1, 5, 4}, {2, 1, 5}, {2, 6, 10}, {3, 1, 11}},
			eol:  "\n", nlin: 2,
		},
		{
			name: "CRLF",
			src:  "a: 1\r\nb: 2\r\n",
			pos:  [][3]int{{1, 5, 4}, {2, 1, 6}, {2, 4, 9}, {3, 1, 12}},
			eol:  "\r\n", nlin: 2,
		},
		{
			name: "no final newline",
			src:  "a: 1\nb: 2",
			pos:  [][3]int{{2, 4, 8}, {2, 5, 9}},
			eol:  "\n", nlin: 2,
		},
		{
			name: "multi-byte characters before the column",
			src:  "é: ü\nkey: 名前 # コメント\n",
			pos:  [][3]int{{1, 1, 0}, {1, 2, 2}, {1, 4, 4}, {2, 6, 12}, {2, 8, 18}, {2, 9, 19}},
			eol:  "\n", nlin: 2,
		},
		{
			name: "byte order mark is not part of line 1",
			src:  "\uFEFFa: 1\n",
			pos:  [][3]int{{1, 1, 3}, {1, 4, 6}},
			eol:  "\n", nlin: 1,
		},
		{
			name: "NEL, LS and PS break lines as in the scanner",
			src:  "a\u0085b\u2028c\u2029d",
			pos:  [][3]int{{2, 1, 3}, {3, 1, 7}, {4, 1, 11}},
			eol:  "\n", nlin: 4,
		},
		{
			name: "mostly CRLF",
			src:  "a\r\nb\r\nc\n",
			pos:  [][3]int{{3, 1, 6}},
			eol:  "\r\n", nlin: 3,
		},
		{
			name: "CR only",
			src:  "a\rb\r",
			pos:  [][3]int{{2, 1, 2}},
			eol:  "\r", nlin: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSource("f", []byte(tt.src))
			if s.LineEnding() != tt.eol {
				t.Errorf("LineEnding() = %q, want %q", s.LineEnding(), tt.eol)
			}
			if s.Lines() != tt.nlin {
				t.Errorf("Lines() = %d, want %d", s.Lines(), tt.nlin)
			}
			for _, p := range tt.pos {
				off, err := s.Offset(p[0], p[1])
				if err != nil || off != p[2] {
					t.Errorf("Offset(%d, %d) = %d, %v; want %d", p[0], p[1], off, err, p[2])
				}
				if off == len(tt.src) && p[1] == 1 && p[0] > s.Lines() {
					continue // end of file after a final break
				}
				line, col := s.Position(p[2])
				if line != p[0] || col != p[1] {
					t.Errorf("Position(%d) = %d:%d, want %d:%d", p[2], line, col, p[0], p[1])
				}
			}
		})
	}
	s := NewSource("f", []byte("ab\ncd"))
	for _, bad := range [][2]int{{0, 1}, {1, 0}, {1, 4}, {3, 2}, {4, 1}} {
		if off, err := s.Offset(bad[0], bad[1]); err == nil {
			t.Errorf("Offset(%d, %d) = %d, want an error", bad[0], bad[1], off)
		}
	}
}

// TestNodePositions checks that every node's reported position maps to
// the byte where its text starts, with the scanner's idea of columns.
func TestNodePositions(t *testing.T) {
	src := "\uFEFFkey: &a 名前\r\n\"q\": 'é'\r\nlist:\r\n- *a\r\n- [x, {y: ü}]\r\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("f", []byte(src))
	var got []string
	for _, n := range allNodes(&doc)[1:] {
		off, err := s.NodeOffset(n)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, src[off:min(off+3, len(src))])
	}
	want := []string{"key", "key", "&a ", "\"q\"", "'é", "lis", "- *", "*a\r", "[x,", "x, ", "{y:", "y: ", "ü}"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("node starts (-want +got):\n%s", diff)
	}
}

func TestSpan(t *testing.T) {
	src := `services:
  web:
    image: "nginx:1.27" # pinned
    entrypoint: 'it''s'
    command: plain text  # comment
    environment: &env
      A: 1
      B: "two"
    labels: {a: 1, b: [x, y]}   # flow
    healthcheck:
      test: |
        curl -f http://localhost
        exit 0

    folded: >-
      one
      two
    multi: first
      second
    x: *env
    tagged: !!str 123
    empty:
    nulltag: !!null
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("compose.yaml", []byte(src))
	web := nav(&doc, "services", "web")
	tests := []struct {
		path []string
		want string
	}{
		{[]string{"image"}, `"nginx:1.27"`},
		{[]string{"entrypoint"}, `'it''s'`},
		{[]string{"command"}, `plain text`},
		{[]string{"environment"}, "&env\n      A: 1\n      B: \"two\""},
		{[]string{"environment", "B"}, `"two"`},
		{[]string{"labels"}, `{a: 1, b: [x, y]}`},
		{[]string{"labels", "b"}, `[x, y]`},
		{[]string{"healthcheck"}, "test: |\n        curl -f http://localhost\n        exit 0"},
		{[]string{"healthcheck", "test"}, "|\n        curl -f http://localhost\n        exit 0"},
		{[]string{"folded"}, ">-\n      one\n      two"},
		{[]string{"multi"}, "first\n      second"},
		{[]string{"x"}, "*env"},
		{[]string{"tagged"}, "!!str 123"},
		{[]string{"empty"}, ""},
		{[]string{"nulltag"}, "!!null"},
	}
	for _, tt := range tests {
		n := nav(web, tt.path...)
		start, end := Span(s, n)
		if got := src[start:end]; got != tt.want {
			t.Errorf("Span(%v) = %q, want %q", tt.path, got, tt.want)
		}
		if EndOfNode(s, n) != end {
			t.Errorf("EndOfNode(%v) != Span end", tt.path)
		}
	}
	// A node from another document is an error for NodeExtent, and Span
	// falls back to an empty range.
	var other yaml.Node
	if err := yaml.Unmarshal([]byte("zzz: 1\n"), &other); err != nil {
		t.Fatal(err)
	}
	if _, _, err := NodeExtent(s, nav(&other, "zzz")); err == nil {
		t.Error("NodeExtent of a foreign node: want an error")
	}
}

func TestRangeTouches(t *testing.T) {
	src := "x-base: &base # the base\n  image: \"a # not a comment\"\n  url: http://h/#frag\n  cmd: |\n    # not a comment either\nsvc:\n  <<: *base\n  tag: !t &x v # c2\n"
	s := NewSource("f", []byte(src))
	at := func(sub string) int {
		i := strings.Index(src, sub)
		if i < 0 {
			t.Fatalf("%q not in source", sub)
		}
		return i
	}
	comment := []struct {
		name      string
		start, n  int
		want      bool
		insertion bool
	}{
		{"comment after anchor", at("# the base"), 3, true, false},
		{"space before a comment", at("# the base") - 1, 1, false, false},
		{"hash in a quoted scalar", at("# not a comment\""), 5, false, false},
		{"hash in a plain scalar", at("#frag"), 2, false, false},
		{"hash in a block scalar", at("# not a comment either"), 3, false, false},
		{"last comment", at("# c2"), 4, true, false},
		{"range spanning a comment", at("image"), at("cmd") - at("image"), false, false},
		{"range from a scalar over the comment", at("v # c2"), 4, true, false},
		{"insertion inside a comment", at("# c2") + 2, 0, true, true},
		{"insertion before a comment", at("# c2"), 0, false, true},
	}
	for _, tt := range comment {
		e := Edit{Start: tt.start, End: tt.start + tt.n}
		if got := RangeTouchesComment(s, e); got != tt.want {
			t.Errorf("RangeTouchesComment(%s %q) = %v, want %v", tt.name, src[e.Start:e.End], got, tt.want)
		}
	}
	anchors := []struct {
		name     string
		start, n int
		want     bool
	}{
		{"anchor", at("&base"), 5, true},
		{"part of an anchor", at("&base") + 2, 1, true},
		{"alias", at("*base"), 5, true},
		{"merge key", at("<<"), 2, true},
		{"value after the merge key", at("image"), 5, false},
		{"anchor after a tag", at("&x v"), 2, true},
		{"tag before an anchor", at("!t &x"), 3, false},
		{"plain scalar", at("url"), 3, false},
	}
	for _, tt := range anchors {
		e := Edit{Start: tt.start, End: tt.start + tt.n}
		if got := RangeTouchesAnchorOrAlias(s, e); got != tt.want {
			t.Errorf("RangeTouchesAnchorOrAlias(%s %q) = %v, want %v", tt.name, src[e.Start:e.End], got, tt.want)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	if !IsAliased(s, nav(&doc, "x-base", "image")) {
		t.Error("IsAliased(x-base.image) = false, want true")
	}
	if IsAliased(s, nav(&doc, "svc")) {
		t.Error("IsAliased(svc) = true, want false")
	}
	// An unparsable file falls back to a byte search.
	bad := NewSource("f", []byte("a: [\n# x\n"))
	if !RangeTouchesComment(bad, Edit{Start: 5, End: 8}) {
		t.Error("fallback: want true for a range with '#'")
	}
}

// A Source made from the caller's parse uses those very nodes (no second
// parse), and the helpers' self-check never modifies them: it builds the
// expected tree copy-on-write.
func TestParsedSourceSharesAndKeepsTree(t *testing.T) {
	src := []byte("services:\n  db:\n    image: postgres\n    volumes:\n      - a:/x\nvolumes:\n  a:\n")
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	before := cloneNode(&doc)
	s := NewParsedSource("compose.yaml", src, []*yaml.Node{&doc})
	root := doc.Content[0]
	db := root.Content[1].Content[1]
	vols := db.Content[3]
	if n, err := s.lookup(db); err != nil || n != db {
		t.Fatalf("lookup(db) = %p, %v; want the caller's own node %p", n, err, db)
	}
	calls := []func() ([]Edit, error){
		func() ([]Edit, error) { return AddMappingEntry(s, db, "restart", "always") },
		func() ([]Edit, error) { return AppendSequenceItem(s, vols, "b:/y") },
		func() ([]Edit, error) { return AddTopLevelEntry(s, &doc, "volumes", "b", "") },
		func() ([]Edit, error) { return ReplaceScalar(s, db.Content[1], "postgres:18") },
		func() ([]Edit, error) { return RemoveSequenceItem(s, vols, 0) },
		func() ([]Edit, error) { return RemoveMappingEntry(s, db, "image") },
	}
	for i, call := range calls {
		if _, err := call(); err != nil {
			t.Fatalf("helper %d: %v", i, err)
		}
	}
	if diff := cmp.Diff(before, &doc, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("the caller's tree changed (-before +after):\n%s", diff)
	}
}

// A Batch view records the helpers' self-checks; VerifyBatch checks the
// joined edits against all of them at once, and only those edits pass.
func TestBatchVerify(t *testing.T) {
	src := []byte("services:\n  db:\n    image: postgres\n    volumes:\n      - a:/x\n")
	docs, err := parseAll(src)
	if err != nil {
		t.Fatal(err)
	}
	s := NewParsedSource("compose.yaml", src, docs).Batch()
	db := docs[0].Content[0].Content[1].Content[1]
	vols := db.Content[3]
	e1, err1 := AddMappingEntry(s, db, "restart", "always")
	e2, err2 := AppendSequenceItem(s, vols, "b:/y")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	joined, err := Join(e1, e2)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyBatch(e1); err == nil {
		t.Error("VerifyBatch accepted the edits of one of two calls")
	}
	// The failed check used up the recorded calls: record them again.
	if _, err := AddMappingEntry(s, db, "restart", "always"); err != nil {
		t.Fatal(err)
	}
	if _, err := AppendSequenceItem(s, vols, "b:/y"); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyBatch(joined); err != nil {
		t.Errorf("VerifyBatch(joined edits) = %v, want nil", err)
	}
	if err := s.VerifyBatch(nil); err != nil {
		t.Errorf("an empty batch with no edits: %v", err)
	}
	if err := s.VerifyBatch(e2); err == nil {
		t.Error("VerifyBatch accepted edits no recorded call made")
	}
}
