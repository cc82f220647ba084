package project

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// File is one parsed compose file: its bytes exactly as read and its YAML
// documents as nodes, which carry the line and column of every key and
// value. The same parse serves positions, rules and compose-go.
type File struct {
	// Path is the file as the user sees it (relative when it was given or
	// discovered relative); Abs is absolute.
	Path    string
	Abs     string
	Content []byte
	Docs    []*yaml.Node
	// HasTags records !reset / !override, which only compose-go's own
	// decoder understands; such files are handed to it as bytes.
	HasTags bool
	// OddKeys records a mapping key that is not a string (null, a
	// number, a collection): compose-go's decoder refuses it, ours would
	// make a string of it, so such a file is handed over as bytes too.
	OddKeys bool
	// Includes and Extends are the other files this one pulls in, parsed
	// too so the locator can point into them.
	Includes []*File
	Extends  map[string]ExtendsRef
	// servicesKey is the top-level key that holds the services when it is
	// not `services:` (a misspelt `service:` a degraded load read as
	// services, degrade.go): the locator looks there.
	servicesKey string
	// Legacy is set for a legacy v1 file (legacy.go): Docs is then the
	// view of it with its services under `services:`, and Written the
	// documents as written, which edits and extents are made on.
	Legacy  *Legacy
	Written []*yaml.Node

	src *transform.Source
}

// ExtendsRef is one service's `extends`: the base service and the file
// holding it (nil: the same file; Missing: a file that could not be read).
type ExtendsRef struct {
	Service string
	File    *File
	Missing bool
}

// parseFile decodes every YAML document of content. Errors carry the line
// and column of the problem.
// Files beyond the limits of limits.go are errors too.
func parseFile(path, abs string, content []byte) (*File, error) {
	if err := checkSize(path, content); err != nil {
		return nil, err
	}
	f := &File{Path: path, Abs: abs, Content: content}
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e := yamlError(path, err)
			if e.Line == 0 {
				// The reader's errors (bad UTF-8, control characters)
				// carry no position.
				e.Line, e.Column = badCharAt(content)
			}
			return nil, e
		}
		f.Docs = append(f.Docs, &doc)
	}
	if err := checkShape(path, f.Docs); err != nil {
		return nil, err
	}
	f.HasTags = hasComposeTags(content)
	f.OddKeys = slices.ContainsFunc(f.Docs, hasOddKey)
	f.makeLegacyView()
	return f, nil
}

// hasOddKey reports a mapping key under n that is not a plain string
// (a merge key is one: both decoders merge). Aliases are not followed:
// their anchors are walked where they stand.
func hasOddKey(n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind != yaml.ScalarNode || k.Tag != "!!str" && k.Tag != "!!merge" {
				return true
			}
		}
	}
	return slices.ContainsFunc(n.Content, hasOddKey)
}

// hasComposeTags is a cheap byte scan; a false positive only costs a
// second parse inside compose-go.
func hasComposeTags(b []byte) bool {
	return bytes.Contains(b, []byte("!reset")) || bytes.Contains(b, []byte("!override"))
}

// YAMLError turns a yaml decoder error into an Error with a position.
func YAMLError(path string, err error) *Error {
	return yamlError(path, err)
}

func yamlError(path string, err error) *Error {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		return &Error{File: path, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "invalid yaml: " + maskYAMLQuote(le.Message)}
	}
	line, col, msg := positionFromMessage(err.Error())
	return &Error{File: path, Line: line, Column: col, Msg: "invalid yaml: " + maskYAMLQuote(msg)}
}

// Root returns the top-level mapping of the first document, or nil.
func (f *File) Root() *yaml.Node {
	for _, d := range f.Docs {
		if len(d.Content) > 0 && d.Content[0].Kind == yaml.MappingNode {
			return d.Content[0]
		}
	}
	return nil
}

// Source is the file's byte/position index for edits, built on first use.
// A File belongs to one goroutine, like its Source.
func (f *File) Source() *transform.Source {
	if f.src == nil {
		docs := f.Docs
		if f.Written != nil {
			docs = f.Written
		}
		f.src = transform.NewParsedSource(f.Abs, f.Content, docs)
	}
	return f.src
}

// Offset converts a 1-based line and character column to a byte offset,
// clamped to the file.
func (f *File) Offset(line, col int) int {
	off, err := f.Source().Offset(line, col)
	if err != nil {
		if line < 1 {
			return 0
		}
		return len(f.Content)
	}
	return off
}

// LineCol converts a byte offset back to a 1-based line and character
// column.
func (f *File) LineCol(off int) (line, col int) {
	return f.Source().Position(off)
}

// End returns the byte offset just past the source text of n.
func (f *File) End(n *yaml.Node) int {
	return transform.EndOfNode(f.Source(), f.Orig(n))
}
