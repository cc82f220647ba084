package cmd

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform"
)

// Where secrets stand in a file shown to the user (a source line under a
// finding, a diff): the places findings point at, and every place the
// secret is a value on its own. secrets.Masker.MaskSpans masks them there
// and nowhere else, so a password "postgres" leaves the service
// `postgres:` and `image: postgres:16` readable.

// findingSpans are the places of the findings in file (as its Pos.File)
// that carry secrets.
func findingSpans(findings []lint.Finding, file string) []secrets.Span {
	var out []secrets.Span
	for _, f := range findings {
		if len(f.Redact) > 0 && f.Pos.File == file && f.Pos.EndOffset > f.Pos.Offset {
			out = append(out, secrets.Span{Start: f.Pos.Offset, End: f.Pos.EndOffset})
		}
	}
	return out
}

// valueSpans are the places in content where one of the secrets is a
// value on its own: a YAML scalar that is not a key, whose value or
// source text is the secret; the value of a KEY=value scalar (an
// environment list item); the value of a KEY=value line (an env file, or
// a line of a script in a block scalar).
func valueSpans(content []byte, secretList []string) []secrets.Span {
	set := map[string]bool{}
	for _, s := range secretList {
		if s != "" {
			set[s] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	out := envLineSpans(content, set)
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			break // io.EOF, or what parsed is walked and the env lines cover the rest
		}
		docs = append(docs, &doc)
	}
	if len(docs) == 0 {
		return out
	}
	src := transform.NewParsedSource("", content, docs)
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				walk(n.Content[i]) // values only: a key is a name
			}
		case yaml.ScalarNode:
			out = append(out, scalarSpans(src, n, set)...)
		}
	}
	for _, d := range docs {
		walk(d)
	}
	return out
}

// scalarSpans are the places of a secret in scalar n, if it holds one as
// a value on its own.
func scalarSpans(src *transform.Source, n *yaml.Node, set map[string]bool) []secrets.Span {
	start, end, err := transform.NodeExtent(src, n)
	if err != nil || start >= end {
		return nil
	}
	raw := string(src.Bytes()[start:end])
	block := n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	switch {
	case block && set[n.Value]:
		return blockSpans(raw, start, n.Value)
	case set[n.Value]:
		return []secrets.Span{{Start: start, End: end, Whole: n.Value}}
	case set[raw]:
		return []secrets.Span{{Start: start, End: end, Whole: raw}}
	}
	key, v, ok := strings.Cut(n.Value, "=")
	if !ok || !set[v] || !envKey.MatchString(key) {
		return nil
	}
	// The value after KEY=, where the source spells it as such; else
	// (an escape in it) the whole scalar.
	if i := strings.Index(raw, key+"="+v); i >= 0 {
		s := start + i + len(key) + 1
		return []secrets.Span{{Start: s, End: s + len(v), Whole: v}}
	}
	return []secrets.Span{{Start: start, End: end, Whole: v}}
}

// blockSpans are the lines of a block scalar's text raw (at offset start)
// that hold value: its header ("|", ">-") and each line's indentation are
// structure and stay, so the masked block keeps its shape.
func blockSpans(raw string, start int, value string) []secrets.Span {
	var out []secrets.Span
	off := strings.IndexByte(raw, '\n') + 1
	if off == 0 {
		return nil
	}
	for off < len(raw) {
		line := raw[off:]
		next := len(raw)
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], off+i+1
		}
		text := strings.TrimRight(strings.TrimLeft(line, " \t"), "\r")
		if text != "" {
			s := start + off + len(line) - len(strings.TrimLeft(line, " \t"))
			out = append(out, secrets.Span{Start: s, End: s + len(text), Whole: value, Part: len(out) > 0})
		}
		off = next
	}
	return out
}

var (
	envKey  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	envLine = regexp.MustCompile(`^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=[ \t]*`)
)

// envLineSpans are the values of KEY=value lines that are a secret,
// quoted or not, with or without a comment after them.
func envLineSpans(content []byte, set map[string]bool) []secrets.Span {
	var out []secrets.Span
	text := string(content)
	for off := 0; off < len(text); {
		line := text[off:]
		next := len(text)
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], off+i+1
		}
		line = strings.TrimSuffix(line, "\r")
		if m := envLine.FindStringIndex(line); m != nil {
			v := strings.TrimRight(line[m[1]:], " \t")
			if i := strings.Index(v, " #"); i >= 0 && !set[v] {
				v = strings.TrimRight(v[:i], " \t")
			}
			inner := v
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				inner = v[1 : len(v)-1]
			}
			if set[v] || set[inner] {
				s := off + m[1]
				out = append(out, secrets.Span{Start: s, End: s + len(v), Whole: inner})
			}
		}
		off = next
	}
	return out
}

// shownSide is content as a diff shows it: masked where the secrets
// stand, at the places of the findings outs made from this very content
// (path with these bytes) and wherever one of all is a value on its own.
func shownSide(m *secrets.Masker, path string, content []byte, outs []lint.Outcome, all []string) []byte {
	var spans []secrets.Span
	for _, o := range outs {
		if o.Project != nil && slices.ContainsFunc(o.Project.AllFiles(), func(f *project.File) bool {
			return f.Path == path && bytes.Equal(f.Content, content)
		}) {
			spans = append(spans, findingSpans(o.Findings, path)...)
		}
	}
	spans = append(spans, valueSpans(content, all)...)
	return []byte(m.MaskSpans(string(content), spans))
}
