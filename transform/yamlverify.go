package transform

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Every helper checks its own edits before returning them: the edited
// bytes must parse, and their node tree must equal the original tree with
// exactly the intended change made (kinds, resolved tags, values, anchors
// and alias names are compared; styles and comments are not). A mistake in
// the text computations therefore turns into an ErrUnsupported error, never
// into a broken or meaning-changing edit.

// finder maps a node of the Source's tree to the same node of the expected
// tree, which the mutation may edit.
type finder func(n *yaml.Node) (*yaml.Node, error)

// checked returns edits when verify accepts them, and only the error
// otherwise.
func (s *Source) checked(edits []Edit, mutate func(find finder) error) ([]Edit, error) {
	if s.SkipVerify {
		return edits, nil
	}
	if s.batch != nil {
		*s.batch = append(*s.batch, mutate)
		return edits, nil
	}
	if err := s.verify(edits, mutate); err != nil {
		return nil, err
	}
	return edits, nil
}

// Batch returns a view of s whose helper calls skip their self-check and
// record it instead; VerifyBatch then checks the joined edits of all of
// them at once (one parse of the result instead of one per call). The
// view shares s's caches: the same rules for concurrent use apply.
func (s *Source) Batch() *Source {
	return &Source{File: s.File, SkipVerify: s.SkipVerify, sourceData: s.sourceData, batch: new([]func(find finder) error)}
}

// VerifyBatch checks edits, the joined edits of the helper calls made on
// the Batch view s since the last VerifyBatch, against the original tree
// with every call's intended change made, in call order. It fails with
// ErrUnsupported as a helper's own check would. On a Source that is not a
// Batch view, or with SkipVerify, it checks nothing.
func (s *Source) VerifyBatch(edits []Edit) error {
	if s.SkipVerify || s.batch == nil {
		return nil
	}
	mutations := *s.batch
	*s.batch = nil
	return s.verify(edits, func(find finder) error {
		for _, m := range mutations {
			if err := m(find); err != nil {
				return err
			}
		}
		return nil
	})
}

// verify parses the edited bytes and compares them with the expected
// tree: the Source's own tree with mutate's change made. The expected
// tree is built copy-on-write: find copies a node and its ancestors, every
// other subtree is shared with the Source's tree, which stays untouched.
func (s *Source) verify(edits []Edit, mutate func(find finder) error) error {
	out, err := Apply(s.src, edits)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	got, err := parseAll(out)
	if err != nil {
		return unsupported("edited file would not parse: %v", err)
	}
	t, err := s.parsed()
	if err != nil {
		return err
	}
	want := slices.Clone(t.docs)
	copies := map[*yaml.Node]*yaml.Node{}
	var find finder
	find = func(n *yaml.Node) (*yaml.Node, error) {
		if c, ok := copies[n]; ok {
			return c, nil
		}
		parent, ok := t.parent[n]
		if !ok {
			return nil, unsupported("node at %d:%d not found again", n.Line, n.Column)
		}
		c := *n
		c.Content = slices.Clone(n.Content)
		copies[n] = &c
		siblings := want
		if parent != nil {
			pc, err := find(parent)
			if err != nil {
				return nil, err
			}
			siblings = pc.Content
		}
		i := slices.Index(siblings, n)
		if i < 0 {
			return nil, unsupported("node at %d:%d not found again", n.Line, n.Column)
		}
		siblings[i] = &c
		return &c, nil
	}
	if err := mutate(find); err != nil {
		return err
	}
	if len(got) != len(want) {
		return unsupported("edit changes the number of documents")
	}
	for i := range got {
		if path := diffPath(want[i], got[i]); path != nil {
			return unsupported("edit would change the document at $%s", strings.Join(path, ""))
		}
	}
	return nil
}

// diffPath compares two trees (aliases by name) and returns nil when they
// are the same, else the path to the first difference as segments
// ("[2]", ".key"). It allocates only on a difference.
func diffPath(a, b *yaml.Node) []string {
	if a.Kind != b.Kind || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) {
		return []string{}
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if a.ShortTag() != b.ShortTag() || (a.Value != b.Value && a.ShortTag() != "!!null") {
			return []string{}
		}
	case yaml.AliasNode:
		if a.Value != b.Value {
			return []string{}
		}
	case yaml.MappingNode, yaml.SequenceNode:
		if a.ShortTag() != b.ShortTag() {
			return []string{}
		}
	}
	for i := range a.Content {
		if rest := diffPath(a.Content[i], b.Content[i]); rest != nil {
			seg := fmt.Sprintf("[%d]", i)
			if a.Kind == yaml.MappingNode && i%2 == 1 {
				seg = "." + a.Content[i-1].Value
			}
			return append([]string{seg}, rest...)
		}
	}
	return nil
}

func strNode(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}
