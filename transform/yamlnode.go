package transform

import (
	"fmt"
	"iter"

	"go.yaml.in/yaml/v4"
)

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

// Pairs yields the key and value nodes of a mapping, in order; nothing
// for a nil node or another kind. It is the one walk over a mapping's
// Content, which holds keys and values alternately.
func Pairs(m *yaml.Node) iter.Seq2[*yaml.Node, *yaml.Node] {
	return func(yield func(k, v *yaml.Node) bool) {
		if m == nil || m.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if !yield(m.Content[i], m.Content[i+1]) {
				return
			}
		}
	}
}

// KeyIndex is the index in m.Content of the scalar key named key, or -1
// (merge keys are not followed: see mergedValue).
func KeyIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

// Value is the value of m's own key named key, or nil.
func Value(m *yaml.Node, key string) *yaml.Node {
	if i := KeyIndex(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
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
			if j := KeyIndex(src, key); j >= 0 {
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
