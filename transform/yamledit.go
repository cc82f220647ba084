package transform

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// The helpers below compute minimal edits from go.yaml.in/yaml/v4 nodes.
// Each returns the edits of one fix (apply all of them or none) with
// File set to src.File, or an error and no edits. Errors that mean "this
// shape is not edited automatically" wrap ErrUnsupported. Each helper
// re-parses its own result before returning it (see verify).
//
// Inserted lines use the file's line ending and are inserted at the end of
// an existing line (before its break), so a file without a final newline
// still has none. New entries and items go right after the end of the last
// entry or item of the collection (after its value, nested lines and the
// comment on its last line); comment lines and blank lines that follow it
// stay after the new entry.

// AddMappingEntry appends "key: value" as the last entry of mapping.
// valueYAML is the value as YAML text: "" for a null written as "key:",
// a single-line scalar or flow collection written after the key, or block
// YAML (a mapping, a sequence or a block scalar, any consistent
// indentation) written on the following lines in the file's indentation
// style. In a flow mapping the entry is written as flow YAML: "{a: 1}"
// becomes "{a: 1, key: value}". It fails with ErrKeyExists when the key is
// present.
func AddMappingEntry(src *Source, mapping *yaml.Node, key string, valueYAML string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	if i := pairIndex(m, key); i >= 0 {
		return nil, fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	if v := mergedValue(m, key, 0); v != nil && (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) {
		// `<<: *common` gives the mapping this key; a local one would
		// replace the merged list or mapping, not extend it, and what it
		// held (mounts, secrets, variables) would be gone.
		return nil, unsupported("%q comes from a << merge key: a local %q would replace it", key, key)
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	edits, err := src.addEntry(m, key, pv, false)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content, strNode(key), cloneNode(pv.node))
		return nil
	})
}

// AppendSequenceItem appends an item to a sequence. In a block sequence
// "- item" is written at the column of the existing dashes after the last
// item; itemYAML follows the rules of AddMappingEntry's valueYAML (a block
// mapping item is written "- a: 1" with its other keys aligned under the
// first). In a flow sequence the item is written as flow YAML: "[a, b]"
// becomes "[a, b, item]" and "[]" becomes "[item]"; when the items of a
// flow sequence are on lines of their own the new one gets its own line.
func AppendSequenceItem(src *Source, seq *yaml.Node, itemYAML string) ([]Edit, error) {
	sq, err := src.lookupKind(seq, yaml.SequenceNode)
	if err != nil {
		return nil, err
	}
	pv, err := parseValue(itemYAML)
	if err != nil {
		return nil, err
	}
	edits, err := src.appendItem(sq, pv)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fs, err := find(sq)
		if err != nil {
			return err
		}
		fs.Content = append(fs.Content, cloneNode(pv.node))
		return nil
	})
}

// CreateSequenceWithItem gives mapping a sequence at key holding one item:
// when key is missing it appends "key:" followed by "- item" (indented
// under the key, or indentless, like the file's other sequences); when key
// is present with a null value ("key:" or "key: ~") it writes the sequence
// there. It fails with ErrKeyExists when key has another value.
func CreateSequenceWithItem(src *Source, mapping *yaml.Node, key string, itemYAML string) ([]Edit, error) {
	pv, err := parseValue(itemYAML)
	if err != nil {
		return nil, err
	}
	return EnsureKey(src, mapping, key, itemText(pv), true)
}

// EnsureSequenceItem makes the sequence at mapping's key hold the item:
// it appends to an existing block or flow sequence (without checking for
// duplicates), or creates the sequence (CreateSequenceWithItem) when the
// key is missing or null. Another value at key is an ErrUnsupported error.
func EnsureSequenceItem(src *Source, mapping *yaml.Node, key string, itemYAML string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	if i := pairIndex(m, key); i >= 0 {
		v := m.Content[i+1]
		if v.Kind == yaml.SequenceNode {
			return AppendSequenceItem(src, v, itemYAML)
		}
		if !IsNull(v) {
			return nil, unsupported("%q is not a sequence", key)
		}
	}
	return CreateSequenceWithItem(src, mapping, key, itemYAML)
}

