package transform

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// tree is the Source's own parse of its bytes: positions of caller nodes
// are matched against it, and it supplies the parent links the extent
// computation needs (a block scalar's indentation depends on its parent).
type tree struct {
	docs   []*yaml.Node
	parent map[*yaml.Node]*yaml.Node
	index  map[posKey][]*yaml.Node
	ext    map[*yaml.Node]*extent
}

type posKey struct {
	kind      yaml.Kind
	line, col int
}

// extent is the byte range of a node's text.
type extent struct {
	start    int // first byte: the anchor or tag when there is one
	propsEnd int // end of the anchor and tag ("" props: == start)
	content  int // first byte of the node's own text (after the props)
	end      int // just past the last byte of the node's text
	err      error
	busy     bool

	// Block scalars only.
	block *blockInfo
}

type blockInfo struct {
	chomp         byte // '-', '+' or 0 (clip)
	bodyStart     int  // start of the line after the header
	trailingBlank bool // blank lines follow the last content line
	atEOF         bool // the last content line has no line break
	empty         bool // no content line at all
}

func (s *Source) parsed() (*tree, error) {
	s.once.Do(func() {
		docs := s.docs
		if docs == nil {
			var err error
			if docs, err = parseAll(s.src); err != nil {
				s.perr = fmt.Errorf("%w: %s does not parse: %w", ErrUnsupported, s.File, err)
				return
			}
		}
		t := &tree{
			docs:   docs,
			parent: map[*yaml.Node]*yaml.Node{},
			index:  map[posKey][]*yaml.Node{},
			ext:    map[*yaml.Node]*extent{},
		}
		var walk func(n, p *yaml.Node)
		walk = func(n, p *yaml.Node) {
			if _, seen := t.parent[n]; seen {
				return
			}
			t.parent[n] = p
			k := posKey{n.Kind, n.Line, n.Column}
			t.index[k] = append(t.index[k], n)
			for _, c := range n.Content {
				walk(c, n)
			}
		}
		for _, d := range docs {
			walk(d, nil)
		}
		s.tree = t
	})
	return s.tree, s.perr
}

// lookup maps a caller's node (parsed from the same bytes) to the Source's
// own node at the same position.
func (s *Source) lookup(n *yaml.Node) (*yaml.Node, error) {
	t, err := s.parsed()
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, errors.New("nil node")
	}
	if _, ok := t.parent[n]; ok {
		return n, nil
	}
	var found *yaml.Node
	for _, c := range t.index[posKey{n.Kind, n.Line, n.Column}] {
		if c.Value != n.Value || len(c.Content) != len(n.Content) || c.Anchor != n.Anchor {
			continue
		}
		if found != nil {
			return nil, unsupported("two nodes at %d:%d", n.Line, n.Column)
		}
		found = c
	}
	if found == nil {
		return nil, fmt.Errorf("node at %d:%d does not belong to %s", n.Line, n.Column, s.File)
	}
	return found, nil
}

// inFlow reports whether n is inside a flow collection.
func (t *tree) inFlow(n *yaml.Node) bool {
	for p := t.parent[n]; p != nil; p = t.parent[p] {
		if p.Style&yaml.FlowStyle != 0 && (p.Kind == yaml.MappingNode || p.Kind == yaml.SequenceNode) {
			return true
		}
	}
	return false
}

// ext computes (and memoises) the extent of one of the tree's nodes.
func (s *Source) ext(n *yaml.Node) (*extent, error) {
	t, err := s.parsed()
	if err != nil {
		return nil, err
	}
	if e, ok := t.ext[n]; ok {
		if e.busy {
			return nil, unsupported("recursive node at %d:%d", n.Line, n.Column)
		}
		return e, e.err
	}
	e := &extent{busy: true}
	t.ext[n] = e
	e.err = s.computeExtent(t, n, e)
	e.busy = false
	return e, e.err
}

