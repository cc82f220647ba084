package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// LegacyEdits are the byte edits that turn a legacy v1 file into the
// compose file its view is: `services:` above the services, whose lines
// are indented one step more (comments and blank lines kept, block
// scalars unchanged since their indentation is relative), the renames of
// Legacy.service made in place, and the named volumes declared at the
// end. Every byte the edits do not mean to change is kept. A file whose
// layout they cannot carry (a top-level key among the services, a
// rewritten entry in a flow mapping) gets an error, and no fix.
func (f *File) LegacyEdits() ([]transform.Edit, error) {
	lg := f.Legacy
	if lg == nil {
		return nil, errors.New("not a legacy v1 file")
	}
	e := &legacyEditor{f: f, src: f.Source(), skip: map[int]bool{}, extra: map[int]int{}, before: map[int]string{}}
	return e.edits()
}

type legacyEditor struct {
	f     *File
	src   *transform.Source
	step  int
	eol   string
	out   []transform.Edit
	skip  map[int]bool // lines removed whole: no indent for them
	extra map[int]int  // lines indented by more steps (the body of log_opt)
	// before holds whole lines to insert before the line that starts at
	// an offset (a moved entry), joined with that line's indentation.
	before map[int]string
}

func (e *legacyEditor) edits() ([]transform.Edit, error) {
	lg, content := e.f.Legacy, e.f.Content
	e.eol = e.src.LineEnding()
	first, last := lg.Services[0], lg.Services[len(lg.Services)-1]
	start := e.lineStart(e.offset(first))
	_, end, err := transform.NodeExtent(e.src, lg.valueOf(last))
	if err != nil {
		return nil, err
	}
	for _, k := range lg.Kept {
		if off := e.offset(k); off > start && off < end {
			return nil, fmt.Errorf("top-level key %q stands among the services", k.Value)
		}
	}
	e.step = e.indentStep()
	names := map[string]bool{}
	for _, k := range lg.Services {
		names[k.Value] = true
	}
	for _, k := range lg.Services {
		if err := e.service(resolve(lg.valueOf(k)), names); err != nil {
			return nil, fmt.Errorf("service %q: %w", k.Value, err)
		}
	}
	for off := start; off < end; {
		next := e.nextLine(off)
		line, _ := e.src.Position(off)
		indent := ""
		if !e.skip[line] && strings.TrimSpace(string(content[off:next])) != "" {
			indent = strings.Repeat(" ", e.step*(1+e.extra[line]))
		}
		if off == start {
			indent = "services:" + e.eol + indent
		}
		indent = e.before[off] + indent
		delete(e.before, off)
		if indent != "" {
			e.add(off, off, indent)
		}
		off = next
	}
	for off, text := range e.before {
		e.add(off, off, text)
	}
	if len(lg.Volumes) > 0 {
		e.volumes()
	}
	return e.out, nil
}

// indentStep is the file's indentation: how far the first service's
// first key stands right of the service's name (2 when it cannot tell).
func (e *legacyEditor) indentStep() int {
	first := e.f.Legacy.Services[0]
	v := resolve(e.f.Legacy.valueOf(first))
	if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
		if d := v.Content[0].Column - first.Column; d > 0 && d <= 8 {
			return d
		}
	}
	return 2
}

func (e *legacyEditor) add(start, end int, text string) {
	e.out = append(e.out, transform.Edit{File: e.f.Abs, Start: start, End: end, New: text})
}

func (e *legacyEditor) offset(n *yaml.Node) int {
	off, err := e.src.NodeOffset(n)
	if err != nil {
		return 0
	}
	return off
}

func (e *legacyEditor) lineStart(off int) int {
	for off > 0 && e.f.Content[off-1] != '\n' && e.f.Content[off-1] != '\r' {
		off--
	}
	return off
}

// nextLine is the offset of the line after off's (len at the end).
func (e *legacyEditor) nextLine(off int) int {
	c := e.f.Content
	for off < len(c) && c[off] != '\n' && c[off] != '\r' {
		off++
	}
	if off < len(c) && c[off] == '\r' {
		off++
	}
	if off < len(c) && c[off] == '\n' {
		off++
	}
	return off
}

func (e *legacyEditor) extent(n *yaml.Node) (int, int, error) {
	return transform.NodeExtent(e.src, n)
}

