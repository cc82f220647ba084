package transform

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// fileStyles are the indentation steps and sequence offsets seen in a
// whole tree, cached per tree on the Source.
type fileStyles struct {
	steps, seqs []int
}

// layout is the indentation style new lines follow.
type layout struct {
	step      int // spaces per nested mapping level
	seqOffset int // dash column minus key column for a sequence under a key (0: indentless)
}

// layoutFor infers the style for text inserted into target (a mapping or
// sequence of the tree; nil for the file's style). The mapping's own
// nesting wins over the file's most common style, which wins over the
// default (2 spaces, indented sequences).
func (s *Source) layoutFor(t *tree, target *yaml.Node) layout {
	var steps, seqs []int
	var localStep, localSeq []int
	keyCol := func(n *yaml.Node) int {
		off, err := s.NodeOffset(n)
		if err != nil {
			return -1
		}
		return s.column(off)
	}
	visit := func(m *yaml.Node) (st, sq []int) {
		if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
			return nil, nil
		}
		for k, v := range Pairs(m) {
			kc := keyCol(k)
			if kc < 0 || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
				continue
			}
			switch v.Kind {
			case yaml.MappingNode:
				if vc := keyCol(v.Content[0]); vc > kc && s.lineOf(mustOffset(s, v.Content[0])) > s.lineOf(mustOffset(s, k)) {
					st = append(st, vc-kc)
				}
			case yaml.SequenceNode:
				if d, err := s.dashOffset(v); err == nil && s.lineOf(d) > s.lineOf(mustOffset(s, k)) {
					if dc := s.column(d); dc >= kc {
						sq = append(sq, dc-kc)
					}
				}
			}
		}
		return st, sq
	}
	// The whole-file walk depends only on the tree: once per tree, or
	// every fix in a large file would walk it again (quadratic).
	if c, ok := s.styles[t]; ok {
		steps, seqs = c.steps, c.seqs
	} else {
		seen := map[*yaml.Node]bool{}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if seen[n] {
				return
			}
			seen[n] = true
			st, sq := visit(n)
			steps = append(steps, st...)
			seqs = append(seqs, sq...)
			for _, c := range n.Content {
				walk(c)
			}
		}
		for _, d := range t.docs {
			walk(d)
		}
		if s.styles == nil {
			s.styles = map[*tree]fileStyles{}
		}
		s.styles[t] = fileStyles{steps: steps, seqs: seqs}
	}
	if target != nil {
		localStep, localSeq = visit(target)
		// The target's own indentation relative to its parent key.
		if p := t.parent[target]; p != nil && p.Kind == yaml.MappingNode && target.Kind == yaml.MappingNode &&
			target.Style&yaml.FlowStyle == 0 && len(target.Content) > 0 {
			for i := 1; i < len(p.Content); i += 2 {
				if p.Content[i] == target {
					if d := keyCol(target.Content[0]) - keyCol(p.Content[i-1]); d > 0 {
						localStep = append([]int{d}, localStep...)
					}
				}
			}
		}
	}
	lay := layout{step: 2}
	if v, ok := mostCommon(localStep); ok {
		lay.step = v
	} else if v, ok := mostCommon(steps); ok {
		lay.step = v
	}
	lay.seqOffset = lay.step
	if v, ok := mostCommon(localSeq); ok {
		lay.seqOffset = v
	} else if v, ok := mostCommon(seqs); ok {
		lay.seqOffset = v
	}
	return lay
}

func mustOffset(s *Source, n *yaml.Node) int {
	off, _ := s.NodeOffset(n)
	return off
}

// mostCommon returns the most frequent value, the earliest on ties.
func mostCommon(vs []int) (int, bool) {
	count := map[int]int{}
	best, bestN := 0, 0
	for _, v := range vs {
		count[v]++
	}
	for _, v := range vs {
		if count[v] > bestN {
			best, bestN = v, count[v]
		}
	}
	return best, bestN > 0
}