// EnsureKey makes mapping hold key. A missing key is added with
// AddMappingEntry. A key present with a null value ("key:", "key: ~",
// "key: null") gets valueYAML written in place of the null when fill is
// true and valueYAML is not "" (otherwise nothing is done). A key with any
// other value: no edits when fill is false, ErrKeyExists when fill is true
// (the caller asked for a value it cannot get). nil edits and a nil error
// mean there is nothing to do.
func EnsureKey(src *Source, mapping *yaml.Node, key string, valueYAML string, fill bool) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	i := pairIndex(m, key)
	if i < 0 {
		return AddMappingEntry(src, m, key, valueYAML)
	}
	if !fill {
		return nil, nil
	}
	if !IsNull(m.Content[i+1]) {
		return nil, fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	if pv.text == "" {
		return nil, nil
	}
	edits, err := src.fillNull(m, i, pv)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content[i+1] = cloneNode(pv.node)
		return nil
	})
}

// AddTopLevelEntry adds "key: value" under the top-level mapping entry
// section (for example "volumes" or "secrets") of doc (a document node or
// its root mapping). A missing section is appended at the end of the root
// mapping as "section:" with the entry nested under it (preceded by a
// blank line when the root's last entries are separated by blank lines);
// a null section ("volumes:") gets the entry nested under it; a flow
// section ("volumes: {}") gets it as flow YAML. valueYAML is as for
// AddMappingEntry ("" writes "key:"). It fails with ErrKeyExists when the
// section already has key, and with ErrUnsupported when the section is not
// a mapping.
func AddTopLevelEntry(src *Source, doc *yaml.Node, section string, key string, valueYAML string) ([]Edit, error) {
	d, err := src.lookup(doc)
	if err != nil {
		return nil, err
	}
	root := d
	if d.Kind == yaml.DocumentNode {
		if len(d.Content) != 1 {
			return nil, unsupported("empty document")
		}
		root = d.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, unsupported("top level is not a mapping")
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	entry := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(key), cloneNode(pv.node)}}
	i := pairIndex(root, section)
	if i >= 0 {
		v := root.Content[i+1]
		switch {
		case v.Kind == yaml.MappingNode:
			return AddMappingEntry(src, v, key, valueYAML)
		case IsNull(v):
			kt, err := keyText(key, false)
			if err != nil {
				return nil, err
			}
			block := &parsedValue{text: entryText(kt, pv), node: entry, block: true}
			edits, err := src.fillNull(root, i, block)
			if err != nil {
				return nil, err
			}
			return src.checked(edits, func(find finder) error {
				fm, err := find(root)
				if err != nil {
					return err
				}
				fm.Content[i+1] = cloneNode(entry)
				return nil
			})
		default:
			return nil, unsupported("top-level %q is not a mapping", section)
		}
	}
	var pvSection *parsedValue
	if root.Style&yaml.FlowStyle != 0 {
		flow, err := flowText(entry)
		if err != nil {
			return nil, err
		}
		pvSection = &parsedValue{text: flow, node: entry}
	} else {
		kt, err := keyText(key, false)
		if err != nil {
			return nil, err
		}
		pvSection = &parsedValue{text: entryText(kt, pv), node: entry, block: true}
	}
	edits, err := src.addEntry(root, section, pvSection, src.blankBeforeLast(root))
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(root)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content, strNode(section), cloneNode(entry))
		return nil
	})
}

