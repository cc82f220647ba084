package fixer

import (
	"context"
	"maps"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// brokenFiles are the pending files of the projects that loaded in prev
// and no longer load in outs (outs is the lint of projectsWith's specs).
func brokenFiles(outs, prev []lint.Outcome, pend []*pending) map[string]bool {
	bad := map[string]bool{}
	for i, o := range outs {
		if o.Err == nil {
			continue
		}
		for _, pc := range pend {
			if pc.file != nil && contains(prev[i].Project, pc.file.Abs) {
				bad[pc.file.Abs] = true
			}
		}
	}
	return bad
}

// reverify rebuilds the overlay from the pass's base with the pending
// changes that are not suspect, then checks the suspect ones one at a
// time, in file order, against the projects of prev: a change that loads
// is kept, one that does not is refused.
func (r *run) reverify(ctx context.Context, bad map[string]bool, prev []lint.Outcome) {
	r.overlay = maps.Clone(r.base)
	var suspect, kept []*pending
	for _, pc := range r.pending {
		if pc.file != nil && bad[pc.file.Abs] {
			suspect = append(suspect, pc)
			continue
		}
		r.apply(pc)
		kept = append(kept, pc)
	}
	for _, pc := range suspect {
		err := verify(ctx, prev, pc, r.overlay, r.cfg)
		if err != nil && pc.fallback != nil && verify(ctx, prev, pc.fallback, r.overlay, r.cfg) == nil {
			pc, err = pc.fallback, nil
		}
		if err != nil {
			r.refused[pc.file.Abs] = true
			r.res.Refused = append(r.res.Refused, Refusal{File: pc.file.Path, Reason: "the fixed file would not load: " + err.Error()})
			continue
		}
		r.apply(pc)
		kept = append(kept, pc)
	}
	r.pending = kept
}

// verify re-loads every project of outs that contains pc's file with the
// final state of every file pc writes: the new content and the lines its
// fixes add to .env, env files and .gitignore, as docker compose will
// read them (a .env line compose-go cannot parse breaks the project as
// surely as a compose edit).
func verify(ctx context.Context, outs []lint.Outcome, pc *pending, overlay map[string][]byte, cfg lint.Config) error {
	abs := pc.file.Abs
	trial := maps.Clone(overlay)
	trial[abs] = pc.next
	for _, g := range pc.applied {
		addLines(g.fix.Writes, trial)
	}
	load := WithOverlay(cfg.Load, trial)
	for _, o := range outs {
		if o.Project == nil || !contains(o.Project, abs) {
			continue
		}
		if _, err := project.Load(ctx, o.Spec, load); err != nil {
			return err
		}
	}
	return nil
}

func contains(p *project.Project, abs string) bool {
	for _, f := range p.AllFiles() {
		if f.Abs == abs {
			return true
		}
	}
	return false
}

// Lines fixes append to or delete from files (.env, .gitignore, env
// files) go into the overlay so later passes see them; acceptLines
// refuses two fixes that would give one .env variable two values.
