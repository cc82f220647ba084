package transform

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"
)

func TestReplaceScalar(t *testing.T) {
	repl := func(path []string, text string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return ReplaceScalar(s, nav(doc, path...), text)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "plain with a comment",
			src:  compose2,
			edit: repl(p("services", "web", "image"), "nginx:1.27"),
			want: strings.Replace(compose2, "image: nginx # pinned", "image: nginx:1.27 # pinned", 1),
		},
		{
			name: "double-quoted with escapes",
			src:  "a: \"x \\\" y\" # c\nb: 1\n",
			edit: repl(p("a"), "'z'"),
			want: "a: 'z' # c\nb: 1\n",
		},
		{
			name: "single-quoted with doubled quotes",
			src:  "a: 'it''s' # c\n",
			edit: repl(p("a"), "\"its\""),
			want: "a: \"its\" # c\n",
		},
		{
			name: "plain with trailing spaces",
			src:  "a: x   \nb: 1\n",
			edit: repl(p("a"), "y"),
			want: "a: y   \nb: 1\n",
		},
		{
			name: "in a flow sequence",
			src:  "a: [x, \"y\", z]\n",
			edit: repl(p("a", "1"), "'w'"),
			want: "a: [x, 'w', z]\n",
		},
		{
			name: "in a flow mapping",
			src:  "a: {k: v, l: w}\n",
			edit: repl(p("a", "k"), "\"v2\""),
			want: "a: {k: \"v2\", l: w}\n",
		},
		{
			name:  "anchored scalar keeps its anchor",
			src:   "a: &x 1\nb: *x\n",
			edit:  repl(p("a"), "2"),
			want:  "a: &x 2\nb: *x\n",
			value: "a: 2\nb: 2",
		},
		{
			name: "tagged scalar keeps its tag",
			src:  "a: !!str 1\n",
			edit: repl(p("a"), "2"),
			want: "a: !!str 2\n",
		},
		{
			name: "unicode, CRLF, no final newline",
			src:  "名前: 値\r\nb: ü",
			edit: repl(p("b"), "'ö'"),
			want: "名前: 値\r\nb: 'ö'",
		},
		{
			name: "null written as nothing",
			src:  "a:\nb: 1\n",
			edit: repl(p("a"), "x"),
			want: "a: x\nb: 1\n",
		},
		{
			name: "key",
			src:  "a: 1\n",
			edit: func(s *Source, doc *yaml.Node) ([]Edit, error) {
				return ReplaceScalar(s, doc.Content[0].Content[0], "b")
			},
			want: "a: 1\n"[:0] + "b: 1\n",
		},
		{
			name: "block scalar is refused",
			src:  "a: |\n  x\n",
			edit: repl(p("a"), "y"),
			err:  ErrUnsupported,
		},
		{
			name: "multi-line plain scalar is refused",
			src:  "a: x\n  y\n",
			edit: repl(p("a"), "z"),
			err:  ErrUnsupported,
		},
		{
			name: "multi-line quoted scalar is refused",
			src:  "a: \"x\n  y\"\n",
			edit: repl(p("a"), "z"),
			err:  ErrUnsupported,
		},
		{
			name: "text that would break a flow sequence is refused",
			src:  "a: [x, y]\n",
			edit: repl(p("a", "0"), "p, q"),
			err:  ErrUnsupported,
		},
		{
			name: "text that is not a scalar is refused",
			src:  "a: x\n",
			edit: repl(p("a"), "b: c"),
			err:  ErrUnsupported,
		},
	})
}

