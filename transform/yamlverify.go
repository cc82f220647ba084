package transform

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// Every helper checks its own edits before returning them: the edited
// bytes must parse, and their node tree must equal the original tree with
// exactly the intended change made (kinds, resolved tags, values, anchors
// and alias names are compared; styles and comments are not). A mistake in
// the text computations therefore turns into an ErrUnsupported error, never
// into a broken or meaning-changing edit.

// finder maps a node of the Source's tree to the same node of a fresh
// parse of the original bytes (which the expected-tree mutation may edit).
type finder func(n *yaml.Node) (*yaml.Node, error)

// checked returns edits when verify accepts them, and only the error
// otherwise.
func (s *Source) checked(edits []Edit, mutate func(find finder) error) ([]Edit, error) {
	if s.SkipVerify {
		return edits, nil
	}
	if err := s.verify(edits, mutate); err != nil {
		return nil, err
	}
	return edits, nil
}

func (s *Source) verify(edits []Edit, mutate func(find finder) error) error {
	out, err := Apply(s.src, edits)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	got, err := parseAll(out)
	if err != nil {
		return unsupported("edited file would not parse: %v", err)
	}
	want, err := parseAll(s.src)
	if err != nil {
		return unsupported("file does not parse: %v", err)
	}
	index := map[posKey][]*yaml.Node{}
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		k := posKey{n.Kind, n.Line, n.Column}
		index[k] = append(index[k], n)
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, d := range want {
		walk(d)
	}
	find := func(n *yaml.Node) (*yaml.Node, error) {
		var found *yaml.Node
		for _, c := range index[posKey{n.Kind, n.Line, n.Column}] {
			if c.Value == n.Value && len(c.Content) == len(n.Content) && c.Anchor == n.Anchor {
				if found != nil {
					return nil, unsupported("two nodes at %d:%d", n.Line, n.Column)
				}
				found = c
			}
		}
		if found == nil {
			return nil, unsupported("node at %d:%d not found again", n.Line, n.Column)
		}
		return found, nil
	}
	if err := mutate(find); err != nil {
		return err
	}
	if len(got) != len(want) {
		return unsupported("edit changes the number of documents")
	}
	for i := range got {
		if path, ok := sameNode(want[i], got[i], "$"); !ok {
			return unsupported("edit would change the document at %s", path)
		}
	}
	return nil
}

// sameNode compares two trees; aliases are compared by name.
func sameNode(a, b *yaml.Node, path string) (string, bool) {
	if a.Kind != b.Kind || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return path, false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if a.ShortTag() != b.ShortTag() || (a.Value != b.Value && a.ShortTag() != "!!null") {
			return path, false
		}
	case yaml.AliasNode:
		if a.Value != b.Value {
			return path, false
		}
	case yaml.MappingNode, yaml.SequenceNode:
		if a.ShortTag() != b.ShortTag() {
			return path, false
		}
	}
	for i := range a.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		if a.Kind == yaml.MappingNode && i%2 == 1 {
			p = path + "." + a.Content[i-1].Value
		}
		if q, ok := sameNode(a.Content[i], b.Content[i], p); !ok {
			return q, false
		}
	}
	return "", true
}

func strNode(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}
