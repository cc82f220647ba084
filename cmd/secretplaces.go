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

// secretSet is a list of secrets as valueSpans sorts them, built once for
// the many files of a diff or a report: the whole set, the weak and the
// strong ones (in the order of the list), and an index by their first
// bytes that tells which of them a text holds in one pass over it.
type secretSet struct {
	set           map[string]bool
	weak, strongs []string
	all           []string // weak, then strongs
	// by2 and by1 index weak and strongs (weak first) by their first two
	// bytes, or their one byte; multi holds the strong secrets of several
	// lines, searched line by line, always.
	by2   map[[2]byte][]int
	by1   map[byte][]int
	multi []int
}

func newSecretSet(list []string) *secretSet {
	ss := &secretSet{set: map[string]bool{}, by2: map[[2]byte][]int{}, by1: map[byte][]int{}}
	for _, s := range list {
		if s == "" || ss.set[s] {
			continue
		}
		ss.set[s] = true
		if strong(s) {
			ss.strongs = append(ss.strongs, s)
		} else {
			ss.weak = append(ss.weak, s)
		}
	}
	ss.all = slices.Concat(ss.weak, ss.strongs)
	for i, s := range ss.all {
		switch {
		case i >= len(ss.weak) && strings.Contains(s, "\n"):
			ss.multi = append(ss.multi, i)
		case len(s) == 1:
			ss.by1[s[0]] = append(ss.by1[s[0]], i)
		default:
			k := [2]byte{s[0], s[1]}
			ss.by2[k] = append(ss.by2[k], i)
		}
	}
	return ss
}

// in are the weak and the strong secrets that occur in text (a strong
// one of several lines always counts), each list in its order: the
// others have no place in it, so looking for them is skipped.
func (ss *secretSet) in(text string) (weak, strongs []string) {
	present := make([]bool, len(ss.all))
	for _, i := range ss.multi {
		present[i] = true
	}
	all := ss.all
	for i := 0; i < len(text); i++ {
		for _, j := range ss.by1[text[i]] {
			present[j] = true
		}
		if i+1 < len(text) {
			for _, j := range ss.by2[[2]byte{text[i], text[i+1]}] {
				if !present[j] && strings.HasPrefix(text[i:], all[j]) {
					present[j] = true
				}
			}
		}
	}
	for j, s := range all {
		switch {
		case !present[j]:
		case j < len(ss.weak):
			weak = append(weak, s)
		default:
			strongs = append(strongs, s)
		}
	}
	return weak, strongs
}

// valueSpans are the places in content where one of the set's secrets stands
// outside a finding's place:
//   - as a value on its own: a YAML scalar that is not a key, whose value
//     or source text is the secret; the value of a KEY=value scalar (an
//     environment list item); the value of a KEY=value line (an env file,
//     or a line of a script in a block scalar);
//   - a weak secret (a word: "postgres", "secret", "---") also as a token
//     inside a value (`psql -W postgres`, `--password=secret`), not where
//     it is part of a name (`image: postgres:16`, `/var/lib/postgresql`);
//   - a strong secret (strong) wherever it occurs but in a key: no name,
//     image or path has its text by chance, and a script or comment that
//     repeats it must not show it.
func (ss *secretSet) valueSpans(content []byte) []secrets.Span {
	if len(ss.set) == 0 {
		return nil
	}
	set := ss.set
	weak, strongs := ss.in(string(content))
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
	var keys [][2]int // the source ranges of mapping keys, where a strong secret may be
	if len(docs) > 0 {
		src := transform.NewParsedSource("", content, docs)
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			switch n.Kind {
			case yaml.DocumentNode, yaml.SequenceNode:
				for _, c := range n.Content {
					walk(c)
				}
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if len(strongs) > 0 {
						if start, end, err := transform.NodeExtent(src, n.Content[i]); err == nil {
							keys = append(keys, [2]int{start, end})
						}
					}
					walk(n.Content[i+1]) // values only: a key is a name
				}
			case yaml.ScalarNode:
				out = append(out, scalarSpans(src, n, set, weak)...)
			}
		}
		for _, d := range docs {
			walk(d)
		}
	}
	return append(out, strongSpans(string(content), strongs, keys)...)
}