// lineNode is one node starting on a line of block YAML text.
type lineNode struct {
	col         int
	kind        byte // 'k' mapping key, '-' sequence entry, 's' scalar or flow value
	emptyValue  bool // a key or dash with nothing (but props or a comment) after it
	blockHeader bool // the value is a block scalar header (| or >)
}

// analyzeLine splits the start of a line into its nodes: "- - key: |"
// gives two dashes and a key with a block scalar value.
func analyzeLine(line string) (indent int, nodes []lineNode) {
	for indent < len(line) && line[indent] == ' ' {
		indent++
	}
	i := indent
	for i < len(line) {
		c := line[i]
		if c == '#' {
			return indent, nodes
		}
		if c == '-' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
			rest := strings.TrimLeft(line[i+1:], " \t")
			nodes = append(nodes, lineNode{col: i, kind: '-', emptyValue: valueIsEmpty(rest), blockHeader: isBlockHeader(rest)})
			i = len(line) - len(rest)
			if nodes[len(nodes)-1].blockHeader {
				return indent, nodes
			}
			continue
		}
		if j, ok := keyEnd(line, i); ok {
			rest := strings.TrimLeft(line[j+1:], " \t")
			nodes = append(nodes, lineNode{col: i, kind: 'k', emptyValue: valueIsEmpty(rest), blockHeader: isBlockHeader(rest)})
			return indent, nodes
		}
		nodes = append(nodes, lineNode{col: i, kind: 's', blockHeader: isBlockHeader(line[i:])})
		return indent, nodes
	}
	return indent, nodes
}

// keyEnd finds the ':' ending an implicit key that starts at i.
func keyEnd(line string, i int) (int, bool) {
	if i >= len(line) || strings.IndexByte("[{&*!|>%@`", line[i]) >= 0 {
		return 0, false
	}
	j := i
	if q := line[i]; q == '"' || q == '\'' {
		j++
		for j < len(line) {
			if q == '"' && line[j] == '\\' {
				j += 2
				continue
			}
			if line[j] == q {
				if q == '\'' && j+1 < len(line) && line[j+1] == '\'' {
					j += 2
					continue
				}
				break
			}
			j++
		}
		j++
		for j < len(line) && line[j] == ' ' {
			j++
		}
		if j < len(line) && line[j] == ':' && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
			return j, true
		}
		return 0, false
	}
	for ; j < len(line); j++ {
		if line[j] == '#' && j > i && (line[j-1] == ' ' || line[j-1] == '\t') {
			return 0, false
		}
		if line[j] == ':' && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
			return j, true
		}
	}
	return 0, false
}

// valueIsEmpty reports whether the text after a key or dash holds only
// properties and a comment, so that the value follows on the next lines.
func valueIsEmpty(rest string) bool {
	for rest != "" {
		switch rest[0] {
		case '#':
			return true
		case '&', '!':
			k := strings.IndexAny(rest, " \t")
			if k < 0 {
				return true
			}
			rest = strings.TrimLeft(rest[k:], " \t")
		default:
			return false
		}
	}
	return true
}

func isBlockHeader(rest string) bool {
	for rest != "" && (rest[0] == '&' || rest[0] == '!') {
		k := strings.IndexAny(rest, " \t")
		if k < 0 {
			return false
		}
		rest = strings.TrimLeft(rest[k:], " \t")
	}
	if rest == "" || (rest[0] != '|' && rest[0] != '>') {
		return false
	}
	i := 1
	for i < len(rest) && strings.IndexByte("+-123456789", rest[i]) >= 0 {
		i++
	}
	tail := strings.TrimLeft(rest[i:], " \t")
	return tail == "" || (tail[0] == '#' && i < len(rest) && (rest[i] == ' ' || rest[i] == '\t'))
}