// ReplaceScalar replaces the text of a plain, single-quoted or
// double-quoted scalar (not its anchor or tag) with newText, which is
// written as given (quote it yourself). Block scalars, scalars spanning
// several lines and multi-line newText are refused. A null written as
// nothing ("key:") gets " newText" after the colon.
func ReplaceScalar(src *Source, node *yaml.Node, newText string) ([]Edit, error) {
	n, err := src.lookupKind(node, yaml.ScalarNode)
	if err != nil {
		return nil, err
	}
	if newText == "" || strings.ContainsAny(newText, "\r\n") {
		return nil, unsupported("replacement %q is empty or spans lines", newText)
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, unsupported("block scalar at %d:%d", n.Line, n.Column)
	}
	e, err := src.ext(n)
	if err != nil {
		return nil, err
	}
	if src.lineOf(e.content) != src.lineOf(e.end) {
		return nil, unsupported("scalar at %d:%d spans several lines", n.Line, n.Column)
	}
	edit := Edit{File: src.File, Start: e.content, End: e.end, New: newText}
	if e.content == e.end { // a null written as nothing
		if e.content > 0 && src.src[e.content-1] != ' ' && src.src[e.content-1] != '\t' && !src.tree.inFlow(n) {
			edit.New = " " + newText
		}
	}
	props := string(src.src[e.start:e.propsEnd])
	want, err := parseValue(strings.TrimSpace(props + " " + newText))
	if err != nil {
		return nil, err
	}
	if want.node.Kind != yaml.ScalarNode {
		return nil, unsupported("replacement %q is not a scalar", newText)
	}
	edits := []Edit{edit}
	return src.checked(edits, func(find finder) error {
		fn, err := find(n)
		if err != nil {
			return err
		}
		fn.Tag, fn.Value, fn.Style = want.node.Tag, want.node.Value, want.node.Style
		return nil
	})
}

// RemoveMappingEntry removes key and its value from mapping. In a block
// mapping the entry's whole lines go (its key line, nested lines and the
// comment on its last line; comment lines before and after it stay); the
// key must start its line ("- key: v", a sequence item's first key, is
// refused). Removing the only entry of a block mapping that is the value
// of a key rewrites it as "key: {}" when no comment would be lost, and is
// refused otherwise. In a flow mapping the entry and one adjacent comma go.
func RemoveMappingEntry(src *Source, mapping *yaml.Node, key string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	i := pairIndex(m, key)
	if i < 0 {
		return nil, fmt.Errorf("key %q not found", key)
	}
	edits, err := src.removeElem(m, i/2)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content[:i:i], fm.Content[i+2:]...)
		return nil
	})
}

// RemoveSequenceItem removes item index of seq, with the same rules as
// RemoveMappingEntry: whole lines in a block sequence (the dash must start
// its line), the element and one comma in a flow sequence; the only item
// of a block sequence under a key becomes "key: []" when no comment would
// be lost.
func RemoveSequenceItem(src *Source, seq *yaml.Node, index int) ([]Edit, error) {
	sq, err := src.lookupKind(seq, yaml.SequenceNode)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(sq.Content) {
		return nil, fmt.Errorf("item %d out of range (%d items)", index, len(sq.Content))
	}
	edits, err := src.removeElem(sq, index)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fs, err := find(sq)
		if err != nil {
			return err
		}
		fs.Content = append(fs.Content[:index:index], fs.Content[index+1:]...)
		return nil
	})
}

// --- internals ---

func (s *Source) lookupKind(n *yaml.Node, kind yaml.Kind) (*yaml.Node, error) {
	m, err := s.lookup(n)
	if err != nil {
		return nil, err
	}
	if m.Kind != kind {
		return nil, fmt.Errorf("node at %d:%d is not a %s", n.Line, n.Column, kindName(kind))
	}
	return m, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.ScalarNode:
		return "scalar"
	}
	return "node"
}

// pairIndex returns the index of key's key node in m.Content, or -1.
func pairIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

// mergedValue returns the value a `<<` merge key gives mapping m at key
// (m has no such key itself), or nil: `<<: *a` or `<<: [*a, *b]`, the
// first merged mapping that has key winning, through nested merges.
func mergedValue(m *yaml.Node, key string, depth int) *yaml.Node {
	if depth > 16 {
		return nil // alias chains are bounded by the loader; be safe here too
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind != yaml.ScalarNode || k.Value != "<<" {
			continue
		}
		sources := []*yaml.Node{m.Content[i+1]}
		if v := m.Content[i+1]; v.Kind == yaml.SequenceNode {
			sources = v.Content
		}
		for _, src := range sources {
			for src != nil && src.Kind == yaml.AliasNode {
				src = src.Alias
			}
			if src == nil || src.Kind != yaml.MappingNode {
				continue
			}
			if j := pairIndex(src, key); j >= 0 {
				v := src.Content[j+1]
				for v != nil && v.Kind == yaml.AliasNode {
					v = v.Alias
				}
				return v
			}
			if v := mergedValue(src, key, depth+1); v != nil {
				return v
			}
		}
	}
	return nil
}