// strong reports a secret whose text no name has by chance: eight bytes
// or more of two kinds (lower case, upper case, digits, others), or
// several lines (a private key).
func strong(s string) bool {
	if strings.Contains(strings.TrimSpace(s), "\n") {
		return true
	}
	var kinds [4]bool
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			kinds[0] = true
		case c >= 'A' && c <= 'Z':
			kinds[1] = true
		case c >= '0' && c <= '9':
			kinds[2] = true
		default:
			kinds[3] = true
		}
	}
	n := 0
	for _, k := range kinds {
		if k {
			n++
		}
	}
	return len(s) >= 8 && n >= 2
}

// strongSpans are the occurrences of the strong secrets in text outside
// keys; a secret of several lines line by line (a diff or a file shows it
// indented), each line of four bytes or more.
func strongSpans(text string, strongs []string, keys [][2]int) []secrets.Span {
	var out []secrets.Span
	inKey := func(start, end int) bool {
		for _, k := range keys {
			if start < k[1] && end > k[0] {
				return true
			}
		}
		return false
	}
	find := func(needle, whole string, part bool) {
		for off := 0; ; {
			i := strings.Index(text[off:], needle)
			if i < 0 {
				return
			}
			start, end := off+i, off+i+len(needle)
			if !inKey(start, end) {
				out = append(out, secrets.Span{Start: start, End: end, Whole: whole, Part: part})
			}
			off = end
		}
	}
	for _, s := range strongs {
		if !strings.Contains(s, "\n") {
			find(s, s, false)
			continue
		}
		// Line by line only: a block scalar's header and indentation
		// (in the source form of one) stay.
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); len(line) >= 4 {
				find(line, s, true)
			}
		}
	}
	return out
}

// scalarSpans are the places of a secret in scalar n, if it holds one as
// a value on its own.
func scalarSpans(src *transform.Source, n *yaml.Node, set map[string]bool, weak []string) []secrets.Span {
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
		return tokenSpans(raw, start, weak)
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

// tokenSpans are the occurrences of the weak secrets in a scalar's text
// raw (at offset start) that stand as a token: between blanks, quotes,
// "=", ",", ";" or brackets, or at an end. One that a name goes on from
// (":", "/", ".", "-", "_", "@", a letter or digit) is part of the name.
func tokenSpans(raw string, start int, weak []string) []secrets.Span {
	var out []secrets.Span
	for _, w := range weak {
		for off := 0; ; {
			i := strings.Index(raw[off:], w)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(w)
			if (s == 0 || strings.IndexByte(tokenEdge, raw[s-1]) >= 0) && (e == len(raw) || strings.IndexByte(tokenEdge, raw[e]) >= 0) {
				out = append(out, secrets.Span{Start: start + s, End: start + e, Whole: w})
			}
			off = s + 1
		}
	}
	return out
}

const tokenEdge = " \t\r\n\"'=,;()[]{}"

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

// outcomesByFile lists, per file path, the outcomes of the projects that
// read it: a diff of hundreds of files looks each one up once.
func outcomesByFile(outs []lint.Outcome) map[string][]lint.Outcome {
	by := map[string][]lint.Outcome{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		seen := map[string]bool{}
		for _, f := range o.Project.AllFiles() {
			if !seen[f.Path] {
				seen[f.Path] = true
				by[f.Path] = append(by[f.Path], o)
			}
		}
	}
	return by
}

// shownSide is content as a diff shows it: masked where the secrets
// stand, at the places of the findings outs made from this very content
// (path with these bytes) and wherever one of all is a value on its own.
func shownSide(m *secrets.Masker, path string, content []byte, outs []lint.Outcome, all *secretSet) []byte {
	var spans []secrets.Span
	for _, o := range outs {
		if o.Project != nil && slices.ContainsFunc(o.Project.AllFiles(), func(f *project.File) bool {
			return f.Path == path && bytes.Equal(f.Content, content)
		}) {
			spans = append(spans, findingSpans(o.Findings, path)...)
		}
	}
	spans = append(spans, all.valueSpans(content)...)
	return []byte(m.MaskSpans(string(content), spans))
}