func (s *Source) computeExtent(t *tree, n *yaml.Node, e *extent) error {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			off, err := s.NodeOffset(n)
			e.start, e.propsEnd, e.content, e.end = off, off, off, off
			return err
		}
		c, err := s.ext(n.Content[0])
		if err != nil {
			return err
		}
		*e = *c
		e.busy = true
		return nil
	}
	start, err := s.NodeOffset(n)
	if err != nil {
		return err
	}
	flow := t.inFlow(n)
	e.start = start
	e.propsEnd = s.skipProps(start, n, flow)
	e.content = e.propsEnd
	empty := n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
	if e.propsEnd > start && !empty {
		e.content = s.skipTrivia(e.propsEnd)
	}
	src := s.src
	at := func(p int) byte {
		if p < len(src) {
			return src[p]
		}
		return 0
	}
	switch n.Kind {
	case yaml.AliasNode:
		name := "*" + n.Value
		if !bytes.HasPrefix(src[start:], []byte(name)) {
			return unsupported("alias at %d:%d not found in the source", n.Line, n.Column)
		}
		e.end = start + len(name)
		return nil
	case yaml.ScalarNode:
		switch {
		case empty:
			e.end = e.propsEnd
		case n.Style&yaml.DoubleQuotedStyle != 0:
			end, err := s.quotedEnd(e.content, '"')
			if err != nil {
				return err
			}
			e.end = end
		case n.Style&yaml.SingleQuotedStyle != 0:
			end, err := s.quotedEnd(e.content, '\'')
			if err != nil {
				return err
			}
			e.end = end
		case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			end, info, err := s.blockScalarEnd(e.content, s.blockParentCol(t, n))
			if err != nil {
				return err
			}
			e.end, e.block = end, info
		default:
			end, ok := s.matchPlain(e.content, n.Value)
			if !ok {
				return unsupported("plain scalar at %d:%d does not match its value", n.Line, n.Column)
			}
			e.end = end
		}
		return nil
	case yaml.MappingNode, yaml.SequenceNode:
		if n.Style&yaml.FlowStyle == 0 {
			if len(n.Content) == 0 {
				return unsupported("empty block collection at %d:%d", n.Line, n.Column)
			}
			e.end = e.content
			// The last value, or the last key when its value is empty
			// and positioned before it, whichever ends later.
			from := len(n.Content) - 1
			if n.Kind == yaml.MappingNode {
				from = len(n.Content) - 2
			}
			for _, c := range n.Content[max(from, 0):] {
				ce, err := s.ext(c)
				if err != nil {
					return err
				}
				e.end = max(e.end, ce.end)
			}
			return nil
		}
		open, closer := byte('['), byte(']')
		if n.Kind == yaml.MappingNode {
			open, closer = '{', '}'
		}
		if at(e.content) != open {
			if n.Kind == yaml.MappingNode && len(n.Content) == 2 && t.inFlow(n) {
				// A single pair inside a flow sequence: [a: 1].
				e.end = e.content
				for _, c := range n.Content {
					ce, err := s.ext(c)
					if err != nil {
						return err
					}
					e.end = max(e.end, ce.end)
				}
				return nil
			}
			return unsupported("flow collection at %d:%d does not start with %q", n.Line, n.Column, open)
		}
		p := e.content + 1
		for _, c := range n.Content {
			ce, err := s.ext(c)
			if err != nil {
				return err
			}
			p = max(p, ce.end)
		}
		p = s.skipTrivia(p)
		if at(p) == ',' && len(n.Content) > 0 {
			p = s.skipTrivia(p + 1)
		}
		if at(p) != closer {
			return unsupported("flow collection at %d:%d: closing %q not found", n.Line, n.Column, closer)
		}
		e.end = p + 1
		return nil
	}
	return unsupported("node kind %v at %d:%d", n.Kind, n.Line, n.Column)
}

// blockParentCol returns the 1-based column of the block collection that
// holds n (the scanner's indentation level for n), or -1 at the root.
func (s *Source) blockParentCol(t *tree, n *yaml.Node) int {
	p := t.parent[n]
	if p == nil || p.Kind == yaml.DocumentNode || len(p.Content) == 0 {
		return -1
	}
	switch p.Kind {
	case yaml.MappingNode:
		if off, err := s.NodeOffset(p.Content[0]); err == nil {
			return s.column(off)
		}
	case yaml.SequenceNode:
		if c, err := s.dashOffset(p); err == nil {
			return s.column(c)
		}
	}
	return -1
}

