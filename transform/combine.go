package transform

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Combine is Merge for the fixer: a group that Merge drops only because
// it inserts at an offset where an accepted group inserts too (two fixes
// that each add a service's `secrets:` key, or each create the top-level
// `volumes:` section at the end of the file) is combined with the
// accepted edits instead of waiting for another lint pass.
//
// A combination is accepted only when it means exactly what applying each
// group alone means: the parse of the combined result must equal the
// three-way merge (merge3) of the original tree, the tree of the groups
// accepted so far and the tree of the new group alone. Anything else (a
// text merge that reads differently, two groups changing one value, a
// result that does not parse) leaves the group dropped, as Merge would.
func Combine(src []byte, groups [][]Edit) (merged []Edit, applied []int, dropped []int) {
	merged, applied, dropped = Merge(groups)
	if len(dropped) == 0 {
		return merged, applied, dropped
	}
	base, err := parseAll(src)
	if err != nil {
		return merged, applied, dropped
	}
	out, err := Apply(src, merged)
	if err != nil {
		return merged, applied, dropped
	}
	cur, err := parseAll(out)
	if err != nil || len(cur) != len(base) {
		return merged, applied, dropped
	}
	c := &combiner{src: src, base: base, alone: map[int][]*yaml.Node{}}
	// Usually every dropped group combines: check them all with one
	// parse of the result, and one group at a time only when that fails.
	if next, ok := c.join(merged, cur, groups, dropped); ok {
		applied = append(applied, dropped...)
		slices.Sort(applied)
		return next, applied, nil
	}
	var left []int
	for _, i := range dropped {
		next, ok := c.join(merged, cur, groups, []int{i})
		if !ok {
			left = append(left, i)
			continue
		}
		merged, cur = next, c.got
		applied = append(applied, i)
	}
	slices.Sort(applied)
	return merged, applied, left
}

// combiner holds what Combine computes once per file: the original tree
// and each group's result alone.
type combiner struct {
	src   []byte
	base  []*yaml.Node
	alone map[int][]*yaml.Node
	got   []*yaml.Node // the parse of the last join's result
}

// join joins the groups idx into merged, whose result parses to cur, and
// checks the result: its parse must equal the three-way merges of cur with
// each group's result alone.
func (c *combiner) join(merged []Edit, cur []*yaml.Node, groups [][]Edit, idx []int) ([]Edit, bool) {
	next := slices.Clone(merged)
	want := cur
	for _, i := range idx {
		own, ok := normalizeGroup(groups[i])
		if !ok {
			return nil, false
		}
		if next, ok = joinGroup(next, own); !ok {
			return nil, false
		}
		alone, ok := c.aloneTree(i, own)
		if !ok {
			return nil, false
		}
		merged := make([]*yaml.Node, len(want))
		for d := range want {
			if merged[d], ok = merge3(c.base[d], want[d], alone[d]); !ok {
				return nil, false
			}
		}
		want = merged
	}
	next, err := Normalize(len(c.src), next)
	if err != nil {
		return nil, false
	}
	out, err := Apply(c.src, next)
	if err != nil {
		return nil, false
	}
	got, err := parseAll(out)
	if err != nil || len(got) != len(want) {
		return nil, false
	}
	for d := range want {
		if diffPath(want[d], got[d]) != nil {
			return nil, false
		}
	}
	c.got = got
	return next, true
}

// aloneTree is the parse of the file with group i (own: its normalized
// edits) applied alone.
func (c *combiner) aloneTree(i int, own []Edit) ([]*yaml.Node, bool) {
	if t, ok := c.alone[i]; ok {
		return t, t != nil
	}
	var t []*yaml.Node
	if out, err := Apply(c.src, own); err == nil {
		if t, err = parseAll(out); err != nil || len(t) != len(c.base) {
			t = nil
		}
	}
	c.alone[i] = t
	return t, t != nil
}

// joinGroup adds the edits of one group to next: an insertion at an
// offset where next inserts too is merged with it (mergeInserts); any
// other overlap is left to Normalize to refuse.
func joinGroup(next, own []Edit) ([]Edit, bool) {
	next = slices.Clone(next)
	for _, e := range own {
		if e.Start != e.End {
			next = append(next, e)
			continue
		}
		j := slices.IndexFunc(next, func(m Edit) bool { return m.Start == e.Start && m.End == e.Start })
		if j < 0 {
			next = append(next, e)
			continue
		}
		text, ok := mergeInserts(next[j].New, e.New)
		if !ok {
			return nil, false
		}
		next[j].New = text
	}
	return next, true
}

