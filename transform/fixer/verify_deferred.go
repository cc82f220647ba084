package fixer

import (
	"context"
	"maps"
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

// Why this file exists: in a folder of many compose files sharing one
// .env, several files want the same variable name (POSTGRES_PASSWORD)
// with different values. One fix per name is tried per pass, the others
// wait (acceptLines); when a sibling run breaks on the variable (it loads
// the .env whole, or interpolates the name), the tried fix is withheld
// and the next pass tries the next one, which breaks the same run: one
// pass, with its lints and checks, per file that wants the name. Each
// waiting fix is tried here instead, alone on the pass's starting files,
// against the run that broke on its variable, as withholding would try it
// in the next pass; one that breaks it is withheld now, with that run's
// reason. One that does not waits for the next pass as before.

// deferredFix is a fix that waits for the next pass, and its file.
type deferredFix struct {
	src source
	g   group
}

func deferredOf(src source, pc *pending) []deferredFix {
	var out []deferredFix
	for _, g := range pc.later {
		out = append(out, deferredFix{src: src, g: g})
	}
	return out
}

// withholdDeferred withholds the waiting fixes that break a run of
// failed (the failures the pass's checks found) on a variable they write
// to a .env the run reads. Only a fix whose variables are all still unset
// in the .env now is tried: a variable another fix set meanwhile gets
// another name in the next pass.
func (r *run) withholdDeferred(ctx context.Context, failed []failure) {
	for _, d := range r.deferred {
		if r.withheld[fingerprint.Of(d.g.finding)] || !r.stillFree(d.g) {
			continue
		}
		var sub *pending
		for _, f := range failed {
			if !writesVarOf(d.g, f) {
				continue
			}
			if sub == nil {
				if sub = r.planAlone(d); sub == nil {
					break
				}
			}
			trial := maps.Clone(r.base)
			trial[sub.file.Abs] = sub.next
			for _, g := range sub.applied {
				addLines(g.fix.Writes, trial)
			}
			if fail, bad := r.judge(ctx, f.run, trial, changedFiles(r.base, trial, r.disk), aimsOf([]*pending{sub})); bad {
				r.recordWithheld(d.g, fail.reason)
				break
			}
		}
	}
	r.deferred = nil
}

// writesVarOf reports whether g writes a .env line of a variable that
// f's run gets otherwise, into a .env the run reads.
func writesVarOf(g group, f failure) bool {
	if f.vars == nil {
		return false
	}
	for _, w := range g.fix.Writes {
		if w.Kind != lint.EnsureLine || filepath.Base(w.Path) != ".env" {
			continue
		}
		if _, reads := f.read[w.Path]; !reads {
			continue
		}
		if name := lineVar(w.Content); f.vars[name] {
			return true
		}
	}
	return false
}

// stillFree reports whether every .env variable g sets is unset in the
// .env as the pass leaves it.
func (r *run) stillFree(g group) bool {
	for _, w := range g.fix.Writes {
		if w.Kind == lint.EnsureLine && filepath.Base(w.Path) == ".env" {
			if envLine(currentContent(w.Path, r.overlay), lineVar(w.Content)) != "" {
				return false
			}
		}
	}
	return true
}

func lineVar(line string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "export "), "=")
	return name
}

// planAlone is d's fix alone on its file as the pass found it, planned
// as the pass plans (nil when it does not apply).
func (r *run) planAlone(d deferredFix) *pending {
	gs := []group{d.g}
	saved := r.overlay
	r.overlay = r.base // acceptLines compares with the pass's starting point
	defer func() { r.overlay = saved }()
	first := resultOf(transform.Combine(d.src.file.Content, fixEdits(gs)))
	pc, err := r.plan(d.src, gs, first, transform.Combine)
	if err != nil || len(pc.applied) == 0 {
		return nil
	}
	return pc
}
