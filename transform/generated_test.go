package transform

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// docGen writes random compose-like documents in one consistent style:
// 2 or 4 spaces, indented or indentless sequences, comments and blank lines
// between entries, trailing comments, block scalars, flow collections,
// nulls, anchors and aliases, unicode.
type docGen struct {
	r       *rand.Rand
	step    int
	seqOff  int
	lines   []string
	keyN    int
	anchors []string
}

func (g *docGen) key() string {
	g.keyN++
	keys := []string{"image", "ports", "名前", "environment", "é", "command", "labels", "x-y"}
	if g.r.IntN(9) == 0 {
		return fmt.Sprintf("\"quoted key %d\"", g.keyN)
	}
	return fmt.Sprintf("%s%d", keys[g.r.IntN(len(keys))], g.keyN)
}

func (g *docGen) scalar() string {
	vals := []string{"nginx", "\"80:80\"", "'it''s'", "plain text", "ü", "1", "true", "\"a\\tb # not\"", "a#b", "~"}
	return vals[g.r.IntN(len(vals))]
}

func (g *docGen) comment() string {
	if g.r.IntN(4) == 0 {
		return " # c" + fmt.Sprint(g.r.IntN(9))
	}
	return ""
}

func (g *docGen) trivia(ind int) {
	switch g.r.IntN(6) {
	case 0:
		g.lines = append(g.lines, "")
	case 1:
		g.lines = append(g.lines, strings.Repeat(" ", ind)+"# note")
	}
}

func (g *docGen) mapping(ind, depth int) {
	n := 1 + g.r.IntN(4)
	for i := 0; i < n; i++ {
		g.trivia(ind)
		pad := strings.Repeat(" ", ind)
		k := g.key()
		switch c := g.r.IntN(10); {
		case c == 0 && depth < 3:
			anchor := ""
			if g.r.IntN(3) == 0 {
				anchor = " &a" + fmt.Sprint(g.keyN)
				g.anchors = append(g.anchors, anchor[2:])
			}
			g.lines = append(g.lines, pad+k+":"+anchor+g.comment())
			g.mapping(ind+g.step, depth+1)
		case c == 1 && depth < 3:
			g.lines = append(g.lines, pad+k+":"+g.comment())
			g.sequence(ind+g.seqOff, depth+1)
		case c == 2:
			chomp := []string{"", "-", "+"}[g.r.IntN(3)]
			g.lines = append(g.lines, pad+k+": |"+chomp+g.comment())
			for j := 0; j <= g.r.IntN(3); j++ {
				extra := strings.Repeat(" ", min(j, 1)*g.r.IntN(2)*2)
				g.lines = append(g.lines, pad+strings.Repeat(" ", g.step)+extra+"line # "+fmt.Sprint(j))
				if g.r.IntN(4) == 0 {
					g.lines = append(g.lines, "")
				}
			}
		case c == 3:
			g.lines = append(g.lines, pad+k+": [a, \"b\", {c: 1}]"+g.comment())
		case c == 4:
			g.lines = append(g.lines, pad+k+": {}"+g.comment())
		case c == 5:
			g.lines = append(g.lines, pad+k+":"+g.comment())
		case c == 6 && len(g.anchors) > 0:
			g.lines = append(g.lines, pad+k+": *"+g.anchors[g.r.IntN(len(g.anchors))]+g.comment())
		case c == 7:
			g.lines = append(g.lines, pad+k+": first", pad+strings.Repeat(" ", g.step)+"continued")
		default:
			g.lines = append(g.lines, pad+k+": "+g.scalar()+g.comment())
		}
	}
}