// service makes the renames of one service in place.
func (e *legacyEditor) service(m *yaml.Node, names map[string]bool) error {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	flow := m.Style&yaml.FlowStyle != 0
	structural := mapValue(m, "log_driver") != nil || mapValue(m, "log_opt") != nil || mapValue(m, "volume_driver") != nil ||
		mapValue(m, "dockerfile") != nil && mapValue(m, "build") != nil
	if flow && structural {
		return errors.New("a flow mapping whose entries move")
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch k.Value {
		case "net":
			if err := e.replaceNode(k, "network_mode"); err != nil {
				return err
			}
			if c, ok := strings.CutPrefix(v.Value, "container:"); ok && v.Kind == yaml.ScalarNode && names[c] {
				if err := e.rewriteScalar(v, "container:", "service:"); err != nil {
					return err
				}
			}
		case "volumes_from":
			if seq := resolve(v); seq.Kind == yaml.SequenceNode && seq == v {
				for _, item := range seq.Content {
					if VolumesFromContainer(item, names) != "" {
						if err := e.rewriteScalar(item, "", "container:"); err != nil {
							return err
						}
					}
				}
			}
		case "build":
			if d := mapValue(m, "dockerfile"); d != nil && v.Kind == yaml.ScalarNode {
				if err := e.build(m, k, v, d); err != nil {
					return err
				}
			}
		case "volume_driver":
			if _, err := e.removeEntry(k, v, false); err != nil {
				return err
			}
		}
	}
	return e.logging(m)
}

// replaceNode replaces the whole text of a scalar (a key) with text.
func (e *legacyEditor) replaceNode(n *yaml.Node, text string) error {
	s, end, err := e.extent(n)
	if err != nil {
		return err
	}
	e.add(s, end, text)
	return nil
}

// rewriteScalar replaces the prefix old of a scalar's text with new, or
// inserts new at its start when old is "": inside the quotes of a quoted
// scalar, whose text must then spell the value as it is.
func (e *legacyEditor) rewriteScalar(n *yaml.Node, old, new string) error {
	s, end, err := e.extent(n)
	if err != nil {
		return err
	}
	raw := string(e.f.Content[s:end])
	body := s
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		body++
		raw = raw[1 : len(raw)-1]
	} else if n.Style != 0 {
		return fmt.Errorf("a block scalar at line %d", n.Line)
	}
	if !strings.HasPrefix(raw, old) || raw != n.Value {
		return fmt.Errorf("the text at line %d does not spell its value", n.Line)
	}
	e.add(body, body+len(old), new)
	return nil
}

// build turns `build: C` beside `dockerfile: D` into a build mapping of
// both, in block style, and removes the dockerfile entry.
func (e *legacyEditor) build(m, k, v, d *yaml.Node) error {
	if resolve(d).Kind != yaml.ScalarNode || d.Kind != yaml.ScalarNode {
		return errors.New("dockerfile is not a string")
	}
	_, kEnd, err := e.extent(k)
	if err != nil {
		return err
	}
	_, vEnd, err := e.extent(v)
	if err != nil {
		return err
	}
	ds, dEnd, err := e.extent(d)
	if err != nil {
		return err
	}
	vs, _, _ := e.extent(v)
	ind := strings.Repeat(" ", k.Column-1+2*e.step)
	e.add(kEnd, vEnd, ":"+e.eol+ind+"context: "+string(e.f.Content[vs:vEnd]))
	comment, err := e.removeEntry(keyOf(m, d), d, true)
	if err != nil {
		return err
	}
	e.insertLine(e.nextLine(vEnd), ind+"dockerfile: "+string(e.f.Content[ds:dEnd])+comment)
	return nil
}

// insertLine puts a whole line before the line that starts at off (after
// the last line when off is the end of the file).
func (e *legacyEditor) insertLine(off int, line string) {
	c := e.f.Content
	if off == len(c) && len(c) > 0 && c[len(c)-1] != '\n' && c[len(c)-1] != '\r' {
		line = e.eol + line
	}
	e.before[off] += line + e.eol
}

