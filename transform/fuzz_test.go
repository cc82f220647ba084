package transform

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// FuzzApply: random edits on random bytes either fail (and then there
// really is an out-of-range edit or a conflicting pair) or keep every byte
// outside the edits.
func FuzzApply(f *testing.F) {
	f.Add([]byte("hello world"), []byte{0, 5, 1, 6, 11, 2})
	f.Add([]byte("a: 1\nb: 2\n"), []byte{4, 4, 3, 4, 4, 3})
	f.Add([]byte(""), []byte{0, 0, 1})
	f.Add([]byte("xyz"), []byte{1, 2, 0, 0, 3, 0, 2, 1, 1})
	f.Fuzz(func(t *testing.T, src []byte, spec []byte) {
		var edits []Edit
		for i := 0; i+2 < len(spec) && len(edits) < 16; i += 3 {
			start := int(int8(spec[i]))
			end := start + int(spec[i+1]%8) - 1
			edits = append(edits, Edit{Start: start, End: end, New: strings.Repeat(string(rune('A'+spec[i+2]%4)), int(spec[i+2]/64))})
		}
		out, err := Apply(src, edits)
		// Oracle for the errors.
		bad := false
		for i, a := range edits {
			if a.Start < 0 || a.End > len(src) || a.Start > a.End {
				bad = true
			}
			for _, b := range edits[i+1:] {
				if a == b {
					continue
				}
				if a.Start < b.End && b.Start < a.End {
					bad = true // proper overlap
				}
				if a.Start == a.End && b.Start == b.End && a.Start == b.Start {
					bad = true // two different insertions at one offset
				}
				if a.Start == a.End && b.Start < a.Start && a.Start < b.End || b.Start == b.End && a.Start < b.Start && b.Start < a.End {
					bad = true // insertion inside a replacement
				}
			}
		}
		if err != nil {
			if !bad {
				t.Fatalf("Apply(%q, %v) failed: %v", src, edits, err)
			}
			return
		}
		if bad {
			t.Fatalf("Apply(%q, %v) accepted conflicting edits: %q", src, edits, out)
		}
		checkPreserved(t, src, out, edits)
	})
}

// checkPreserved verifies that out is src with edits spliced in: every
// byte outside the edited ranges is kept, in order.
func checkPreserved(t *testing.T, src, out []byte, edits []Edit) {
	t.Helper()
	sorted, err := Normalize(len(src), edits)
	if err != nil {
		t.Fatalf("Normalize: %v", err)
	}
	var want bytes.Buffer
	last := 0
	for _, e := range sorted {
		want.Write(src[last:e.Start])
		want.WriteString(e.New)
		last = e.End
	}
	want.Write(src[last:])
	if !bytes.Equal(want.Bytes(), out) {
		t.Fatalf("bytes outside the edits changed:\nwant %q\ngot  %q", want.Bytes(), out)
	}
}

var fuzzSeeds = []string{
	"services:\n  web:\n    image: nginx\n    ports:\n      - \"80:80\"\n",
	"services:\n    web:\n        image: nginx # pinned\n        volumes:\n        - data:/data\nvolumes:\n    data: {}\n",
	"version: '3'\r\nservices:\r\n  app:\r\n    build: .\r\n    command: |\r\n      run\r\n",
	"x-common: &common\n  restart: always\nservices:\n  a:\n    <<: *common\n    environment: {A: 1, B: \"2\"}\n",
	"services:\n  a:\n    image: x\n    # comment\n\n  b:\n    image: y",
	"a: b\n  c\n\nd: 'it''s'\ne: \"q\\\"x\" # c\n",
	"k: [1, [2, 3], {a: b}]\nm:\n  - a: 1\n    b: >-\n      folded\n      text\n",
	"é: ü\nsvc:\n  名前: 値\n",
}

// firstBlockMapping returns the first block mapping in document order.
func firstBlockMapping(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 {
		return n
	}
	for _, c := range n.Content {
		if m := firstBlockMapping(c); m != nil {
			return m
		}
	}
	return nil
}

// findAt returns the node of kind at line:col in a tree.
func findAt(n *yaml.Node, kind yaml.Kind, line, col int) *yaml.Node {
	if n.Kind == kind && n.Line == line && n.Column == col {
		return n
	}
	for _, c := range n.Content {
		if m := findAt(c, kind, line, col); m != nil {
			return m
		}
	}
	return nil
}

// FuzzYAMLEdit: add a key to the first block mapping of a fuzzed document;
// when the helper accepts, the result parses, keeps every original byte
// and has the key in that mapping.
func FuzzYAMLEdit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if len(doc) > 2048 {
			return
		}
		wd := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("HANG %q", doc)) })
		defer wd.Stop()
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
			return
		}
		m := firstBlockMapping(&root)
		if m == nil {
			return
		}
		src := NewSource("f.yml", []byte(doc))
		for _, n := range allNodes(&root) {
			// Must not panic; offsets within the file.
			if s, e := Span(src, n); s < 0 || e > len(doc) || s > e {
				t.Fatalf("Span out of range: %d %d", s, e)
			}
		}
		edits, err := AddMappingEntry(src, m, "zzfuzz", "1")
		if err != nil {
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrKeyExists) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		out, err := Apply([]byte(doc), edits)
		if err != nil {
			t.Fatal(err)
		}
		checkPreserved(t, []byte(doc), out, edits)
		var got yaml.Node
		if err := yaml.Unmarshal(out, &got); err != nil {
			t.Fatalf("result does not parse: %v\n%s", err, out)
		}
		gm := findAt(&got, yaml.MappingNode, m.Line, m.Column)
		if gm == nil || KeyIndex(gm, "zzfuzz") < 0 || gm.Content[KeyIndex(gm, "zzfuzz")+1].Value != "1" {
			t.Fatalf("key not added to the mapping at %d:%d:\n%s", m.Line, m.Column, out)
		}
		if !bytes.Contains(out, []byte("zzfuzz: 1")) {
			t.Fatalf("unexpected text:\n%s", out)
		}
	})
}