func (g *docGen) sequence(ind, depth int) {
	n := 1 + g.r.IntN(3)
	for i := 0; i < n; i++ {
		g.trivia(ind)
		pad := strings.Repeat(" ", ind)
		switch g.r.IntN(4) {
		case 0:
			g.lines = append(g.lines, pad+"- "+g.key()+": "+g.scalar())
			g.lines = append(g.lines, pad+"  "+g.key()+": "+g.scalar()+g.comment())
		case 1:
			g.lines = append(g.lines, pad+"- [x, y]"+g.comment())
		default:
			g.lines = append(g.lines, pad+"- "+g.scalar()+g.comment())
		}
	}
}

func generate(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	g := &docGen{r: r, step: 2 + 2*r.IntN(2)}
	if r.IntN(2) == 0 {
		g.seqOff = g.step
	}
	g.mapping(0, 0)
	eol := "\n"
	if r.IntN(3) == 0 {
		eol = "\r\n"
	}
	doc := strings.Join(g.lines, eol)
	if r.IntN(3) > 0 {
		doc += eol
	}
	return doc
}

// TestGeneratedDocuments runs every helper on every node of generated
// documents. Refusals are fine when they are about a documented shape; an
// edit that the helper's own verification rejects points at a bug in the
// byte-range computations.
func TestGeneratedDocuments(t *testing.T) {
	bad := []string{"would change the document", "would not parse", "does not match", "not found", "closing", "without brackets", "two nodes", "past the end"}
	stats := map[string]int{}
	for seed := uint64(0); seed < 300; seed++ {
		doc := generate(seed)
		var root yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
			t.Fatalf("seed %d: generated document does not parse: %v\n%s", seed, err, doc)
		}
		src := NewSource("g.yml", []byte(doc))
		for _, n := range allNodes(&root) {
			var calls []func() ([]Edit, error)
			switch n.Kind {
			case yaml.MappingNode:
				calls = append(calls,
					func() ([]Edit, error) { return AddMappingEntry(src, n, "new", "- a\n- b: 1\n  c: [2]") },
					func() ([]Edit, error) { return EnsureSequenceItem(src, n, "new", "x") },
				)
				if len(n.Content) > 0 {
					calls = append(calls,
						func() ([]Edit, error) { return RemoveMappingEntry(src, n, n.Content[0].Value) },
						func() ([]Edit, error) { return RemoveMappingEntry(src, n, n.Content[len(n.Content)-2].Value) },
					)
				}
			case yaml.SequenceNode:
				calls = append(calls, func() ([]Edit, error) { return AppendSequenceItem(src, n, "k: v\nl: w") })
				if len(n.Content) > 0 {
					calls = append(calls, func() ([]Edit, error) { return RemoveSequenceItem(src, n, len(n.Content)-1) })
				}
			case yaml.ScalarNode:
				calls = append(calls, func() ([]Edit, error) { return ReplaceScalar(src, n, "'new'") })
			case yaml.DocumentNode:
				calls = append(calls, func() ([]Edit, error) { return AddTopLevelEntry(src, n, "volumes", "data", "") })
			}
			for ci, call := range calls {
				edits, err := call()
				if err != nil {
					msg := err.Error()
					for _, b := range bad {
						if strings.Contains(msg, b) {
							t.Errorf("seed %d: call %d on node at %d:%d: %v\n%q", seed, ci, n.Line, n.Column, err, doc)
						}
					}
					stats[strings.SplitN(msg, " at ", 2)[0]]++
					continue
				}
				stats["ok"]++
				out, err := Apply([]byte(doc), edits)
				if err != nil {
					t.Fatal(err)
				}
				checkPreserved(t, []byte(doc), out, edits)
				checkInvariants(t, doc, string(out))
			}
		}
	}
	if testing.Verbose() {
		for k, v := range stats {
			t.Logf("%6d %s", v, k)
		}
	}
	// Refusing is always safe; a helper that refused everything would pass
	// every check above. Most calls must succeed (about 90% do).
	total := 0
	for _, v := range stats {
		total += v
	}
	if stats["ok"] < total*3/4 {
		t.Errorf("only %d of %d helper calls succeeded", stats["ok"], total)
	}
}
