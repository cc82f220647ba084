package fixer

import (
	"context"
	"maps"
	"slices"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// withholdTracked withholds the pending fixes that would put a secret
// into a file git tracks (an env file, a .env committed by mistake): the
// next commit would publish it. It reports whether it withheld any.
func (r *run) withholdTracked(ctx context.Context) bool {
	targets := map[string]bool{}
	for _, pc := range r.pending {
		for _, g := range pc.applied {
			for _, w := range g.fix.Writes {
				if w.Secret && (w.Kind == lint.EnsureLine || w.Kind == lint.CreateSecret) {
					targets[w.Path] = true
				}
			}
		}
	}
	if len(targets) == 0 {
		return false
	}
	status := project.GitStatuses(ctx, slices.Sorted(maps.Keys(targets)))
	drop := map[*pending]map[int]string{}
	for _, pc := range r.pending {
		for i, g := range pc.applied {
			for _, w := range g.fix.Writes {
				if !targets[w.Path] || !status[w.Path].Tracked {
					continue
				}
				if drop[pc] == nil {
					drop[pc] = map[int]string{}
				}
				drop[pc][i] = project.RelToWorkingDir(w.Path) + " is tracked by git, and a secret moved there would be committed; untrack it (git rm --cached) or move the secret by hand"
			}
		}
	}
	if len(drop) == 0 {
		return false
	}
	r.dropFixes(drop)
	return true
}
