package transform

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// The helpers below compute minimal edits from go.yaml.in/yaml/v4 nodes.
// Each returns the edits of one fix (apply all of them or none) with
// File set to src.File, or an error and no edits. Errors that mean "this
// shape is not edited automatically" wrap ErrUnsupported. Each helper
// re-parses its own result before returning it (see verify).
//
// Inserted lines use the file's line ending and are inserted at the end of
// an existing line (before its break), so a file without a final newline
// still has none. New entries and items go right after the end of the last
// entry or item of the collection (after its value, nested lines and the
// comment on its last line); comment lines and blank lines that follow it
// stay after the new entry.

// AddMappingEntry appends "key: value" as the last entry of mapping.
// valueYAML is the value as YAML text: "" for a null written as "key:",
// a single-line scalar or flow collection written after the key, or block
// YAML (a mapping, a sequence or a block scalar, any consistent
// indentation) written on the following lines in the file's indentation
// style. In a flow mapping the entry is written as flow YAML: "{a: 1}"
// becomes "{a: 1, key: value}". It fails with ErrKeyExists when the key is
// present.
func AddMappingEntry(src *Source, mapping *yaml.Node, key string, valueYAML string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	if i := KeyIndex(m, key); i >= 0 {
		return nil, fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	if v := mergedValue(m, key, 0); v != nil && (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) {
		// `<<: *common` gives the mapping this key; a local one would
		// replace the merged list or mapping, not extend it, and what it
		// held (mounts, secrets, variables) would be gone.
		return nil, unsupported("%q comes from a << merge key: a local %q would replace it", key, key)
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	edits, err := src.addEntry(m, key, pv, false)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content, strNode(key), cloneNode(pv.node))
		return nil
	})
}

// AppendSequenceItem appends an item to a sequence. In a block sequence
// "- item" is written at the column of the existing dashes after the last
// item; itemYAML follows the rules of AddMappingEntry's valueYAML (a block
// mapping item is written "- a: 1" with its other keys aligned under the
// first). In a flow sequence the item is written as flow YAML: "[a, b]"
// becomes "[a, b, item]" and "[]" becomes "[item]"; when the items of a
// flow sequence are on lines of their own the new one gets its own line.
func AppendSequenceItem(src *Source, seq *yaml.Node, itemYAML string) ([]Edit, error) {
	sq, err := src.lookupKind(seq, yaml.SequenceNode)
	if err != nil {
		return nil, err
	}
	pv, err := parseValue(itemYAML)
	if err != nil {
		return nil, err
	}
	edits, err := src.appendItem(sq, pv)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fs, err := find(sq)
		if err != nil {
			return err
		}
		fs.Content = append(fs.Content, cloneNode(pv.node))
		return nil
	})
}

// CreateSequenceWithItem gives mapping a sequence at key holding one item:
// when key is missing it appends "key:" followed by "- item" (indented
// under the key, or indentless, like the file's other sequences); when key
// is present with a null value ("key:" or "key: ~") it writes the sequence
// there. It fails with ErrKeyExists when key has another value.
func CreateSequenceWithItem(src *Source, mapping *yaml.Node, key string, itemYAML string) ([]Edit, error) {
	pv, err := parseValue(itemYAML)
	if err != nil {
		return nil, err
	}
	return EnsureKey(src, mapping, key, itemText(pv), true)
}

// EnsureSequenceItem makes the sequence at mapping's key hold the item:
// it appends to an existing block or flow sequence (without checking for
// duplicates), or creates the sequence (CreateSequenceWithItem) when the
// key is missing or null. Another value at key is an ErrUnsupported error.
func EnsureSequenceItem(src *Source, mapping *yaml.Node, key string, itemYAML string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	if i := KeyIndex(m, key); i >= 0 {
		v := m.Content[i+1]
		if v.Kind == yaml.SequenceNode {
			return AppendSequenceItem(src, v, itemYAML)
		}
		if !IsNull(v) {
			return nil, unsupported("%q is not a sequence", key)
		}
	}
	return CreateSequenceWithItem(src, mapping, key, itemYAML)
}

// EnsureKey makes mapping hold key. A missing key is added with
// AddMappingEntry. A key present with a null value ("key:", "key: ~",
// "key: null") gets valueYAML written in place of the null when fill is
// true and valueYAML is not "" (otherwise nothing is done). A key with any
// other value: no edits when fill is false, ErrKeyExists when fill is true
// (the caller asked for a value it cannot get). nil edits and a nil error
// mean there is nothing to do.
func EnsureKey(src *Source, mapping *yaml.Node, key string, valueYAML string, fill bool) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	i := KeyIndex(m, key)
	if i < 0 {
		return AddMappingEntry(src, m, key, valueYAML)
	}
	if !fill {
		return nil, nil
	}
	if !IsNull(m.Content[i+1]) {
		return nil, fmt.Errorf("%w: %q", ErrKeyExists, key)
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	if pv.text == "" {
		return nil, nil
	}
	edits, err := src.fillNull(m, i, pv)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content[i+1] = cloneNode(pv.node)
		return nil
	})
}