func allNodes(n *yaml.Node) []*yaml.Node {
	out := []*yaml.Node{n}
	for _, c := range n.Content {
		out = append(out, allNodes(c)...)
	}
	return out
}

// FuzzYAMLHelpers runs the other helpers on fuzzed documents: they must
// not panic, and accepted edits must parse and keep the other bytes (the
// helpers verify the meaning themselves).
func FuzzYAMLHelpers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, doc string, pick uint8) {
		if len(doc) > 2048 {
			return
		}
		wd := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("HANG %q", doc)) })
		defer wd.Stop()
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
			return
		}
		src := NewSource("f.yml", []byte(doc))
		nodes := allNodes(&root)
		n := nodes[int(pick)%len(nodes)]
		var results [][]Edit
		try := func(e []Edit, err error) {
			if err == nil && len(e) > 0 {
				results = append(results, e)
			}
		}
		switch n.Kind {
		case yaml.MappingNode:
			try(AddMappingEntry(src, n, "zz", "- a\n- b: 1\n  c: |\n    x\n"))
			try(EnsureSequenceItem(src, n, "zz", "v"))
			if len(n.Content) > 0 {
				try(RemoveMappingEntry(src, n, n.Content[0].Value))
				try(RemoveMappingEntry(src, n, n.Content[len(n.Content)-2].Value))
			}
		case yaml.SequenceNode:
			try(AppendSequenceItem(src, n, "k: v"))
			try(RemoveSequenceItem(src, n, 0))
			try(RemoveSequenceItem(src, n, len(n.Content)-1))
		case yaml.ScalarNode:
			try(ReplaceScalar(src, n, "\"new\""))
		case yaml.DocumentNode:
			try(AddTopLevelEntry(src, n, "volumes", "zz", ""))
		}
		for i := 0; i+1 < len(doc) && i < 64; i += 7 {
			RangeTouchesComment(src, Edit{Start: i, End: i + 1})
			RangeTouchesAnchorOrAlias(src, Edit{Start: i, End: i + 1})
		}
		IsAliased(src, n)
		for _, edits := range results {
			out, err := Apply([]byte(doc), edits)
			if err != nil {
				t.Fatal(err)
			}
			checkPreserved(t, []byte(doc), out, edits)
			var got yaml.Node
			if err := yaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("result does not parse: %v\n%s", err, out)
			}
		}
	})
}

// FuzzCombine: Combine never panics, is deterministic, keeps Merge's
// choice for every group Merge accepts, and whatever it combines applies
// and parses (its own check compares the meaning).
func FuzzCombine(f *testing.F) {
	f.Add("services:\n  a:\n    image: x\n", "\nvolumes:\n  a:", "\nvolumes:\n  b:", "\n    secrets:\n      - s", uint16(27))
	f.Add("a: [x]\n", ", y", ", z", "", uint16(5))
	f.Add("k:\n  - a\n", "\n  - b", "\n  - b", "\nk2: 1", uint16(7))
	f.Add("x: 1\r\n", "\r\ny: 2", "\ny: 3", "\r\n\r\nz:\r\n  q: 1", uint16(4))
	f.Fuzz(func(t *testing.T, src, a, b, c string, at uint16) {
		off := int(at) % (len(src) + 1)
		groups := [][]Edit{
			{{Start: off, End: off, New: a}},
			{{Start: off, End: off, New: b}},
			{{Start: off, End: off, New: c}, {Start: 0, End: 0, New: "# c\n"}},
		}
		merged, applied, dropped := Combine([]byte(src), groups)
		m2, a2, d2 := Combine([]byte(src), groups)
		if fmt.Sprint(merged, applied, dropped) != fmt.Sprint(m2, a2, d2) {
			t.Fatalf("not deterministic: %v %v %v / %v %v %v", merged, applied, dropped, m2, a2, d2)
		}
		if len(applied)+len(dropped) != len(groups) {
			t.Fatalf("applied %v and dropped %v do not cover %d groups", applied, dropped, len(groups))
		}
		_, mApplied, _ := Merge(groups)
		for _, i := range mApplied {
			if !slices.Contains(applied, i) {
				t.Fatalf("Merge applies group %d, Combine drops it", i)
			}
		}
		if len(applied) > len(mApplied) {
			out, err := Apply([]byte(src), merged)
			if err != nil {
				t.Fatalf("combined edits do not apply: %v", err)
			}
			if _, err := parseAll(out); err != nil {
				t.Fatalf("combined result does not parse: %v\n%q", err, out)
			}
		}
	})
}