// logging turns log_driver: D and log_opt: O into logging: with driver
// and options under it, in block style: the first of the two keys
// becomes `logging:` with `driver: D` under it, log_opt becomes
// `options:` one step deeper with its body, and log_driver's entry is
// removed when it is not the first.
func (e *legacyEditor) logging(m *yaml.Node) error {
	dk, dv := mapEntry(m, "log_driver", 0)
	ok, ov := mapEntry(m, "log_opt", 0)
	if dv == nil && ov == nil {
		return nil
	}
	if dk != nil && !e.own(m, dk) || ok != nil && !e.own(m, ok) {
		return errors.New("log_driver or log_opt comes from a merge key")
	}
	head := dk
	if head == nil || ok != nil && e.offset(ok) < e.offset(dk) {
		head = ok
	}
	ind := strings.Repeat(" ", head.Column-1+2*e.step)
	var driver string
	if dv != nil {
		if dv.Kind != yaml.ScalarNode {
			return errors.New("log_driver is not a string")
		}
		s, end, err := e.extent(dv)
		if err != nil {
			return err
		}
		driver = string(e.f.Content[s:end])
	}
	if ok == nil {
		return e.replaceNode(dk, "logging:"+e.eol+ind+"driver")
	}
	text := "logging:" + e.eol
	if dv != nil {
		comment, err := e.removeEntry(dk, dv, true)
		if err != nil {
			return err
		}
		text += ind + "driver: " + driver + comment + e.eol
	}
	if err := e.replaceNode(ok, text+ind+"options"); err != nil {
		return err
	}
	// The body of a block log_opt moves one step deeper with its key.
	if ov.Kind == yaml.MappingNode && ov.Style&yaml.FlowStyle == 0 {
		_, end, err := e.extent(ov)
		if err != nil {
			return err
		}
		for off := e.nextLine(e.offset(ok)); off < end; off = e.nextLine(off) {
			line, _ := e.src.Position(off)
			e.extra[line]++
		}
	}
	return nil
}

// own reports whether k is one of m's own keys (not merged in).
func (e *legacyEditor) own(m, k *yaml.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return true
		}
	}
	return false
}

func keyOf(m, v *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i+1] == v {
			return m.Content[i]
		}
	}
	return nil
}

// removeEntry deletes a one-line `key: value` entry: its whole line when
// nothing else is on it, else the entry alone, so a comment after it
// stays (on a line of its own); with carry, the whole line goes and the
// comment (" # ...") is returned for the caller to put where the entry
// moves.
func (e *legacyEditor) removeEntry(k, v *yaml.Node, carry bool) (string, error) {
	if k == nil || v.Kind != yaml.ScalarNode || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return "", errors.New("an entry that is not one line")
	}
	ks, _, err := e.extent(k)
	if err != nil {
		return "", err
	}
	_, vEnd, err := e.extent(v)
	if err != nil {
		return "", err
	}
	start := e.lineStart(ks)
	kl, _ := e.src.Position(ks)
	vl, _ := e.src.Position(vEnd)
	if strings.TrimSpace(string(e.f.Content[start:ks])) != "" || kl != vl {
		return "", errors.New("an entry that shares its line or spans lines")
	}
	next := e.nextLine(vEnd)
	rest := strings.TrimSpace(string(e.f.Content[vEnd:next]))
	if !strings.HasPrefix(rest, "#") && rest != "" {
		return "", errors.New("text after an entry")
	}
	if rest == "" || carry {
		e.add(start, next, "")
		line, _ := e.src.Position(ks)
		e.skip[line] = true
		if rest == "" {
			return "", nil
		}
		return " " + rest, nil
	}
	j := vEnd
	for e.f.Content[j] == ' ' || e.f.Content[j] == '\t' {
		j++
	}
	e.add(ks, j, "")
	return "", nil
}

// plainName is a volume or driver name YAML reads as itself, unquoted.
var plainName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// yamlString writes s as a YAML scalar that reads back as the string s.
func yamlString(s string) string {
	var probe string
	if plainName.MatchString(s) && yaml.Unmarshal([]byte(s), &probe) == nil && probe == s {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// volumes appends the declaration of the named volumes v1 created on the
// fly: each keeps the name v1 gave it (no project prefix), so the data
// already in it is used, and it is still created where it does not exist.
func (e *legacyEditor) volumes() {
	lg, c := e.f.Legacy, e.f.Content
	var b strings.Builder
	if len(c) > 0 && c[len(c)-1] != '\n' && c[len(c)-1] != '\r' {
		b.WriteString(e.eol)
	}
	ind := strings.Repeat(" ", e.step)
	b.WriteString("volumes:" + e.eol)
	for _, name := range lg.Volumes {
		b.WriteString(ind + yamlString(name) + ":" + e.eol)
		b.WriteString(ind + ind + "name: " + yamlString(name) + e.eol)
		if d := lg.Drivers[name]; d != "" {
			b.WriteString(ind + ind + "driver: " + yamlString(d) + e.eol)
		}
	}
	e.add(len(c), len(c), b.String())
}
