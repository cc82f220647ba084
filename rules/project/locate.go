package project

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Loc is where a model path was written: the file, the mapping key (nil for
// a sequence item) and the value node. Depth is how many path segments
// matched; a partial match points at the deepest node that exists.
type Loc struct {
	File  *File
	Key   *yaml.Node
	Node  *yaml.Node
	Depth int
}

// Line and Column are where a finding for this location starts: the key of
// a mapping entry, or the item itself in a sequence.
func (l Loc) Line() int {
	if l.Key != nil {
		return l.Key.Line
	}
	if l.Node != nil {
		return l.Node.Line
	}
	return 0
}

// Column is the 1-based character column of Line's node.
func (l Loc) Column() int {
	if l.Key != nil {
		return l.Key.Column
	}
	if l.Node != nil {
		return l.Node.Column
	}
	return 0
}

// maxExtends bounds how far the locator follows extends chains; compose-go
// rejects cycles, this only keeps a broken file from looping.
const maxExtends = 16

// Locate maps a model path (e.g. "services", "db", "environment",
// "POSTGRES_PASSWORD") to the node that produced it: later -f files win
// over earlier ones, then included files, then extends bases, following
// aliases and `<<` merge keys. In a sequence a segment selects the item
// whose key matches it: the variable name of a `KEY=value` item, the
// target of a volume, or the scalar itself.
func (p *Project) Locate(segs ...string) Loc {
	return p.locate(p.Files, segs, 0, map[*File]bool{})
}

func (p *Project) locate(files []*File, segs []string, depth int, seen map[*File]bool) Loc {
	var best Loc
	better := func(l Loc) bool {
		if l.Node != nil && (best.Node == nil || l.Depth > best.Depth) {
			best = l
		}
		return l.Depth == len(segs)
	}
	for i := len(files) - 1; i >= 0; i-- {
		if better(lookupFile(files[i], segs)) {
			return best
		}
	}
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if seen[f] || len(f.Includes) == 0 {
			continue
		}
		seen[f] = true
		if better(p.locate(f.Includes, segs, depth, seen)) {
			return best
		}
	}
	if len(segs) > 2 && segs[0] == "services" && depth < maxExtends {
		for i := len(files) - 1; i >= 0; i-- {
			ref, ok := files[i].Extends[segs[1]]
			if !ok || ref.Missing || ref.Service == "" {
				continue
			}
			base := ref.File
			if base == nil {
				base = files[i]
			}
			rest := append([]string{"services", ref.Service}, segs[2:]...)
			l := p.locate([]*File{base}, rest, depth+1, seen)
			// A partial match inside the base counts only beyond the
			// service itself: the extending service is the better anchor.
			if l.Depth > 2 && better(l) {
				return best
			}
		}
	}
	return best
}

// lookupFile walks segs through every document of f.
func lookupFile(f *File, segs []string) Loc {
	if f.servicesKey != "" && len(segs) > 0 && segs[0] == "services" {
		segs = append([]string{f.servicesKey}, segs[1:]...)
	}
	var best Loc
	for _, doc := range f.Docs {
		if len(doc.Content) == 0 {
			continue
		}
		l := walk(doc.Content[0], segs)
		l.File = f
		if l.Node != nil && (best.Node == nil || l.Depth >= best.Depth) {
			best = l
		}
	}
	return best
}

func walk(n *yaml.Node, segs []string) Loc {
	loc := Loc{Node: n}
	parent := ""
	for i, seg := range segs {
		n = resolve(n)
		var key, val *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			key, val = mapEntry(n, seg, 0)
		case yaml.SequenceNode:
			val = seqItem(n, parent, seg)
		}
		if val == nil {
			return loc
		}
		loc = Loc{Key: key, Node: val, Depth: i + 1}
		n, parent = val, seg
	}
	return loc
}

