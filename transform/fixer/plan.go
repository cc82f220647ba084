package fixer

import (
	"context"

	"github.com/composure-dev/composure/internal/parallel"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

// group is one fix of one finding.
type group struct {
	finding lint.Finding
	fix     *lint.Fix
}

// mergeResult is what transform.Merge or transform.Combine returns.
type mergeResult struct {
	merged           []transform.Edit
	applied, dropped []int
}

func resultOf(m []transform.Edit, applied, dropped []int) mergeResult {
	return mergeResult{m, applied, dropped}
}

// sideBySide is transform.Merge in the shape of transform.Combine: the
// fixes that apply side by side, none combined.
func sideBySide(_ []byte, groups [][]transform.Edit) ([]transform.Edit, []int, []int) {
	return transform.Merge(groups)
}

func fixEdits(gs []group) [][]transform.Edit {
	edits := make([][]transform.Edit, len(gs))
	for i, g := range gs {
		edits[i] = g.fix.Edits
	}
	return edits
}

// combineAll runs transform.Combine on the fixes of every file, on all
// cores: files are independent, and Combine parses each candidate.
func combineAll(order []string, files map[string]source, byFile map[string][]group) []mergeResult {
	out := make([]mergeResult, len(order))
	parallel.Each(context.Background(), len(order), func(k int) {
		abs := order[k]
		out[k] = resultOf(transform.Combine(files[abs].file.Content, fixEdits(byFile[abs])))
	})
	return out
}

// plan takes the merge of one file's fixes (first, made by merge:
// transform.Combine or transform.Merge), holds back the fixes whose .env
// lines clash (acceptLines), merging the rest again, and applies them to
// the file's bytes.
func (r *run) plan(src source, gs []group, first mergeResult, merge func([]byte, [][]transform.Edit) ([]transform.Edit, []int, []int)) (*pending, error) {
	f := src.file
	edits := fixEdits(gs)
	merged, applied, dropped := first.merged, first.applied, first.dropped
	applied, later := acceptLines(gs, applied, r.overlay)
	dropped = append(dropped, later...)
	if len(later) > 0 {
		keep := make([][]transform.Edit, 0, len(applied))
		for _, i := range applied {
			keep = append(keep, edits[i])
		}
		var kept, lost []int
		merged, kept, lost = merge(f.Content, keep)
		for _, k := range lost { // a subset may combine differently
			dropped = append(dropped, applied[k])
		}
		sub := make([]int, len(kept))
		for j, k := range kept {
			sub[j] = applied[k]
		}
		applied = sub
	}
	next, err := transform.Apply(f.Content, merged)
	if err != nil {
		return nil, err
	}
	pc := &pending{file: f, root: src.root, before: f.Content, next: next, edits: merged, dropped: len(dropped)}
	for _, i := range applied {
		pc.applied = append(pc.applied, gs[i])
	}
	for _, i := range later {
		pc.later = append(pc.later, gs[i])
	}
	return pc, nil
}