// IsNull reports whether n is a null scalar (`key:`, `~`, `null`).
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 }

// elemRange returns the extent of element i of a collection (a key and its
// value for a mapping).
func (s *Source) elemRange(c *yaml.Node, i int) (start, end int, err error) {
	nodes := c.Content[i : i+1]
	if c.Kind == yaml.MappingNode {
		nodes = c.Content[2*i : 2*i+2]
	}
	start = -1
	for _, n := range nodes {
		e, err := s.ext(n)
		if err != nil {
			return 0, 0, err
		}
		if start < 0 {
			start = e.start
		}
		end = max(end, e.end)
	}
	return start, end, nil
}

func elemCount(c *yaml.Node) int {
	if c.Kind == yaml.MappingNode {
		return len(c.Content) / 2
	}
	return len(c.Content)
}

// checkKeys refuses explicit ("? key") and non-scalar keys.
func (s *Source) checkKeys(m *yaml.Node) error {
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode {
			return unsupported("complex key at %d:%d", k.Line, k.Column)
		}
		off, err := s.NodeOffset(k)
		if err != nil {
			return err
		}
		p := off - 1
		for p >= 0 && (s.src[p] == ' ' || s.src[p] == '\t') {
			p--
		}
		if p >= 0 && s.src[p] == '?' {
			return unsupported("explicit key at %d:%d", k.Line, k.Column)
		}
	}
	return nil
}

// lastBlock returns the block scalar that n's text ends with (n itself or
// its last descendant), or nil.
func (s *Source) lastBlock(n *yaml.Node) *blockInfo {
	e, err := s.ext(n)
	if err != nil {
		return nil
	}
	for {
		if ne, err := s.ext(n); err == nil && ne.block != nil {
			return ne.block
		}
		var last *yaml.Node
		for _, k := range n.Content {
			if ke, err := s.ext(k); err == nil && ke.end == e.end {
				last = k
			}
		}
		if last == nil {
			return nil
		}
		n = last
	}
}

// blockAppendPoint returns where a new last element of block collection c
// goes: the end of the line on which its last element ends. keep reports
// that the collection ends with a keep-chomping block scalar (|+), which
// would take in a blank line inserted after it.
func (s *Source) blockAppendPoint(c *yaml.Node) (at int, keep bool, err error) {
	e, err := s.ext(c)
	if err != nil {
		return 0, false, err
	}
	if !s.restIsTrivia(e.end) {
		line, col := s.Position(e.end)
		return 0, false, unsupported("text after the collection's end at %d:%d", line, col)
	}
	// A block scalar that ends the collection must keep its value when a
	// line follows it.
	if b := s.lastBlock(c); b != nil {
		if b.atEOF && b.chomp != '-' {
			return 0, false, unsupported("block scalar at the end of a file without a final newline")
		}
		if b.chomp == '+' && b.trailingBlank {
			return 0, false, unsupported("keep-chomping block scalar followed by blank lines")
		}
		keep = b.chomp == '+'
	}
	return s.lineEnd(e.end), keep, nil
}

// addEntry writes the edits appending key: pv to m (no verification).
func (s *Source) addEntry(m *yaml.Node, key string, pv *parsedValue, blankBefore bool) ([]Edit, error) {
	if err := s.checkKeys(m); err != nil {
		return nil, err
	}
	if isFlow(m) {
		kt, err := keyText(key, true)
		if err != nil {
			return nil, err
		}
		val := "null"
		if pv.text != "" {
			if val, err = flowText(pv.node); err != nil {
				return nil, err
			}
		}
		return s.flowAppend(m, kt+": "+val)
	}
	kt, err := keyText(key, false)
	if err != nil {
		return nil, err
	}
	at, keep, err := s.blockAppendPoint(m)
	if err != nil {
		return nil, err
	}
	if keep {
		blankBefore = false
	}
	first, err := s.NodeOffset(m.Content[0])
	if err != nil {
		return nil, err
	}
	lines, err := reindent(entryText(kt, pv), s.column(first)-1, s.layoutFor(s.tree, m))
	if err != nil {
		return nil, err
	}
	text := s.eol
	if blankBefore {
		text += s.eol
	}
	text += strings.Join(lines, s.eol)
	return []Edit{{File: s.File, Start: at, End: at, New: text}}, nil
}

