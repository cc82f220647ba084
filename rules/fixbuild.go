package rules

import (
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// fixBuilder collects the edits of one fix in one compose file. The first
// helper error makes the whole fix unavailable: a fix is all or nothing.
type fixBuilder struct {
	file   *project.File
	src    *transform.Source
	parts  [][]transform.Edit
	writes []FileWrite
	notes  []string
	err    error
}

func newFixBuilder(f *project.File) *fixBuilder {
	return &fixBuilder{file: f, src: f.Source()}
}

// add records the result of a transform helper.
func (b *fixBuilder) add(edits []transform.Edit, err error) {
	if b.err != nil {
		return
	}
	if err != nil {
		b.err = err
		return
	}
	b.parts = append(b.parts, edits)
}

// build returns the fix, or nil when a helper failed. A fix whose edits
// touch a comment, an anchor, an alias or a merge key is downgraded to
// unsafe: those carry meaning a byte edit may break.
func (b *fixBuilder) build(title string, app Applicability) *Fix {
	if b.err != nil {
		return nil
	}
	// Two helpers may insert at one offset (a service's new volumes list
	// and a new top-level section, both at the end of the file): Join
	// orders them into one edit instead of a conflict.
	edits, err := transform.Join(b.parts...)
	if err != nil || (len(edits) == 0 && len(b.writes) == 0) {
		return nil
	}
	for _, e := range edits {
		if app == Safe && (transform.RangeTouchesComment(b.src, e) || transform.RangeTouchesAnchorOrAlias(b.src, e)) {
			app = Unsafe
		}
	}
	return &Fix{Title: title, Applicability: app, Edits: edits, Writes: b.writes, Notes: b.notes}
}

// serviceNode finds where a service is defined for a fix: the mapping of
// services.<name> in the file that holds it, not an extends base. It
// refuses (nil) a service whose mapping is shared through an anchor.
func serviceNode(p *project.Project, name string) (*project.File, *project.Loc) {
	loc := p.Locate("services", name)
	if loc.Depth != 2 || loc.Node == nil || loc.Node.Kind != yaml.MappingNode {
		return nil, nil
	}
	if transform.IsAliased(loc.File.Source(), loc.Node) {
		return nil, nil
	}
	return loc.File, &loc
}