func TestRemove(t *testing.T) {
	rmKey := func(path []string, key string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return RemoveMappingEntry(s, nav(doc, path...), key)
		}
	}
	rmItem := func(path []string, i int) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return RemoveSequenceItem(s, nav(doc, path...), i)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "entry with nested lines",
			src:  compose2,
			edit: rmKey(p("services", "web"), "ports"),
			want: strings.Replace(compose2, "    ports:\n      - \"80:80\"\n", "", 1),
		},
		{
			name: "entry with a trailing comment; comment lines before it stay",
			src:  "svc:\n  # the image\n  image: x # pinned\n  user: app\n",
			edit: rmKey(p("svc"), "image"),
			want: "svc:\n  # the image\n  user: app\n",
		},
		{
			name: "last entry at EOF without final newline",
			src:  "svc:\n  image: x\n  user: app",
			edit: rmKey(p("svc"), "user"),
			want: "svc:\n  image: x",
		},
		{
			name: "last entry at EOF without final newline after a blank line",
			src:  "a: 1\n# c\n\nb: 2",
			edit: rmKey(nil, "b"),
			want: "a: 1\n# c",
		},
		{
			name: "last entry at EOF without final newline after a block scalar is refused",
			src:  "a: |\n  x\nb: 2",
			edit: rmKey(nil, "b"),
			err:  ErrUnsupported,
		},
		{
			name: "entry after a keep-chomping block scalar is refused",
			src:  "a: |+\n  x\nb: 2\n\nc: 3\n",
			edit: rmKey(nil, "b"),
			err:  ErrUnsupported,
		},
		{
			name: "entry defining an anchor used elsewhere is refused",
			src:  "a: &x 1\nb: *x\n",
			edit: rmKey(nil, "a"),
			err:  ErrUnsupported,
		},
		{
			name: "entry using an alias",
			src:  "a: &x 1\nb: *x\nc: 3\n",
			edit: rmKey(nil, "b"),
			want: "a: &x 1\nc: 3\n",
		},
		{
			name: "entry with a block scalar, CRLF",
			src:  "svc:\r\n  command: |\r\n    a\r\n    b\r\n  user: app\r\n",
			edit: rmKey(p("svc"), "command"),
			want: "svc:\r\n  user: app\r\n",
		},
		{
			name: "only entry becomes {}",
			src:  "svc:\n  environment:\n    A: 1 # one\n  image: x\n",
			edit: rmKey(p("svc", "environment"), "A"),
			want: "svc:\n  environment: {}\n  image: x\n",
		},
		{
			name: "only entry with a comment before it is refused",
			src:  "svc:\n  environment:\n    # keep me\n    A: 1\n",
			edit: rmKey(p("svc", "environment"), "A"),
			err:  ErrUnsupported,
		},
		{
			name: "only entry of the root is refused",
			src:  "a: 1\n",
			edit: rmKey(nil, "a"),
			err:  ErrUnsupported,
		},
		{
			name: "first key of a sequence item mapping is refused",
			src:  "l:\n  - a: 1\n    b: 2\n",
			edit: rmKey(p("l", "0"), "a"),
			err:  ErrUnsupported,
		},
		{
			name: "second key of a sequence item mapping",
			src:  "l:\n  - a: 1\n    b: 2\n",
			edit: rmKey(p("l", "0"), "b"),
			want: "l:\n  - a: 1\n",
		},
		{
			name: "flow mapping first entry",
			src:  "m: {a: 1, b: 2, c: 3}\n",
			edit: rmKey(p("m"), "a"),
			want: "m: {b: 2, c: 3}\n",
		},
		{
			name: "flow mapping last entry",
			src:  "m: {a: 1, b: 2} # c\n",
			edit: rmKey(p("m"), "b"),
			want: "m: {a: 1} # c\n",
		},
		{
			name: "flow mapping only entry",
			src:  "m: {a: 1}\n",
			edit: rmKey(p("m"), "a"),
			want: "m: {}\n",
		},
		{
			name: "block sequence item",
			src:  compose4,
			edit: func(s *Source, doc *yaml.Node) ([]Edit, error) {
				edits, err := AppendSequenceItem(s, nav(doc, "services", "web", "ports"), "\"1:1\"")
				if err != nil {
					return nil, err
				}
				out, err := Apply(s.Bytes(), edits)
				if err != nil {
					return nil, err
				}
				// Remove the first of the two items of the edited file.
				s2 := NewSource("compose.yaml", out)
				var d2 yaml.Node
				if err := yaml.Unmarshal(out, &d2); err != nil {
					return nil, err
				}
				rm, err := RemoveSequenceItem(s2, nav(&d2, "services", "web", "ports"), 0)
				if err != nil {
					return nil, err
				}
				res, err := Apply(out, rm)
				if err != nil {
					return nil, err
				}
				// Express the whole change against the original file.
				return []Edit{{File: s.File, Start: 0, End: len(s.Bytes()), New: string(res)}}, nil
			},
			want: strings.Replace(compose4, "\"80:80\"", "\"1:1\"", 1),
		},
		{
			name: "middle item with nested lines",
			src:  "l:\n- a\n- k: 1\n  j: 2\n- c\n",
			edit: rmItem(p("l"), 1),
			want: "l:\n- a\n- c\n",
		},
		{
			name: "last item at EOF without final newline, CRLF",
			src:  "l:\r\n  - a\r\n  - b",
			edit: rmItem(p("l"), 1),
			want: "l:\r\n  - a",
		},
		{
			name: "only item becomes []",
			src:  "svc:\n  ports:\n    - \"80:80\" # web\n  image: x\n",
			edit: rmItem(p("svc", "ports"), 0),
			want: "svc:\n  ports: []\n  image: x\n",
		},
		{
			name: "only item of an indentless sequence",
			src:  "ports:\n- 80\n",
			edit: rmItem(p("ports"), 0),
			want: "ports: []\n",
		},
		{
			name: "nested sequence item sharing its line is refused",
			src:  "l:\n  - - a\n    - b\n",
			edit: rmItem(p("l", "0"), 0),
			err:  ErrUnsupported,
		},
		{
			name: "flow sequence",
			src:  "l: [a, b, c]\n",
			edit: rmItem(p("l"), 1),
			want: "l: [a, c]\n",
		},
		{
			name: "flow sequence last",
			src:  "l: [a, 'b', \"c\"]\n",
			edit: rmItem(p("l"), 2),
			want: "l: [a, 'b']\n",
		},
		{
			name: "flow sequence only item",
			src:  "l: [ a ]\n",
			edit: rmItem(p("l"), 0),
			want: "l: [  ]\n",
		},
		{
			name: "multi-line flow sequence with a comment after the comma",
			src:  "l: [\n  a, # first\n  b\n]\n",
			edit: rmItem(p("l"), 0),
			want: "l: [\n   # first\n  b\n]\n",
		},
		{
			name: "aliased item",
			src:  "x: &a 1\nl: [*a, 2]\n",
			edit: rmItem(p("l"), 0),
			want: "x: &a 1\nl: [2]\n",
		},
	})
}