// mapEntry finds key in a mapping, then in the mappings merged into it with
// `<<` (YAML merge semantics: the mapping's own keys win, then merge sources
// in order).
func mapEntry(m *yaml.Node, key string, depth int) (*yaml.Node, *yaml.Node) {
	if depth > maxExtends {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value == key && k.Tag != "!!merge" {
			return k, m.Content[i+1]
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value != "<<" {
			continue
		}
		src := resolve(m.Content[i+1])
		sources := []*yaml.Node{src}
		if src.Kind == yaml.SequenceNode {
			sources = src.Content
		}
		for _, s := range sources {
			if s = resolve(s); s.Kind == yaml.MappingNode {
				if k, v := mapEntry(s, key, depth+1); v != nil {
					return k, v
				}
			}
		}
	}
	return nil, nil
}

// seqItem selects the item of a sequence that seg names; parent is the key
// the sequence sits under, which decides what an item's key is.
//
// In a KEY=value list that sets a key twice, compose keeps the last item
// (it builds a map in order): that is the one named, the live value.
func seqItem(seq *yaml.Node, parent, seg string) *yaml.Node {
	var found *yaml.Node
	for _, item := range seq.Content {
		if ItemKey(parent, resolve(item)) == seg {
			if !lastWins[parent] {
				return item
			}
			found = item
		}
	}
	return found
}

// lastWins are the KEY=value lists compose reads into a map.
var lastWins = map[string]bool{"environment": true, "args": true, "labels": true, "annotations": true}

// Repeats counts the items of the sequence at path (a KEY=value list)
// that set key: more than one, and compose uses the last.
func (p *Project) Repeats(key string, path ...string) int {
	loc := p.Locate(path...)
	if loc.Node == nil || loc.Depth != len(path) {
		return 0
	}
	seq := resolve(loc.Node)
	if seq.Kind != yaml.SequenceNode {
		return 0
	}
	n := 0
	for _, item := range seq.Content {
		if ItemKey(path[len(path)-1], resolve(item)) == key {
			n++
		}
	}
	return n
}

// ItemKey is the name a sequence item is addressed by in a model path:
// the variable of `KEY=value` (environment, args, labels), the target of a
// volume, the path of a tmpfs, the source of a secret, or the scalar.
func ItemKey(parent string, item *yaml.Node) string {
	switch item.Kind {
	case yaml.MappingNode:
		for _, k := range []string{"target", "source"} {
			if _, v := mapEntry(item, k, 0); v != nil {
				if k == "target" {
					return path.Clean(v.Value)
				}
				return v.Value
			}
		}
		return ""
	case yaml.ScalarNode:
		v := item.Value
		switch parent {
		case "volumes":
			return VolumeTarget(v)
		case "tmpfs":
			t, _, _ := strings.Cut(v, ":")
			return path.Clean(t)
		case "environment", "args", "labels", "annotations", "extra_hosts":
			k, _, _ := strings.Cut(v, "=")
			return k
		}
		return v
	}
	return ""
}

// VolumeTarget is the container path of a short-syntax volume string:
// the last colon-separated field that starts with a slash, ignoring colons
// in a Windows drive or in ${...}.
func VolumeTarget(spec string) string {
	fields := splitVolume(spec)
	switch len(fields) {
	case 0:
		return ""
	case 1:
		return path.Clean(fields[0])
	}
	return path.Clean(fields[1])
}

func splitVolume(spec string) []string {
	var fields []string
	depth, start := 0, 0
	for i := 0; i < len(spec); i++ {
		switch spec[i] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
			}
		case ':':
			if depth > 0 {
				continue
			}
			// C:\data or c:/data: a drive letter, not a separator.
			if i == start+1 && isLetter(spec[start]) && i+1 < len(spec) && (spec[i+1] == '\\' || spec[i+1] == '/') {
				continue
			}
			fields = append(fields, spec[start:i])
			start = i + 1
		}
	}
	return append(fields, spec[start:])
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// resolve follows aliases; nil stays nil.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxExtends; i++ {
		n = n.Alias
	}
	return n
}

// mapValue returns the value of key in mapping m (merge keys included).
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	_, v := mapEntry(m, key, 0)
	return v
}

// LocateIn is Locate limited to one file and its own nodes (no overrides,
// includes or extends): fixes use it to check that a node belongs to the
// service in the file they edit.
func (p *Project) LocateIn(f *File, segs ...string) Loc {
	return lookupFile(f, segs)
}
