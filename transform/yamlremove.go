package transform

import (
	"go.yaml.in/yaml/v4"
)

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