// TestHelpersNeverTouchOtherBytes runs every helper on a tricky file and
// checks the universal properties (this duplicates the per-case checks but
// covers combinations).
func TestHelpersNeverTouchOtherBytes(t *testing.T) {
	src := "# head\r\nx-common: &common # anchor\r\n  restart: always\r\nservices:\r\n  web:\r\n    <<: *common\r\n    image: \"nginx\"\t# tab before comment\r\n    command: >\r\n      run\r\n      now\r\n    ports: [\"80:80\"]\r\n    environment:\r\n      A: 'x\ty'\r\n# tail"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("c.yml", []byte(src))
	web := nav(&doc, "services", "web")
	calls := map[string]func() ([]Edit, error){
		"add":      func() ([]Edit, error) { return AddMappingEntry(s, web, "user", "app") },
		"append":   func() ([]Edit, error) { return AppendSequenceItem(s, nav(web, "ports"), "\"443:443\"") },
		"create":   func() ([]Edit, error) { return CreateSequenceWithItem(s, web, "volumes", "a:/a") },
		"top":      func() ([]Edit, error) { return AddTopLevelEntry(s, &doc, "volumes", "a", "") },
		"replace":  func() ([]Edit, error) { return ReplaceScalar(s, nav(web, "image"), "'nginx:1'") },
		"rmkey":    func() ([]Edit, error) { return RemoveMappingEntry(s, web, "ports") },
		"rmitem":   func() ([]Edit, error) { return RemoveSequenceItem(s, nav(web, "ports"), 0) },
		"rmnested": func() ([]Edit, error) { return RemoveMappingEntry(s, nav(web, "environment"), "A") },
	}
	var groups [][]Edit
	for name, call := range calls {
		edits, err := call()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		out, err := Apply([]byte(src), edits)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPreserved(t, []byte(src), out, edits)
		checkInvariants(t, src, string(out))
		if bytes.Contains(out, []byte("\n\n")) {
			t.Errorf("%s: bare LF in a CRLF file", name)
		}
		var v any
		if err := yaml.Unmarshal(out, &v); err != nil {
			t.Errorf("%s: result does not parse: %v", name, err)
		}
		groups = append(groups, edits)
	}
	merged, applied, dropped := Merge(groups)
	if len(applied)+len(dropped) != len(groups) || len(applied) == 0 {
		t.Errorf("Merge: applied %v dropped %v", applied, dropped)
	}
	if _, err := Apply([]byte(src), merged); err != nil {
		t.Errorf("merged edits: %v", err)
	}
}

