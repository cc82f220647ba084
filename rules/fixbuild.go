package rules

import (
	"errors"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// fixBuilder collects the edits of one fix in one compose file. The first
// helper error makes the whole fix unavailable: a fix is all or nothing.
type fixBuilder struct {
	file  *project.File
	src   *transform.Source
	parts [][]transform.Edit
	// raw marks parts the builder wrote itself, not a helper: they have
	// no self-check, so build checks the helpers' parts only.
	raw    []bool
	writes []lint.FileWrite
	notes  []string
	err    error
	// forceUnsafe: the fix is unsafe whatever its edits touch.
	forceUnsafe bool
}

// newFixBuilder starts a fix in f. Its helper calls record their
// self-checks on a Batch view of the file's Source, and build checks the
// fix's joined edits once (the edits that will be applied, after Join).
func newFixBuilder(p *lint.Pass, f *project.File) *fixBuilder {
	src := f.Source()
	src.SkipVerify = !p.VerifyFixes
	b := &fixBuilder{file: f, src: src.Batch()}
	if !slices.Contains(p.Project.Files, f) {
		// An included file or an extends base: an edit there changes
		// every project and service that pulls it in, and compose-go
		// reads it from disk, where a fix pass cannot check the result
		// (SPEC §6: never edit an extends base on behalf of one service).
		b.err = errPulledIn
	}
	return b
}

// errPulledIn refuses a fix in a file the project only includes or extends.
var errPulledIn = errors.New("the file is included or extended, not one of the project's own files")

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
	b.raw = append(b.raw, false)
}

// addRaw records edits computed without a transform helper (no
// self-check: keep them to what a reader can check by eye).
func (b *fixBuilder) addRaw(edits []transform.Edit, err error) {
	b.add(edits, err)
	if b.err == nil {
		b.raw[len(b.raw)-1] = true
	}
}

// build returns the fix, or nil when a helper failed. A fix whose edits
// touch a comment, an anchor, an alias or a merge key is downgraded to
// unsafe: those carry meaning a byte edit may break.
func (b *fixBuilder) build(title string, app lint.Applicability) *lint.Fix {
	if b.err != nil {
		return nil
	}
	b.moveInsertsOutOfDeletions()
	// Two helpers may insert at one offset (a service's new volumes list
	// and a new top-level section, both at the end of the file): Join
	// orders them into one edit instead of a conflict.
	edits, err := transform.Join(b.parts...)
	if err != nil || (len(edits) == 0 && len(b.writes) == 0) {
		return nil
	}
	checked := edits
	if slices.Contains(b.raw, true) {
		var parts [][]transform.Edit
		for i, part := range b.parts {
			if !b.raw[i] {
				parts = append(parts, part)
			}
		}
		if checked, err = transform.Join(parts...); err != nil {
			return nil
		}
	}
	if err := b.src.VerifyBatch(checked); err != nil {
		return nil
	}
	if b.forceUnsafe && app == lint.Safe {
		app = lint.Unsafe
	}
	for _, e := range edits {
		if app == lint.Safe && (transform.RangeTouchesComment(b.src, e) || transform.RangeTouchesAnchorOrAlias(b.src, e)) {
			app = lint.Unsafe
		}
	}
	return &lint.Fix{Title: title, Applicability: app, Edits: edits, Writes: b.writes, Notes: b.notes}
}

// addItems appends items to the sequence at key of mapping, creating it
// with all of them at once when it is missing: two separate creations in
// one fix would write the key twice.
func (b *fixBuilder) addItems(mapping *yaml.Node, key string, items []string) {
	if seq := transform.Value(mapping, key); seq != nil && seq.Kind == yaml.SequenceNode {
		for _, it := range items {
			b.add(transform.AppendSequenceItem(b.src, seq, it))
		}
		return
	}
	if len(items) == 1 {
		b.add(transform.EnsureSequenceItem(b.src, mapping, key, items[0]))
		return
	}
	var block strings.Builder
	for _, it := range items {
		block.WriteString("- " + it + "\n")
	}
	b.add(transform.EnsureKey(b.src, mapping, key, block.String(), true))
}

// declare adds names (with an optional one-line value each) under the
// top-level section of the fix's file, creating the section once.
func (b *fixBuilder) declare(section string, names []string, values []string) {
	root := b.file.Root()
	if root == nil {
		b.err = transform.ErrUnsupported
		return
	}
	if sec := transform.Value(root, section); sec != nil && sec.Kind == yaml.MappingNode || len(names) == 1 {
		for i, n := range names {
			b.add(transform.AddTopLevelEntry(b.src, b.file.Docs[0], section, n, values[i]))
		}
		return
	}
	// values are block YAML (e.g. "file: ./x"): nested under each name.
	var block strings.Builder
	for i, n := range names {
		block.WriteString(n + ":\n")
		for _, line := range strings.Split(values[i], "\n") {
			if line != "" {
				block.WriteString("  " + line + "\n")
			}
		}
	}
	b.add(transform.EnsureKey(b.src, root, section, block.String(), true))
}

// moveInsertsOutOfDeletions handles one fix that removes whole lines and
// inserts after them (a tmpfs item removed, a volumes key added after the
// service's last line): the helpers computed both on the original, so the
// insertion sits inside the removed range. Inserted text that starts with
// a line break means the same thing just before the removed lines' leading
// break, where it no longer overlaps.
func (b *fixBuilder) moveInsertsOutOfDeletions() {
	src := b.file.Content
	for _, part := range b.parts {
		for i := range part {
			ins := &part[i]
			if ins.Start != ins.End || !strings.HasPrefix(ins.New, "\n") && !strings.HasPrefix(ins.New, "\r\n") {
				continue
			}
			for _, other := range b.parts {
				for _, del := range other {
					if del.New != "" || !(del.Start < ins.Start && ins.Start < del.End) || del.Start == 0 || src[del.Start-1] != '\n' {
						continue
					}
					at := del.Start - 1
					if at > 0 && src[at-1] == '\r' {
						at--
					}
					ins.Start, ins.End = at, at
				}
			}
		}
	}
}