// appendItem writes the edits appending pv to sequence sq.
func (s *Source) appendItem(sq *yaml.Node, pv *parsedValue) ([]Edit, error) {
	if isFlow(sq) {
		val := "null"
		if pv.text != "" {
			var err error
			if val, err = flowText(pv.node); err != nil {
				return nil, err
			}
		}
		return s.flowAppend(sq, val)
	}
	at, _, err := s.blockAppendPoint(sq)
	if err != nil {
		return nil, err
	}
	dash, err := s.dashOffset(sq)
	if err != nil {
		return nil, err
	}
	lines, err := reindent(itemText(pv), s.column(dash)-1, s.layoutFor(s.tree, nil))
	if err != nil {
		return nil, err
	}
	return []Edit{{File: s.File, Start: at, End: at, New: s.eol + strings.Join(lines, s.eol)}}, nil
}

// flowAppend appends one element (already flow text) to a flow collection.
func (s *Source) flowAppend(c *yaml.Node, elem string) ([]Edit, error) {
	e, err := s.ext(c)
	if err != nil {
		return nil, err
	}
	if e.content >= len(s.src) || (s.src[e.content] != '[' && s.src[e.content] != '{') {
		return nil, unsupported("flow collection at %d:%d without brackets", c.Line, c.Column)
	}
	closer := e.end - 1
	n := elemCount(c)
	if n == 0 {
		return []Edit{{File: s.File, Start: e.content + 1, End: e.content + 1, New: elem}}, nil
	}
	lastStart, lastEnd, err := s.elemRange(c, n-1)
	if err != nil {
		return nil, err
	}
	p := s.skipTrivia(lastEnd)
	comma := p < closer && s.src[p] == ','
	ownLines := s.onlySpacesBefore(lastStart) && s.lineOf(lastEnd) < s.lineOf(closer)
	if !ownLines {
		// [a, b] -> [a, b, item]; [a, b,] -> [a, b, item,]
		return []Edit{{File: s.File, Start: lastEnd, End: lastEnd, New: ", " + elem}}, nil
	}
	line := s.eol + strings.Repeat(" ", s.indentOf(lastStart)) + elem
	if comma {
		if s.lineOf(p) != s.lineOf(lastEnd) {
			return nil, unsupported("comma on its own line in flow collection at %d:%d", c.Line, c.Column)
		}
		at := s.lineEnd(p)
		return []Edit{{File: s.File, Start: at, End: at, New: line + ","}}, nil
	}
	at := s.lineEnd(lastEnd)
	if at == lastEnd {
		return []Edit{{File: s.File, Start: at, End: at, New: "," + line}}, nil
	}
	return []Edit{
		{File: s.File, Start: lastEnd, End: lastEnd, New: ","},
		{File: s.File, Start: at, End: at, New: line},
	}, nil
}

// colonEnd returns the offset just past the ':' after key node k.
func (s *Source) colonEnd(k *yaml.Node) (int, error) {
	ke, err := s.ext(k)
	if err != nil {
		return 0, err
	}
	p := s.skipBlanks(ke.end)
	if p >= len(s.src) || s.src[p] != ':' {
		return 0, unsupported("no ':' after key at %d:%d", k.Line, k.Column)
	}
	return p + 1, nil
}