// mergeInserts merges two texts inserted at one offset. Text that
// continues the current line goes before text that starts new lines; two
// texts of new lines are merged as indentation trees (mergeLines).
func mergeInserts(a, b string) (string, bool) {
	if a == b {
		return a, true
	}
	ea, eb := leadingBreak(a), leadingBreak(b)
	switch {
	case ea == "" && eb == "":
		return a + b, true
	case ea == "":
		return a + b, true
	case eb == "":
		return b + a, true
	case ea != eb:
		return "", false
	}
	return mergeLines(a, b, ea), true
}

func leadingBreak(s string) string {
	switch {
	case strings.HasPrefix(s, "\r\n"):
		return "\r\n"
	case strings.HasPrefix(s, "\n"):
		return "\n"
	}
	return ""
}

// block is one line of inserted text with the lines indented under it
// and the blank lines before it.
type block struct {
	blank    []string
	line     string
	indent   int
	children []*block
}

// mergeLines merges two texts that each start with a line break: a line
// of b that a has at the same place (same text, same indentation, and a
// key with lines under it, like "volumes:") is written once with the
// lines under both; a subtree of b that a already has is dropped; any
// other line of b goes after a's lines of the same or deeper indentation
// and before a's shallower ones (the innermost collection's lines first,
// as in Join).
func mergeLines(a, b, eol string) string {
	ta, tb := parseBlocks(a, eol), parseBlocks(b, eol)
	merged := mergeBlocks(ta, tb)
	var out strings.Builder
	writeBlocks(&out, merged, eol)
	return out.String()
}

func parseBlocks(text, eol string) []*block {
	var roots []*block
	var stack []*block
	var blank []string
	for _, line := range strings.Split(text, eol)[1:] {
		if strings.TrimSpace(line) == "" {
			blank = append(blank, line)
			continue
		}
		b := &block{blank: blank, line: line, indent: len(line) - len(strings.TrimLeft(line, " "))}
		blank = nil
		for len(stack) > 0 && stack[len(stack)-1].indent >= b.indent {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, b)
		} else {
			p := stack[len(stack)-1]
			p.children = append(p.children, b)
		}
		stack = append(stack, b)
	}
	if len(blank) > 0 {
		// Trailing blank lines: kept as a last, empty block.
		roots = append(roots, &block{blank: blank, indent: -1})
	}
	return roots
}

func mergeBlocks(a, b []*block) []*block {
	out := slices.Clone(a)
	for _, nb := range b {
		if slices.ContainsFunc(out, func(x *block) bool { return sameBlock(x, nb) }) {
			continue
		}
		if j := slices.IndexFunc(out, func(x *block) bool {
			return x.indent == nb.indent && x.line == nb.line && len(x.children) > 0 && len(nb.children) > 0 && isKeyLine(x.line)
		}); j >= 0 {
			c := *out[j]
			c.children = mergeBlocks(out[j].children, nb.children)
			out[j] = &c
			continue
		}
		at := slices.IndexFunc(out, func(x *block) bool { return x.indent < nb.indent && x.indent >= 0 })
		if at < 0 {
			at = len(out)
			if at > 0 && out[at-1].indent < 0 { // before trailing blank lines
				at--
			}
		}
		out = slices.Insert(out, at, nb)
	}
	return out
}

// isKeyLine reports whether a line is "key:" with its value on the lines
// under it (not a sequence item).
func isKeyLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasSuffix(t, ":") && !strings.HasPrefix(t, "-")
}

func sameBlock(x, y *block) bool {
	if x.line != y.line || x.indent != y.indent || len(x.children) != len(y.children) {
		return false
	}
	for i := range x.children {
		if !sameBlock(x.children[i], y.children[i]) {
			return false
		}
	}
	return true
}

func writeBlocks(out *strings.Builder, bs []*block, eol string) {
	for _, b := range bs {
		for _, l := range b.blank {
			out.WriteString(eol + l)
		}
		if b.indent < 0 {
			continue
		}
		out.WriteString(eol + b.line)
		writeBlocks(out, b.children, eol)
	}
}

// merge3 is the three-way merge of two changed versions x and y of the
// tree o: what applying both changes means. A mapping keeps o's keys in
// x's order with merged values, then the keys x added, then those y
// added (a key both add must get equal values); a sequence keeps o's
// items merged and appends x's new items, then y's; a node only one side
// changed takes that side. ok is false when both change one node in ways
// this cannot merge (two values for one scalar, a key one side removes
// and the other changes, a sequence one side shortens).
func merge3(o, x, y *yaml.Node) (*yaml.Node, bool) {
	switch {
	case diffPath(o, x) == nil:
		return y, true
	case diffPath(o, y) == nil || diffPath(x, y) == nil:
		return x, true
	}
	if o.Kind != x.Kind || o.Kind != y.Kind || o.Anchor != x.Anchor || o.Anchor != y.Anchor ||
		o.ShortTag() != x.ShortTag() || o.ShortTag() != y.ShortTag() {
		return nil, false
	}
	switch o.Kind {
	case yaml.DocumentNode:
		if len(o.Content) != 1 || len(x.Content) != 1 || len(y.Content) != 1 {
			return nil, false
		}
		c, ok := merge3(o.Content[0], x.Content[0], y.Content[0])
		if !ok {
			return nil, false
		}
		n := *o
		n.Content = []*yaml.Node{c}
		return &n, true
	case yaml.SequenceNode:
		return mergeSeq3(o, x, y)
	case yaml.MappingNode:
		return mergeMap3(o, x, y)
	}
	return nil, false
}

