package transform

import (
	"bytes"
	"sort"

	"go.yaml.in/yaml/v4"
)

// lexInfo holds the byte ranges of comments and of anchor, alias and
// merge-key tokens, derived from the parse (a '#' is a comment exactly when
// it is outside every scalar, anchor, tag and alias).
type lexInfo struct {
	ok       bool
	comments [][2]int
	anchors  [][2]int // anchors (&x), aliases (*x) and merge keys (<<)
}

func (s *Source) lex() *lexInfo {
	s.lexOnce.Do(func() { s.lexed = s.computeLex() })
	return s.lexed
}

func (s *Source) computeLex() *lexInfo {
	li := &lexInfo{}
	t, err := s.parsed()
	if err != nil {
		return li
	}
	var opaque [][2]int
	for n := range t.parent {
		if n.Kind == yaml.DocumentNode {
			continue
		}
		e, err := s.ext(n)
		if err != nil {
			return li
		}
		if e.propsEnd > e.start {
			opaque = append(opaque, [2]int{e.start, e.propsEnd})
			if n.Anchor != "" {
				if i := bytes.Index(s.src[e.start:e.propsEnd], []byte("&"+n.Anchor)); i >= 0 {
					li.anchors = append(li.anchors, [2]int{e.start + i, e.start + i + 1 + len(n.Anchor)})
				}
			}
		}
		switch n.Kind {
		case yaml.AliasNode:
			opaque = append(opaque, [2]int{e.start, e.end})
			li.anchors = append(li.anchors, [2]int{e.start, e.end})
		case yaml.ScalarNode:
			if e.block != nil {
				opaque = append(opaque, [2]int{e.block.bodyStart, max(e.end, e.block.bodyStart)})
			} else {
				opaque = append(opaque, [2]int{e.content, e.end})
			}
			if n.ShortTag() == "!!merge" {
				li.anchors = append(li.anchors, [2]int{e.content, e.end})
			}
		}
	}
	// Directive lines ("%TAG ! tag:x#y") are not comments either.
	for i, st := range s.lineStart {
		if st < len(s.src) && s.src[st] == '%' {
			opaque = append(opaque, [2]int{st, s.breakStart[i]})
		}
	}
	sort.Slice(opaque, func(i, j int) bool { return opaque[i][0] < opaque[j][0] })
	k := 0
	for p := 0; p < len(s.src); p++ {
		for k < len(opaque) && opaque[k][1] <= p {
			k++
		}
		if k < len(opaque) && opaque[k][0] <= p {
			p = opaque[k][1] - 1
			continue
		}
		if s.src[p] == '#' {
			end := s.lineEnd(p)
			li.comments = append(li.comments, [2]int{p, end})
			p = end - 1
		}
	}
	sort.Slice(li.anchors, func(i, j int) bool { return li.anchors[i][0] < li.anchors[j][0] })
	li.ok = true
	return li
}

// touches reports whether edit e changes bytes of one of the ranges: a
// replaced range overlaps it, or an insertion falls strictly inside it.
func touches(ranges [][2]int, e Edit) bool {
	for _, r := range ranges {
		if e.Start < e.End {
			if e.Start < r[1] && r[0] < e.End {
				return true
			}
		} else if r[0] < e.Start && e.Start < r[1] {
			return true
		}
	}
	return false
}

// RangeTouchesComment reports whether e replaces or deletes part of a
// comment (or inserts inside one). Fixes whose edits touch a comment are
// unsafe: the comment is lost or moved. When the file cannot be analysed
// it conservatively reports whether the range holds a '#'.
func RangeTouchesComment(src *Source, e Edit) bool {
	if e.Start < 0 || e.End > len(src.src) || e.Start > e.End {
		return false
	}
	li := src.lex()
	if !li.ok {
		return bytes.IndexByte(src.src[e.Start:e.End], '#') >= 0
	}
	return touches(li.comments, e)
}

// RangeTouchesAnchorOrAlias reports whether e replaces, deletes or inserts
// inside an anchor (&x), an alias (*x) or a merge key (<<). When the file
// cannot be analysed it conservatively reports whether the range holds
// '&', '*' or "<<". Editing the content of an anchored node is not caught
// here: see IsAliased.
func RangeTouchesAnchorOrAlias(src *Source, e Edit) bool {
	if e.Start < 0 || e.End > len(src.src) || e.Start > e.End {
		return false
	}
	li := src.lex()
	if !li.ok {
		r := src.src[e.Start:e.End]
		return bytes.ContainsAny(r, "&*") || bytes.Contains(r, []byte("<<"))
	}
	return touches(li.anchors, e)
}

// IsAliased reports whether n or one of its ancestors carries an anchor
// that an alias refers to, so that editing n also changes the places that
// use the alias (including services that merge it with "<<: *x"). It
// reports true when n does not belong to src (be conservative).
func IsAliased(src *Source, n *yaml.Node) bool {
	m, err := src.lookup(n)
	if err != nil {
		return true
	}
	t := src.tree
	// The set of aliased anchors is computed once per Source: a large file
	// asks for every fix, and a walk per call would be quadratic.
	if src.aliased == nil {
		src.aliased = map[*yaml.Node]bool{}
		for k := range t.parent {
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				src.aliased[k.Alias] = true
			}
		}
	}
	used := src.aliased
	for p := m; p != nil; p = t.parent[p] {
		if p.Anchor != "" && used[p] {
			return true
		}
	}
	return false
}