// fillNull writes pv in place of the null value of pair i of block mapping m.
func (s *Source) fillNull(m *yaml.Node, i int, pv *parsedValue) ([]Edit, error) {
	if isFlow(m) {
		return nil, unsupported("null value in a flow mapping")
	}
	if err := s.checkKeys(m); err != nil {
		return nil, err
	}
	k, v := m.Content[i], m.Content[i+1]
	ve, err := s.ext(v)
	if err != nil {
		return nil, err
	}
	if ve.propsEnd > ve.start || v.Anchor != "" {
		return nil, unsupported("null with an anchor or tag at %d:%d", v.Line, v.Column)
	}
	colon, err := s.colonEnd(k)
	if err != nil {
		return nil, err
	}
	if s.lineOf(colon) != s.lineOf(ve.end) || !s.restIsTrivia(ve.end) {
		return nil, unsupported("null value at %d:%d is not on its key's line", v.Line, v.Column)
	}
	keyOff, err := s.NodeOffset(k)
	if err != nil {
		return nil, err
	}
	lines, err := reindent(entryText("k", pv), s.column(keyOff)-1, s.layoutFor(s.tree, m))
	if err != nil {
		return nil, err
	}
	header := strings.TrimPrefix(strings.TrimLeft(lines[0], " "), "k:")
	body := ""
	if len(lines) > 1 {
		body = s.eol + strings.Join(lines[1:], s.eol)
	}
	// Replace from the colon to the end of the null's text (" ~"), keeping
	// a comment that follows.
	start, end := colon, max(ve.end, colon)
	if ve.end == ve.start { // written as nothing
		end = colon
	}
	eol := s.lineEnd(end)
	if header == "" && start == end {
		return []Edit{{File: s.File, Start: eol, End: eol, New: body}}, nil
	}
	if eol == end || body == "" {
		return []Edit{{File: s.File, Start: start, End: end, New: header + body}}, nil
	}
	return []Edit{
		{File: s.File, Start: start, End: end, New: header},
		{File: s.File, Start: eol, End: eol, New: body},
	}, nil
}

// blankBeforeLast reports whether the last entry of the block mapping m
// (with the comment lines just above it) is preceded by a blank line.
func (s *Source) blankBeforeLast(m *yaml.Node) bool {
	if isFlow(m) || len(m.Content) < 4 {
		return false
	}
	off, err := s.NodeOffset(m.Content[len(m.Content)-2])
	if err != nil {
		return false
	}
	i := s.lineOf(off) - 1
	for i >= 0 && s.commentLine(i) {
		i--
	}
	return i >= 0 && s.blankLine(i)
}

// removeElem writes the edits removing element i of collection c.
func (s *Source) removeElem(c *yaml.Node, i int) ([]Edit, error) {
	if c.Kind == yaml.MappingNode {
		if err := s.checkKeys(c); err != nil {
			return nil, err
		}
	}
	n := elemCount(c)
	start, end, err := s.elemRange(c, i)
	if err != nil {
		return nil, err
	}
	if name := s.usedAnchorIn(c, i); name != "" {
		return nil, unsupported("the element defines anchor &%s, which is used elsewhere", name)
	}
	if isFlow(c) {
		return s.removeFlowElem(c, i, n, start, end)
	}
	if c.Kind == yaml.SequenceNode {
		// The element starts at its dash.
		p := start - 1
		for p >= 0 && (s.src[p] == ' ' || s.src[p] == '\t') {
			p--
		}
		if p < 0 || s.src[p] != '-' || s.lineOf(p) != s.lineOf(start) {
			return nil, unsupported("item %d at %d:%d does not follow its dash", i, c.Content[i].Line, c.Content[i].Column)
		}
		start = p
	}
	if !s.onlySpacesBefore(start) {
		line, col := s.Position(start)
		return nil, unsupported("element at %d:%d does not start its line", line, col)
	}
	if !s.restIsTrivia(end) {
		line, col := s.Position(end)
		return nil, unsupported("text after the element at %d:%d", line, col)
	}
	if prev := s.prevElem(c, i); prev != nil {
		if b := s.lastBlock(prev); b != nil && b.chomp == '+' {
			return nil, unsupported("element follows a keep-chomping block scalar (|+), which would take in the lines around it")
		}
	}
	if n == 1 {
		return s.emptyBlock(c, start, end)
	}
	from, to := s.lineBegin(start), s.nextLine(end)
	if s.lineEnd(end) == len(s.src) && from > 0 {
		// The last line has no break: remove the break (and blank lines)
		// before the element instead, so that the file still ends
		// without one.
		ln := s.lineOf(start) - 1
		for ln > 0 && s.blankLine(ln) {
			ln--
		}
		from, to = s.breakStart[ln], len(s.src)
		if prev := s.prevElem(c, i); prev != nil {
			if b := s.lastBlock(prev); b != nil && b.chomp != '-' {
				return nil, unsupported("removing the last line would change the block scalar before it (the file has no final newline)")
			}
		}
	}
	return []Edit{{File: s.File, Start: from, End: to}}, nil
}

