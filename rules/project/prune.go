package project

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/tree"
)

// Why this file exists: compose-go sets default values and resolves
// relative paths by walking the whole model and matching the path of
// every node against each pattern of a table, splitting both paths on
// every match. The fast load hands those walks a pruned view: only what
// lies on the way to a pattern, with the values where a pattern ends
// shared with the model. Nothing else can change, since compose-go's
// walkers only replace the values where a pattern matches, so the view's
// result is copied back there and the model ends as the whole walk
// would leave it (TestFastLoadSameModel, TestPrunedWalksSameAsWhole).

// pruned is a view of a model and how to copy its results back.
type pruned struct {
	view  map[string]any
	backs []func()
}

// pruneFor builds the view of dict for patterns (compose-go's, as
// tree.Path: "*" any key or list item, "[]" any list item).
func pruneFor(dict map[string]any, patterns []tree.Path) *pruned {
	parts := make([][]string, len(patterns))
	for i, p := range patterns {
		parts[i] = strings.Split(string(p), ".")
	}
	pr := &pruned{}
	v, _ := pr.prune(dict, parts)
	pr.view, _ = v.(map[string]any)
	return pr
}

// writeBack copies what the walk set in the view back into the model.
func (pr *pruned) writeBack() {
	for _, b := range pr.backs {
		b()
	}
}

// prune returns v whole when a pattern ends at it (end), else a new
// container holding only the children some pattern goes on through.
func (pr *pruned) prune(v any, patterns [][]string) (view any, end bool) {
	for _, p := range patterns {
		if len(p) == 0 {
			return v, true
		}
	}
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			sub := advance(patterns, k)
			if len(sub) == 0 {
				continue
			}
			child, end := pr.prune(e, sub)
			out[k] = child
			if end {
				pr.backs = append(pr.backs, func() { t[k] = out[k] })
			}
		}
		return out, false
	case []any:
		out := make([]any, len(t)) // items no pattern goes into stay nil
		sub := advance(patterns, tree.PathMatchList)
		if len(sub) == 0 {
			return out, false
		}
		for i, e := range t {
			child, end := pr.prune(e, sub)
			out[i] = child
			if end {
				pr.backs = append(pr.backs, func() { t[i] = out[i] })
			}
		}
		return out, false
	}
	return nil, false
}

// advance is the rest of each pattern whose next part matches part, as
// tree.Path.Matches matches a part ("*" matches anything).
func advance(patterns [][]string, part string) [][]string {
	var out [][]string
	for _, p := range patterns {
		if p[0] == tree.PathMatchAll || p[0] == part {
			out = append(out, p[1:])
		}
	}
	return out
}