// AddTopLevelEntry adds "key: value" under the top-level mapping entry
// section (for example "volumes" or "secrets") of doc (a document node or
// its root mapping). A missing section is appended at the end of the root
// mapping as "section:" with the entry nested under it (preceded by a
// blank line when the root's last entries are separated by blank lines);
// a null section ("volumes:") gets the entry nested under it; a flow
// section ("volumes: {}") gets it as flow YAML. valueYAML is as for
// AddMappingEntry ("" writes "key:"). It fails with ErrKeyExists when the
// section already has key, and with ErrUnsupported when the section is not
// a mapping.
func AddTopLevelEntry(src *Source, doc *yaml.Node, section string, key string, valueYAML string) ([]Edit, error) {
	d, err := src.lookup(doc)
	if err != nil {
		return nil, err
	}
	root := d
	if d.Kind == yaml.DocumentNode {
		if len(d.Content) != 1 {
			return nil, unsupported("empty document")
		}
		root = d.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, unsupported("top level is not a mapping")
	}
	pv, err := parseValue(valueYAML)
	if err != nil {
		return nil, err
	}
	entry := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{strNode(key), cloneNode(pv.node)}}
	i := KeyIndex(root, section)
	if i >= 0 {
		v := root.Content[i+1]
		switch {
		case v.Kind == yaml.MappingNode:
			return AddMappingEntry(src, v, key, valueYAML)
		case IsNull(v):
			kt, err := keyText(key, false)
			if err != nil {
				return nil, err
			}
			block := &parsedValue{text: entryText(kt, pv), node: entry, block: true}
			edits, err := src.fillNull(root, i, block)
			if err != nil {
				return nil, err
			}
			return src.checked(edits, func(find finder) error {
				fm, err := find(root)
				if err != nil {
					return err
				}
				fm.Content[i+1] = cloneNode(entry)
				return nil
			})
		default:
			return nil, unsupported("top-level %q is not a mapping", section)
		}
	}
	var pvSection *parsedValue
	if root.Style&yaml.FlowStyle != 0 {
		flow, err := flowText(entry)
		if err != nil {
			return nil, err
		}
		pvSection = &parsedValue{text: flow, node: entry}
	} else {
		kt, err := keyText(key, false)
		if err != nil {
			return nil, err
		}
		pvSection = &parsedValue{text: entryText(kt, pv), node: entry, block: true}
	}
	edits, err := src.addEntry(root, section, pvSection, src.blankBeforeLast(root))
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(root)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content, strNode(section), cloneNode(entry))
		return nil
	})
}

// ReplaceScalar replaces the text of a plain, single-quoted or
// double-quoted scalar (not its anchor or tag) with newText, which is
// written as given (quote it yourself). Block scalars, scalars spanning
// several lines and multi-line newText are refused. A null written as
// nothing ("key:") gets " newText" after the colon.
func ReplaceScalar(src *Source, node *yaml.Node, newText string) ([]Edit, error) {
	n, err := src.lookupKind(node, yaml.ScalarNode)
	if err != nil {
		return nil, err
	}
	if newText == "" || strings.ContainsAny(newText, "\r\n") {
		return nil, unsupported("replacement %q is empty or spans lines", newText)
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, unsupported("block scalar at %d:%d", n.Line, n.Column)
	}
	e, err := src.ext(n)
	if err != nil {
		return nil, err
	}
	if src.lineOf(e.content) != src.lineOf(e.end) {
		return nil, unsupported("scalar at %d:%d spans several lines", n.Line, n.Column)
	}
	edit := Edit{File: src.File, Start: e.content, End: e.end, New: newText}
	if e.content == e.end { // a null written as nothing
		if e.content > 0 && src.src[e.content-1] != ' ' && src.src[e.content-1] != '\t' && !src.tree.inFlow(n) {
			edit.New = " " + newText
		}
	}
	props := string(src.src[e.start:e.propsEnd])
	want, err := parseValue(strings.TrimSpace(props + " " + newText))
	if err != nil {
		return nil, err
	}
	if want.node.Kind != yaml.ScalarNode {
		return nil, unsupported("replacement %q is not a scalar", newText)
	}
	edits := []Edit{edit}
	return src.checked(edits, func(find finder) error {
		fn, err := find(n)
		if err != nil {
			return err
		}
		fn.Tag, fn.Value, fn.Style = want.node.Tag, want.node.Value, want.node.Style
		return nil
	})
}

// RemoveMappingEntry removes key and its value from mapping. In a block
// mapping the entry's whole lines go (its key line, nested lines and the
// comment on its last line; comment lines before and after it stay); the
// key must start its line ("- key: v", a sequence item's first key, is
// refused). Removing the only entry of a block mapping that is the value
// of a key rewrites it as "key: {}" when no comment would be lost, and is
// refused otherwise. In a flow mapping the entry and one adjacent comma go.
func RemoveMappingEntry(src *Source, mapping *yaml.Node, key string) ([]Edit, error) {
	m, err := src.lookupKind(mapping, yaml.MappingNode)
	if err != nil {
		return nil, err
	}
	i := KeyIndex(m, key)
	if i < 0 {
		return nil, fmt.Errorf("key %q not found", key)
	}
	edits, err := src.removeElem(m, i/2)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fm, err := find(m)
		if err != nil {
			return err
		}
		fm.Content = append(fm.Content[:i:i], fm.Content[i+2:]...)
		return nil
	})
}

// RemoveSequenceItem removes item index of seq, with the same rules as
// RemoveMappingEntry: whole lines in a block sequence (the dash must start
// its line), the element and one comma in a flow sequence; the only item
// of a block sequence under a key becomes "key: []" when no comment would
// be lost.
func RemoveSequenceItem(src *Source, seq *yaml.Node, index int) ([]Edit, error) {
	sq, err := src.lookupKind(seq, yaml.SequenceNode)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(sq.Content) {
		return nil, fmt.Errorf("item %d out of range (%d items)", index, len(sq.Content))
	}
	edits, err := src.removeElem(sq, index)
	if err != nil {
		return nil, err
	}
	return src.checked(edits, func(find finder) error {
		fs, err := find(sq)
		if err != nil {
			return err
		}
		fs.Content = append(fs.Content[:index:index], fs.Content[index+1:]...)
		return nil
	})
}

// --- internals ---