// dashOffset returns the offset of the first "-" of a block sequence.
func (s *Source) dashOffset(seq *yaml.Node) (int, error) {
	start, err := s.NodeOffset(seq)
	if err != nil {
		return 0, err
	}
	t, _ := s.parsed()
	p := s.skipProps(start, seq, t != nil && t.inFlow(seq))
	if p > start {
		p = s.skipTrivia(p)
	}
	if p >= len(s.src) || s.src[p] != '-' {
		return 0, unsupported("block sequence at %d:%d: dash not found", seq.Line, seq.Column)
	}
	return p, nil
}

// skipProps skips an anchor and a tag (in any order) starting at p and
// returns the offset just past the last one (p when there are none).
func (s *Source) skipProps(p int, n *yaml.Node, flow bool) int {
	src := s.src
	end := p
	for p < len(src) {
		switch src[p] {
		case '&':
			q := p + 1
			if n.Anchor != "" && bytes.HasPrefix(src[q:], []byte(n.Anchor)) {
				q += len(n.Anchor)
			} else {
				for q < len(src) && !isSpaceByte(src[q]) && breakLen(src, q) == 0 && !(flow && strings.IndexByte(",[]{}", src[q]) >= 0) {
					q++
				}
			}
			p, end = q, q
		case '!':
			q := p + 1
			if q < len(src) && src[q] == '<' {
				for q < len(src) && src[q] != '>' && breakLen(src, q) == 0 {
					q++
				}
				if q < len(src) && src[q] == '>' {
					q++
				}
			} else {
				for q < len(src) && !isSpaceByte(src[q]) && breakLen(src, q) == 0 && !(flow && strings.IndexByte(",[]{}", src[q]) >= 0) {
					q++
				}
			}
			p, end = q, q
		default:
			return end
		}
		for p < len(src) && (src[p] == ' ' || src[p] == '\t') {
			p++
		}
	}
	return end
}

// skipTrivia skips blanks, line breaks and comments.
func (s *Source) skipTrivia(p int) int {
	src := s.src
	for p < len(src) {
		switch {
		case src[p] == ' ' || src[p] == '\t':
			p++
		case breakLen(src, p) > 0:
			p += breakLen(src, p)
		case src[p] == '#':
			p = s.lineEnd(p)
		default:
			return p
		}
	}
	return p
}

// skipBlanks skips spaces and tabs on the current line.
func (s *Source) skipBlanks(p int) int {
	for p < len(s.src) && (s.src[p] == ' ' || s.src[p] == '\t') {
		p++
	}
	return p
}

// quotedEnd returns the offset just past the closing quote of the quoted
// scalar starting at p.
func (s *Source) quotedEnd(p int, q byte) (int, error) {
	src := s.src
	if p >= len(src) || src[p] != q {
		line, col := s.Position(p)
		return 0, unsupported("quoted scalar expected at %d:%d", line, col)
	}
	for i := p + 1; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q:
			if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
				i++
				continue
			}
			return i + 1, nil
		}
	}
	line, col := s.Position(p)
	return 0, unsupported("unterminated quoted scalar at %d:%d", line, col)
}

// matchPlain walks a plain scalar's source text from p against its parsed
// value (line folding turns any run of blanks and breaks into one space or
// newlines) and returns the offset just past its last character.
func (s *Source) matchPlain(p int, val string) (int, bool) {
	src := s.src
	i, j := p, 0
	isWS := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }
	for j < len(val) {
		if isWS(val[j]) {
			for j < len(val) && isWS(val[j]) {
				j++
			}
			if i >= len(src) || !(src[i] == ' ' || src[i] == '\t' || breakLen(src, i) > 0) {
				return 0, false
			}
			for i < len(src) {
				if src[i] == ' ' || src[i] == '\t' {
					i++
				} else if n := breakLen(src, i); n > 0 {
					i += n
				} else {
					break
				}
			}
			continue
		}
		if i >= len(src) || src[i] != val[j] {
			return 0, false
		}
		i++
		j++
	}
	return i, true
}