// TestJoin: one fix that appends to the last service and adds the missing
// top-level section inserts twice at the end of the file.
func TestJoin(t *testing.T) {
	for _, src := range []string{"services:\n  web:\n    image: x\n", "services:\r\n  web:\r\n    image: x"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		s := NewSource("c.yml", []byte(src))
		svc, err := EnsureSequenceItem(s, nav(&doc, "services", "web"), "volumes", "data:/data")
		if err != nil {
			t.Fatal(err)
		}
		top, err := AddTopLevelEntry(s, &doc, "volumes", "data", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Apply([]byte(src), append(append([]Edit(nil), svc...), top...)); err == nil {
			t.Fatal("the two insertions at one offset should conflict in Apply")
		}
		want := strings.ReplaceAll("services:\n  web:\n    image: x\n    volumes:\n      - data:/data\nvolumes:\n  data:", "\n", s.LineEnding())
		if strings.HasSuffix(src, "\n") {
			want += "\n"
		}
		for _, order := range [][][]Edit{{svc, top}, {top, svc}, {svc, top, svc}} {
			joined, err := Join(order...)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Apply([]byte(src), joined)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, string(out)); diff != "" {
				t.Errorf("Join result (-want +got):\n%s", diff)
			}
		}
	}
	if _, err := Join([]Edit{{Start: 0, End: 4}}, []Edit{{Start: 2, End: 5}}); err == nil {
		t.Error("Join of overlapping replacements: want an error")
	}
}

// A key a `<<` merge key gives the mapping is not created locally when its
// merged value is a list or a mapping: the local one would replace it, and
// the merged mounts or secrets would be gone from the service. A scalar is
// overridden one key at a time, as merge keys mean.
func TestMergedCollectionNotReplaced(t *testing.T) {
	src := `x-common: &common
  volumes: [./logs:/logs]
  environment: {A: "1"}
  restart: always
x-more: &more
  <<: *common
  secrets: [shared]
services:
  db:
    <<: [*more]
    image: postgres:16
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("c.yml", []byte(src))
	db := nav(&doc, "services", "db")
	for name, call := range map[string]func() ([]Edit, error){
		"volumes": func() ([]Edit, error) {
			return EnsureSequenceItem(s, db, "volumes", "db-data:/var/lib/postgresql/data")
		},
		"secrets":     func() ([]Edit, error) { return EnsureSequenceItem(s, db, "secrets", "pw") },
		"environment": func() ([]Edit, error) { return EnsureKey(s, db, "environment", "B: x", true) },
	} {
		if _, err := call(); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err %v, want ErrUnsupported (the merged %s would be lost)", name, err, name)
		}
	}
	for name, call := range map[string]func() ([]Edit, error){
		"a merged scalar": func() ([]Edit, error) { return AddMappingEntry(s, db, "restart", "unless-stopped") },
		"a new key":       func() ([]Edit, error) { return EnsureSequenceItem(s, db, "tmpfs", "/tmp") },
	} {
		if _, err := call(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
