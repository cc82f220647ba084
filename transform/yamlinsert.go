package transform

import (
	"strings"

	"go.yaml.in/yaml/v4"
)

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