// blockScalarEnd scans a literal or folded scalar whose indicator is at p;
// parentCol is the 1-based column of the enclosing block collection (-1 at
// the root). It mirrors the scanner's indentation rules.
func (s *Source) blockScalarEnd(p int, parentCol int) (int, *blockInfo, error) {
	src := s.src
	if p >= len(src) || (src[p] != '|' && src[p] != '>') {
		line, col := s.Position(p)
		return 0, nil, unsupported("block scalar indicator expected at %d:%d", line, col)
	}
	info := &blockInfo{}
	q := p + 1
	increment := 0
	for k := 0; k < 2 && q < len(src); k++ {
		switch c := src[q]; {
		case (c == '+' || c == '-') && info.chomp == 0:
			info.chomp = c
			q++
		case c >= '1' && c <= '9' && increment == 0:
			increment = int(c - '0')
			q++
		}
	}
	headerEnd := q
	if !s.restIsTrivia(q) {
		line, col := s.Position(p)
		return 0, nil, unsupported("block scalar header at %d:%d", line, col)
	}
	first := s.lineOf(p) + 1
	nlines := len(s.lineStart)
	if s.breakStart[first-1] == len(src) {
		first = nlines // header on the last line: no body
	}
	info.bodyStart = len(src)
	if first < nlines {
		info.bodyStart = s.lineStart[first]
	}
	spaces := func(i int) (n int, blank bool) {
		a, b := s.lineStart[i], s.breakStart[i]
		for a+n < b && src[a+n] == ' ' {
			n++
		}
		return n, a+n == b
	}
	indent := 0 // 1-based column of the content
	if increment > 0 {
		if parentCol >= 0 {
			indent = parentCol + increment
		} else {
			indent = increment + 1
		}
	} else {
		maxIndent := 0
		for i := first; i < nlines; i++ {
			n, blank := spaces(i)
			maxIndent = max(maxIndent, n+1)
			if !blank {
				break
			}
		}
		indent = max(maxIndent, parentCol+1, 1)
	}
	last := -1
	for i := first; i < nlines; i++ {
		if i == nlines-1 && s.lineStart[i] == len(src) {
			break // the empty "line" after a final break
		}
		n, blank := spaces(i)
		if blank {
			continue
		}
		if n < indent-1 {
			break
		}
		last = i
	}
	if last < 0 {
		info.empty = true
		for i := first; i < nlines && !(i == nlines-1 && s.lineStart[i] == len(src)); i++ {
			if n, blank := spaces(i); !blank && n < indent-1 {
				break
			}
			info.trailingBlank = true
		}
		return headerEnd, info, nil
	}
	end := s.breakStart[last]
	info.atEOF = end == len(src)
	if last+1 < nlines && !(last+1 == nlines-1 && s.lineStart[last+1] == len(src)) {
		if _, blank := spaces(last + 1); blank {
			info.trailingBlank = true
		}
	}
	return end, info, nil
}

// NodeExtent returns the byte range [start, end) of n's text: from its
// anchor or tag (or first character) to just past its last character. For
// a block collection, end is the end of its last descendant (trailing
// comments are not included); for a flow collection it is just past the
// closing bracket; for a block scalar it is the end of its last non-blank
// content line; an empty plain scalar (a null written as nothing) has an
// empty range where the parser placed it. n must come from parsing the
// source's bytes. Errors wrap ErrUnsupported when the text does not match
// the node (for example because the node was parsed from other bytes).
func NodeExtent(src *Source, n *yaml.Node) (start, end int, err error) {
	m, err := src.lookup(n)
	if err != nil {
		return 0, 0, err
	}
	e, err := src.ext(m)
	if err != nil {
		return 0, 0, err
	}
	return e.start, e.end, nil
}

// Span is NodeExtent for reporting: when the extent cannot be computed it
// falls back to an empty range at the node's position (or 0).
func Span(src *Source, n *yaml.Node) (start, end int) {
	start, end, err := NodeExtent(src, n)
	if err != nil {
		off, err := src.NodeOffset(n)
		if err != nil {
			return 0, 0
		}
		return off, off
	}
	return start, end
}

// EndOfNode returns the byte offset just past n's text (see NodeExtent);
// convert it with Source.Position for an end line and column.
func EndOfNode(src *Source, n *yaml.Node) int {
	_, end := Span(src, n)
	return end
}