// reindent re-indents block YAML text so that its top level sits at column
// base (0-based, in spaces) and nested levels follow lay: a mapping nested
// under a key moves by lay.step, a sequence under a key by lay.seqOffset,
// block scalar bodies move with their owner, and every other relative
// indentation is kept. The text may use any indentation itself. Lines are
// returned without line breaks; blank lines are returned empty.
func reindent(text string, base int, lay layout) ([]string, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	type frame struct {
		old, new    int
		kind        byte
		emptyValue  bool
		hasSeqChild bool
	}
	var st []frame
	out := make([]string, len(lines))
	rootOld := -1
	inBlock := false
	var blockOld, blockNew int
	for li, line := range lines {
		if lead := line[:len(line)-len(strings.TrimLeft(line, " \t"))]; strings.Contains(lead, "\t") && strings.TrimSpace(line) != "" {
			return nil, unsupported("tab in the indentation of inserted text")
		}
		ind, nodes := analyzeLine(line)
		blank := strings.TrimSpace(line) == ""
		if inBlock {
			if blank || ind > blockOld {
				if blank && ind <= blockOld {
					out[li] = ""
				} else {
					out[li] = strings.Repeat(" ", ind+blockNew-blockOld) + line[ind:]
				}
				continue
			}
			inBlock = false
		}
		if blank {
			out[li] = ""
			continue
		}
		if len(nodes) == 0 { // comment line: keep its offset to the enclosing node
			newCol := base
			for k := len(st) - 1; k >= 0; k-- {
				if st[k].old <= ind {
					newCol = st[k].new + ind - st[k].old
					break
				}
			}
			if len(st) == 0 && rootOld >= 0 {
				newCol = base + ind - rootOld
			}
			out[li] = strings.Repeat(" ", max(newCol, 0)) + line[ind:]
			continue
		}
		k := nodes[0].kind
		for len(st) > 0 {
			top := st[len(st)-1]
			if top.old > ind || (top.old == ind && top.kind == '-' && k != '-') {
				st = st[:len(st)-1]
				continue
			}
			break
		}
		var newCol int
		switch {
		case len(st) == 0:
			if rootOld < 0 {
				rootOld = ind
			}
			if ind != rootOld {
				return nil, unsupported("inserted text is not consistently indented (line %d)", li+1)
			}
			newCol = base
		default:
			top := &st[len(st)-1]
			switch {
			case top.old == ind && top.kind == 'k' && top.emptyValue && k == '-' && !top.hasSeqChild:
				newCol = top.new + lay.seqOffset // indentless sequence in the text
				top.hasSeqChild = true
			case top.old == ind:
				newCol = top.new
				st = st[:len(st)-1]
			case top.kind == 'k' && top.emptyValue:
				if k == '-' {
					newCol = top.new + lay.seqOffset
				} else {
					newCol = top.new + lay.step
				}
				top.hasSeqChild = k == '-'
			default:
				newCol = top.new + ind - top.old
			}
		}
		for _, nd := range nodes {
			st = append(st, frame{old: nd.col, new: newCol + nd.col - ind, kind: nd.kind, emptyValue: nd.emptyValue})
		}
		out[li] = strings.Repeat(" ", newCol) + line[ind:]
		if last := nodes[len(nodes)-1]; last.blockHeader {
			owner := len(nodes) - 1
			if last.kind == 's' && owner > 0 {
				owner--
			}
			inBlock = true
			blockOld, blockNew = nodes[owner].col, newCol+nodes[owner].col-ind
		}
	}
	return out, nil
}

// parsedValue is a value given as YAML text.
type parsedValue struct {
	text  string     // the text as given, "\n" line breaks
	node  *yaml.Node // its parse (a null scalar for "")
	block bool       // a block collection or block scalar: written on its own lines
}