// usedAnchorIn returns the name of an anchor defined inside element i of
// c that an alias outside the element refers to, or "".
func (s *Source) usedAnchorIn(c *yaml.Node, i int) string {
	nodes := c.Content[i : i+1]
	if c.Kind == yaml.MappingNode {
		nodes = c.Content[2*i : 2*i+2]
	}
	inside := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if inside[n] {
			return
		}
		inside[n] = true
		for _, k := range n.Content {
			walk(k)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	for n := range s.tree.parent {
		if n.Kind == yaml.AliasNode && n.Alias != nil && inside[n.Alias] && !inside[n] {
			return n.Alias.Anchor
		}
	}
	return ""
}

// prevElem returns the node whose text precedes element i of c (the value
// of the previous entry, or the previous item), or nil.
func (s *Source) prevElem(c *yaml.Node, i int) *yaml.Node {
	if i == 0 {
		return nil
	}
	if c.Kind == yaml.MappingNode {
		return c.Content[2*i-1]
	}
	return c.Content[i-1]
}

// emptyBlock rewrites a block collection whose only element [start, end)
// is removed as "key: {}" or "key: []".
func (s *Source) emptyBlock(c *yaml.Node, start, end int) ([]Edit, error) {
	t := s.tree
	p := t.parent[c]
	if p == nil || p.Kind != yaml.MappingNode || isFlow(p) {
		return nil, unsupported("removing the only element of a collection that is not a mapping value")
	}
	ki := -1
	for j := 1; j < len(p.Content); j += 2 {
		if p.Content[j] == c {
			ki = j - 1
		}
	}
	if ki < 0 {
		return nil, unsupported("collection is a key")
	}
	ce, err := s.ext(c)
	if err != nil {
		return nil, err
	}
	if ce.propsEnd > ce.start {
		return nil, unsupported("collection with an anchor or tag")
	}
	colon, err := s.colonEnd(p.Content[ki])
	if err != nil {
		return nil, err
	}
	for q := colon; q < start; {
		switch {
		case s.src[q] == ' ' || s.src[q] == '\t':
			q++
		case breakLen(s.src, q) > 0:
			q += breakLen(s.src, q)
		default:
			return nil, unsupported("comment between the key and its only element")
		}
	}
	empty := " []"
	if c.Kind == yaml.MappingNode {
		empty = " {}"
	}
	return []Edit{{File: s.File, Start: colon, End: s.lineEnd(end), New: empty}}, nil
}

func (s *Source) removeFlowElem(c *yaml.Node, i, n, start, end int) ([]Edit, error) {
	hasComment := func(a, b int) bool {
		for q := a; q < b; q++ {
			if s.src[q] == '#' {
				return true
			}
		}
		return false
	}
	switch {
	case n == 1:
		p := s.skipTrivia(end)
		if p < len(s.src) && s.src[p] == ',' && !hasComment(end, p) {
			end = p + 1
		}
		return []Edit{{File: s.File, Start: start, End: end}}, nil
	case i < n-1:
		next, _, err := s.elemRange(c, i+1)
		if err != nil {
			return nil, err
		}
		if !hasComment(end, next) {
			return []Edit{{File: s.File, Start: start, End: next}}, nil
		}
		p := s.skipBlanks(end)
		if p >= len(s.src) || s.src[p] != ',' {
			return nil, unsupported("comment before the comma in a flow collection")
		}
		return []Edit{{File: s.File, Start: start, End: p + 1}}, nil
	default:
		_, prevEnd, err := s.elemRange(c, i-1)
		if err != nil {
			return nil, err
		}
		if hasComment(prevEnd, end) {
			return nil, unsupported("comment next to the removed element of a flow collection")
		}
		return []Edit{{File: s.File, Start: prevEnd, End: end}}, nil
	}
}