func mergeSeq3(o, x, y *yaml.Node) (*yaml.Node, bool) {
	k := len(o.Content)
	if len(x.Content) < k || len(y.Content) < k {
		return nil, false
	}
	n := *o
	n.Content = make([]*yaml.Node, 0, len(x.Content)+len(y.Content)-k)
	for i := range k {
		c, ok := merge3(o.Content[i], x.Content[i], y.Content[i])
		if !ok {
			return nil, false
		}
		n.Content = append(n.Content, c)
	}
	n.Content = append(n.Content, x.Content[k:]...)
	n.Content = append(n.Content, y.Content[k:]...)
	return &n, true
}

func mergeMap3(o, x, y *yaml.Node) (*yaml.Node, bool) {
	ov, xv, yv := pairs(o), pairs(x), pairs(y)
	if ov == nil || xv == nil || yv == nil {
		return nil, false
	}
	// x's entries in x's order, merged with y's changes; the keys y
	// removed dropped.
	var keys []*yaml.Node
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(x.Content); i += 2 {
		key, xval := x.Content[i], x.Content[i+1]
		oval, inO := ov[key.Value]
		yval, inY := yv[key.Value]
		switch {
		case inO && inY:
			c, ok := merge3(oval, xval, yval)
			if !ok {
				return nil, false
			}
			xval = c
		case inO: // y removed it: x must not have changed it
			if diffPath(oval, xval) != nil {
				return nil, false
			}
			continue
		case inY: // both added it: equal, or two collections to join
			c, ok := mergeAdded(xval, yval)
			if !ok {
				return nil, false
			}
			xval = c
		}
		keys = append(keys, key)
		vals[key.Value] = xval
	}
	// y's new keys go where y put them: after the key before them in y
	// (and after what x added right after that key, as the texts inserted
	// at one offset are written x first), or first.
	var prev *yaml.Node // the key before, in y's order, that the result has
	for i := 0; i+1 < len(y.Content); i += 2 {
		key, yval := y.Content[i], y.Content[i+1]
		oval, inO := ov[key.Value]
		_, inX := xv[key.Value]
		switch {
		case inX:
		case inO: // x removed it: y must not have changed it
			if diffPath(oval, yval) != nil {
				return nil, false
			}
		default:
			at := 0
			if prev != nil {
				at = slices.IndexFunc(keys, func(k *yaml.Node) bool { return k.Value == prev.Value }) + 1
			}
			for at < len(keys) && ov[keys[at].Value] == nil && yv[keys[at].Value] == nil {
				at++ // added by x
			}
			keys = slices.Insert(keys, at, key)
			vals[key.Value] = yval
		}
		if _, kept := vals[key.Value]; kept {
			prev = key
		}
	}
	n := *o
	n.Content = make([]*yaml.Node, 0, 2*len(keys))
	for _, k := range keys {
		n.Content = append(n.Content, k, vals[k.Value])
	}
	return &n, true
}

// mergeAdded merges two values both sides added under one key: equal
// values are one value; two mappings or two sequences (two fixes that
// each create a section) merge as changes of an empty one.
func mergeAdded(x, y *yaml.Node) (*yaml.Node, bool) {
	if diffPath(x, y) == nil {
		return x, true
	}
	if x.Kind != y.Kind || (x.Kind != yaml.MappingNode && x.Kind != yaml.SequenceNode) ||
		x.ShortTag() != y.ShortTag() || x.Anchor != "" || y.Anchor != "" {
		return nil, false
	}
	empty := &yaml.Node{Kind: x.Kind, Tag: x.Tag}
	return merge3(empty, x, y)
}

// pairs indexes a mapping's values by key; nil when a key is not a plain
// scalar or appears twice (merge keys, complex keys: not merged).
func pairs(m *yaml.Node) map[string]*yaml.Node {
	out := make(map[string]*yaml.Node, len(m.Content)/2)
	for k, val := range Pairs(m) {
		if k.Kind != yaml.ScalarNode || k.Value == "<<" {
			return nil
		}
		if _, dup := out[k.Value]; dup {
			return nil
		}
		out[k.Value] = val
	}
	return out
}
