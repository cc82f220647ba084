package project

import (
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// End returns the byte offset just past the source text of n: the closing
// quote of a quoted scalar, the last character of a plain one, the end of
// the last descendant of a collection.
func (f *File) End(n *yaml.Node) int {
	n = resolveShallow(n)
	for (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode || n.Kind == yaml.DocumentNode) && len(n.Content) > 0 {
		if n.Style&yaml.FlowStyle != 0 {
			return f.flowEnd(n)
		}
		n = n.Content[len(n.Content)-1]
		if n.Kind == yaml.AliasNode {
			break
		}
	}
	start := f.Offset(n.Line, n.Column)
	src := f.Content
	switch {
	case n.Kind == yaml.AliasNode:
		return scanWord(src, start+1)
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return closeQuote(src, start, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		return closeQuote(src, start, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return f.Offset(n.Line+1, 1) // the header line; content follows
	case n.Kind == yaml.ScalarNode && n.Value == "" && n.Tag == "!!null":
		return start
	}
	// Plain scalar: its text on one line is its value; multi-line plain
	// scalars end on the line its last word is on, approximated here.
	end := start
	for i, r := 0, 0; end < len(src) && r < utf8.RuneCountInString(n.Value); i++ {
		if src[end] == '\n' || src[end] == '\r' {
			break
		}
		_, size := utf8.DecodeRune(src[end:])
		end += size
		r++
	}
	return end
}

// flowEnd finds the bracket that closes a flow collection, skipping quoted
// text.
func (f *File) flowEnd(n *yaml.Node) int {
	src := f.Content
	i := f.Offset(n.Line, n.Column)
	depth := 0
	for ; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			i = closeQuote(src, i, src[i]) - 1
		}
	}
	return len(src)
}

func closeQuote(src []byte, start int, q byte) int {
	for i := start + 1; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q && q == '\'' && i+1 < len(src) && src[i+1] == '\'':
			i++
		case src[i] == q:
			return i + 1
		}
	}
	return len(src)
}

func scanWord(src []byte, i int) int {
	for i < len(src) && src[i] != ' ' && src[i] != '\n' && src[i] != '\r' && src[i] != ',' && src[i] != ']' && src[i] != '}' {
		i++
	}
	return i
}

func resolveShallow(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}