func parseValue(valueYAML string) (*parsedValue, error) {
	full := strings.ReplaceAll(valueYAML, "\r\n", "\n")
	text := strings.TrimRight(full, "\n")
	pv := &parsedValue{text: text}
	if strings.TrimSpace(text) == "" {
		pv.text = ""
		pv.node = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
		return pv, nil
	}
	// The node comes from the text as given: trailing line breaks matter
	// to a block scalar at its end.
	docs, err := parseAll([]byte(full))
	if err != nil {
		return nil, fmt.Errorf("value %q is not YAML: %w", valueYAML, err)
	}
	if len(docs) != 1 || len(docs[0].Content) != 1 {
		return nil, fmt.Errorf("value %q is not a single YAML node", valueYAML)
	}
	n := docs[0].Content[0]
	pv.node = n
	switch {
	case (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0:
		pv.block = true
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		pv.block = true
	case strings.Contains(text, "\n"):
		// A multi-line flow value or quoted/plain scalar: write it as one
		// line of flow YAML.
		flow, err := flowText(n)
		if err != nil {
			return nil, err
		}
		pv.text = flow
	}
	return pv, nil
}

// flowText renders a node as one line of flow YAML (for flow collections).
func flowText(n *yaml.Node) (string, error) {
	c := cloneNode(n)
	var set func(n *yaml.Node)
	set = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			n.Style = yaml.FlowStyle
		}
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		for _, k := range n.Content {
			set(k)
		}
	}
	set(c)
	wrap := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{c}}
	out, err := yaml.Dump(wrap, yaml.WithLineWidth(-1))
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(out))
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") || strings.Contains(s, "\n") {
		return "", unsupported("cannot write %q as flow YAML", s)
	}
	return s[1 : len(s)-1], nil
}

func cloneNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k)
	}
	return &c
}

// keyText renders a mapping key as YAML: plain when that reads back as the
// same string, quoted otherwise.
func keyText(key string, flow bool) (string, error) {
	out, err := yaml.Dump(key, yaml.WithLineWidth(-1))
	if err != nil {
		return "", err
	}
	s := strings.TrimSuffix(string(out), "\n")
	if strings.ContainsAny(s, "\n\r") || s == "" {
		s = strconv.Quote(key)
	}
	if flow && !strings.HasPrefix(s, "'") && !strings.HasPrefix(s, "\"") && strings.ContainsAny(s, ",[]{}#") {
		s = strconv.Quote(key)
	}
	var back string
	if err := yaml.Unmarshal([]byte(s), &back); err != nil || back != key {
		return "", unsupported("cannot write key %q", key)
	}
	return s, nil
}

// indentLines prefixes every non-empty line of text with n spaces.
func indentLines(text string, n int) string {
	lines := strings.Split(text, "\n")
	pad := strings.Repeat(" ", n)
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// entryText is "key: value" as block YAML (relative indentation), ready
// for reindent.
func entryText(key string, pv *parsedValue) string {
	switch {
	case pv.text == "":
		return key + ":"
	case !pv.block:
		return key + ": " + pv.text
	case pv.node.Kind == yaml.ScalarNode: // block scalar: header stays on the key line
		first, rest, _ := strings.Cut(pv.text, "\n")
		if rest == "" {
			return key + ": " + first
		}
		return key + ": " + first + "\n" + indentLines(rest, max(0, 2-minIndent(rest)))
	default:
		return key + ":\n" + indentLines(pv.text, 2)
	}
}

// itemText is "- item" as block YAML, ready for reindent.
func itemText(pv *parsedValue) string {
	if pv.text == "" {
		return "-"
	}
	if !pv.block || pv.node.Kind == yaml.ScalarNode {
		first, rest, _ := strings.Cut(pv.text, "\n")
		if rest == "" {
			return "- " + first
		}
		return "- " + first + "\n" + indentLines(rest, max(0, 2-minIndent(rest)))
	}
	// A block collection: its first line goes after the dash, the other
	// lines keep their offset to it.
	lines := strings.Split(pv.text, "\n")
	minInd := minIndent(pv.text)
	for i, l := range lines {
		if len(l) >= minInd {
			l = l[minInd:]
		}
		if i == 0 {
			lines[i] = "- " + l
		} else if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

// minIndent returns the smallest indentation of the non-blank lines.
func minIndent(text string) int {
	m := -1
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		if m < 0 || ind < m {
			m = ind
		}
	}
	return max(m, 0)
}
