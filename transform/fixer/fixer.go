// Package fixer applies the fixes findings carry: it merges them per file,
// applies them to the original bytes, re-loads every result with
// compose-go, and repeats until nothing is left to fix. Fix (fix.go) is
// the whole command; its stages, a file each:
//
//   - fixer.go: Run, the loop of lint passes to a fixed point;
//   - collect.go: the eligible fixes of a pass, grouped by file (claims.go:
//     a secret file name two files want goes to one, the next to the other);
//   - plan.go: merging each file's edits, conflicts left for a later pass;
//   - lines.go: the lines fixes add to or remove from side files;
//   - verify.go: re-loading every project a changed file belongs to;
//     relint.go: which projects a withholding, or the passes after their
//     lint, may have changed (relint, and Remaining);
//   - runs.go, effective.go, verify_runs.go, verify_tracked.go: the
//     project as run: every run that reads a changed file, what each of
//     its containers receives before and after, the fixes withheld;
//     effective_deps.go: when a run's last result stands without a new
//     load; verify_deferred.go: the fixes waiting on a .env variable
//     withheld in the pass that broke a run on it; verify_early.go:
//     before a pass's lint, the runs that load a changed .env whole
//     (and the files git tracks) withhold what they refuse;
//   - apply.go: Apply, the atomic writes;
//   - result.go and remaining.go: what was done, and what is left.
package fixer

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// DefaultPasses caps the fix-and-relint loop. Fixes that append to one
// list insert at the same offset, so only one of them lands per pass; the
// next pass re-lints only the projects that changed, which is cheap.
const DefaultPasses = 32

// Options choose which fixes apply.
type Options struct {
	// Unsafe also applies fixes marked unsafe.
	Unsafe bool
	// MaxPasses caps the loop; 0 means DefaultPasses.
	MaxPasses int
	// DryRun makes Fix write nothing (fix --diff).
	DryRun bool
}

// Run lints the projects, applies every eligible fix in memory, and loops
// until a pass changes nothing.
//
// A pass's changes are verified by the next pass's lint, which re-loads
// every project that contains a changed file anyway: when they all load,
// nothing more is done. A project that no longer loads sends its files'
// changes back to the one-file-at-a-time check (verify), which keeps the
// changes that load and refuses the others.
func Run(ctx context.Context, specs []project.Spec, cfg lint.Config, opts Options) *Result {
	passes := opts.MaxPasses
	if passes <= 0 {
		passes = DefaultPasses
	}
	r := newRun(cfg, opts)
	// The verification of a pass compares the models of the linted
	// projects before and after it (verify_runs.go): they are kept for
	// one pass, and released here when the caller asked for that.
	release := r.cfg.ReleaseModels
	r.cfg.ReleaseModels = false
	// The trees are not read after a project's findings are made (its
	// fixes hold their edits): they go at once.
	r.cfg.ReleaseTrees = release
	active := specs
	var prev []lint.Outcome // the outcomes the pending changes were made from
	// idx maps active to specs; latest is each spec's newest outcome.
	idx := make([]int, len(specs))
	for i := range idx {
		idx[i] = i
	}
	latest := make([]lint.Outcome, len(specs))
	linted := make([]int, len(specs)) // the snapshot each of latest is current with
	for len(active) > 0 {
		var early []failure
		if len(r.pending) > 0 {
			early = r.earlyCheck(ctx, prev)
		}
		outs := r.lintPass(ctx, active, prev)
		if r.res.Passes == 0 {
			r.res.before = outs
		}
		if len(r.pending) > 0 || len(early) > 0 {
			linted := maps.Clone(r.overlay)
			if bad := brokenFiles(outs, prev, r.pending); len(bad) > 0 {
				r.reverify(ctx, bad, prev)
				outs = r.relint(ctx, active, outs, prev, linted)
				linted = maps.Clone(r.overlay)
			}
			relint := func(outs []lint.Outcome) []lint.Outcome {
				outs = r.relint(ctx, active, outs, prev, linted)
				linted = maps.Clone(r.overlay)
				return outs
			}
			var changed bool
			if outs, changed = r.checkRuns(ctx, outs, prev, relint, early); changed {
				outs = relint(outs)
			}
			r.commit()
		}
		// The outcomes describe the files as they are now: Remaining
		// compares them with the files as the fixes leave them.
		r.res.snapshots = append(r.res.snapshots, maps.Clone(r.overlay))
		for j, o := range outs {
			latest[idx[j]] = o
			linted[idx[j]] = len(r.res.snapshots) - 1
		}
		if r.res.Passes == passes {
			break
		}
		r.res.Passes++
		r.base = maps.Clone(r.overlay)
		if !r.fixPass(ctx, outs) {
			break
		}
		keep := projectsWith(outs, r.pending, r.waiting)
		if release {
			releaseExcept(prev, nil, outs)
			releaseExcept(outs, keep, nil)
		}
		prev, active = make([]lint.Outcome, len(keep)), make([]project.Spec, len(keep))
		for k, j := range keep {
			prev[k], active[k] = outs[j], outs[j].Spec
			keep[k] = idx[j]
		}
		idx = keep
	}
	if release {
		releaseExcept(prev, nil, nil)
		releaseExcept(latest, nil, nil)
	}
	// What is left pending are line writes of fixes that edit no compose
	// file: nothing to load.
	r.commit()
	res := r.res
	res.latest, res.linted = latest, linted
	res.disk = r.disk
	res.overlay = r.overlay
	for _, abs := range slices.Sorted(maps.Keys(r.changes)) {
		res.Changes = append(res.Changes, r.changes[abs])
	}
	for _, w := range res.Writes {
		if w.Kind == lint.EnsureLine || w.Kind == lint.DeleteLine {
			if res.Lines == nil {
				res.Lines = map[string][]byte{}
			}
			res.Lines[w.Path] = r.overlay[w.Path]
		}
	}
	return res
}

// newRun is the state of a Run of cfg and opts before its first pass.
func newRun(cfg lint.Config, opts Options) *run {
	r := &run{
		res:      &Result{Applied: map[string]int{}},
		changes:  map[string]*Change{},
		overlay:  maps.Clone(cfg.Load.Overlay), // a caller's starting point
		refused:  map[string]bool{},
		wrote:    map[string]bool{},
		withheld: map[fingerprint.Identity]bool{},
		cfg:      cfg,
		opts:     opts,
		disk:     &diskReads{},
	}
	if r.overlay == nil {
		r.overlay = map[string][]byte{}
	}
	// The rules' fix helpers check every edit they compute; lint, which
	// only reports fixes, does not pay for it.
	r.cfg.Run.VerifyFixes = true
	return r
}

// releaseExcept releases the models of outs but those at the indexes of
// keep (the next pass's before), and those that are outcomes of still too
// (relint reuses a before for an outcome that it would make again).
func releaseExcept(outs []lint.Outcome, keep []int, still []lint.Outcome) {
	for j, o := range outs {
		if o.Project != nil && !slices.Contains(keep, j) &&
			!slices.ContainsFunc(still, func(s lint.Outcome) bool { return s.Project == o.Project }) {
			o.Project.Release()
		}
	}
}

// run is the state of one Run.
type run struct {
	res     *Result
	changes map[string]*Change
	overlay map[string][]byte
	// base is the overlay as the current pass found it; pending are the
	// changes the pass made on top of it, not yet verified.
	base    map[string][]byte
	pending []*pending
	refused map[string]bool
	wrote   map[string]bool
	cfg     lint.Config
	opts    Options
	// check verifies each pass against the runs of the project
	// (verify_runs.go); withheld are the fixes it withheld.
	check    *runCheck
	withheld map[fingerprint.Identity]bool
	// deferred are the fixes of this pass that wait for the next one
	// because of a clash on a .env variable (verify_deferred.go).
	deferred []deferredFix
	// waiting are the files with a fix that waits for the next pass
	// for a secret file name (collect).
	waiting map[string]bool
	// disk holds what the run read from the disk, which does not change
	// while fixes are planned (Apply checks each file before it writes).
	disk *diskReads
}

// pending is one pass's change to one compose file (file == nil: the line
// writes of a fix that edits no compose file), kept until the next pass's
// lint has loaded every project that contains it.
type pending struct {
	file    *project.File
	root    string
	before  []byte
	next    []byte
	edits   []transform.Edit
	applied []group
	dropped int
	// fallback is the same pass's change without combined insertions
	// (transform.Combine), tried when this one does not load.
	fallback *pending
	// later are the fixes of the file that wait for the next pass because
	// another fix sets their .env variable to another value
	// (acceptLines; verify_deferred.go).
	later []group
}

func (r *run) lint(ctx context.Context, specs []project.Spec) []lint.Outcome {
	r.cfg.Load = WithOverlay(r.cfg.Load, r.overlay)
	return lint.Run(ctx, specs, r.cfg)
}

// lintPass lints specs with the pass's changes (prev: their outcomes
// the changes were made from, none in the first pass). A spec none of
// whose reads the pass changed in the end (earlyCheck withheld all its
// fixes) keeps its outcome of prev, as relint keeps one.
func (r *run) lintPass(ctx context.Context, specs []project.Spec, prev []lint.Outcome) []lint.Outcome {
	if len(prev) != len(specs) {
		return r.lint(ctx, specs)
	}
	return r.relint(ctx, specs, prev, nil, r.base)
}

// relint lints again the specs of outs (linted with the files of from)
// whose outcome may differ with the files as they are now (staleAfter),
// and keeps the others. A stale one whose every read is again as the pass
// found it (a file whose fixes were all withheld) takes its outcome from
// prev, the pass's before, linted with the files of r.base: the lint
// would make it again.
func (r *run) relint(ctx context.Context, specs []project.Spec, outs, prev []lint.Outcome, from map[string][]byte) []lint.Outcome {
	stale := staleAfter(outs, from, r.overlay, r.disk)
	if relintEvery || r.envFilesChanged(from) {
		stale = stale[:0]
		for j := range outs {
			stale = append(stale, j)
		}
	}
	if len(stale) == 0 {
		return outs
	}
	outs = slices.Clone(outs)
	if len(prev) == len(outs) && !relintEvery && !r.envFilesChanged(r.base) {
		ch := changesFrom(r.base, r.overlay, r.disk)
		stale = slices.DeleteFunc(stale, func(j int) bool {
			if prev[j].Project == nil || outcomeStale(prev[j], ch) {
				return false
			}
			outs[j] = prev[j]
			return true
		})
		if len(stale) == 0 {
			return outs
		}
	}
	again := make([]project.Spec, len(stale))
	for k, j := range stale {
		again[k] = specs[j]
	}
	for k, o := range r.lint(ctx, again) {
		outs[stale[k]] = o
	}
	return outs
}

// envFilesChanged reports whether a file given with --env-file changed
// from the files of from: every project reads it.
func (r *run) envFilesChanged(from map[string][]byte) bool {
	changed := changedFiles(from, r.overlay, r.disk)
	for _, f := range r.cfg.Load.EnvFiles {
		if abs, err := filepath.Abs(f); err != nil || changed[abs] {
			return true
		}
	}
	return false
}

// fixPass collects the eligible fixes of outs and applies them in memory
// as pending changes; it reports whether any compose file changed.
func (r *run) fixPass(ctx context.Context, outs []lint.Outcome) bool {
	for abs, why := range r.pulledIn(ctx, outs) {
		if !r.refused[abs] {
			r.refused[abs] = true
			r.res.Skipped = append(r.res.Skipped, why)
		}
	}
	slices.SortFunc(r.res.Skipped, func(a, b Refusal) int { return strings.Compare(a.File, b.File) })
	r.waiting = map[string]bool{}
	byFile, files, standalone := collect(outs, r.opts, r.refused, r.withheldFinding, r.res, r.waiting, r.overlay)
	for _, g := range standalone {
		if !linesChange(g.fix.Writes, r.overlay) {
			continue
		}
		addLines(g.fix.Writes, r.overlay)
		r.pending = append(r.pending, &pending{applied: []group{g}})
	}
	r.deferred = nil
	if len(byFile) == 0 {
		return false
	}
	changed := false
	order := slices.Sorted(maps.Keys(byFile))
	combined := combineAll(order, files, byFile)
	for k, abs := range order {
		src := files[abs]
		pc, err := r.plan(src, byFile[abs], combined[k], transform.Combine)
		if err != nil {
			r.refused[abs] = true
			r.res.Refused = append(r.res.Refused, Refusal{File: src.file.Path, Reason: "the fixes do not apply: " + err.Error()})
			continue
		}
		pc.fallback = r.fallbackOf(src, byFile[abs], pc)
		r.apply(pc)
		r.pending = append(r.pending, pc)
		r.deferred = append(r.deferred, deferredOf(src, pc)...)
		changed = true
	}
	return changed
}

// fallbackOf is the change of gs to src with the fixes that apply side by
// side, when pc (their change with insertions combined) applies more of
// them, else nil. Combined insertions are checked by Combine; should pc
// still not load, reverify falls back to it, as they would apply
// without Combine.
func (r *run) fallbackOf(src source, gs []group, pc *pending) *pending {
	if len(pc.applied) < 2 {
		return nil
	}
	side := resultOf(sideBySide(nil, fixEdits(gs)))
	if alt, err := r.plan(src, gs, side, sideBySide); err == nil && len(alt.applied) < len(pc.applied) {
		return alt
	}
	return nil
}

// apply puts a pending change into the overlay.
func (r *run) apply(pc *pending) {
	if pc.file != nil {
		r.overlay[pc.file.Abs] = pc.next
	}
	for _, g := range pc.applied {
		addLines(g.fix.Writes, r.overlay)
	}
}

// commit records the verified pending changes in the result.
func (r *run) commit() {
	// Left is the count of the last pass that changed a compose file; a
	// commit of line writes only (the one after the loop) keeps it.
	if slices.ContainsFunc(r.pending, func(pc *pending) bool { return pc.file != nil }) {
		r.res.Left = 0
	}
	for _, pc := range r.pending {
		if pc.file == nil {
			for _, g := range pc.applied {
				r.res.Applied[g.finding.Rule]++
				r.res.Notes = append(r.res.Notes, g.fix.Notes...)
				r.res.Standalone = append(r.res.Standalone, g.fix.Writes...)
				r.res.Writes = append(r.res.Writes, g.fix.Writes...)
			}
			continue
		}
		abs := pc.file.Abs
		c, ok := r.changes[abs]
		if !ok {
			c = &Change{Path: pc.file.Path, Abs: abs, Root: pc.root, Original: pc.before}
			r.changes[abs] = c
		}
		c.Fixed = pc.next
		c.Steps = append(c.Steps, Step{Before: pc.before, Edits: pc.edits})
		r.res.Left += pc.dropped
		if c.Applied == nil {
			c.Applied = map[string]int{}
		}
		for _, g := range pc.applied {
			r.res.Applied[g.finding.Rule]++
			r.res.Notes = append(r.res.Notes, g.fix.Notes...)
			c.Applied[g.finding.Rule]++
			c.Notes = append(c.Notes, g.fix.Notes...)
			for _, w := range g.fix.Writes {
				key := fmt.Sprint(w.Kind, w.Path, w.Content)
				c.Writes = append(c.Writes, w)
				if !r.wrote[key] {
					r.wrote[key] = true
					r.res.Writes = append(r.res.Writes, w)
				}
			}
		}
	}
	r.pending = nil
}

// projectsWith lists the outcomes whose projects contain a file with a
// pending change, or a fix waiting for a name (waiting): no other project
// can have new fixes, or be broken.
func projectsWith(outs []lint.Outcome, pend []*pending, waiting map[string]bool) []int {
	var out []int
	for j, o := range outs {
		if o.Project == nil {
			continue
		}
		if slices.ContainsFunc(o.Project.AllFiles(), func(f *project.File) bool { return waiting[f.Abs] }) {
			out = append(out, j)
			continue
		}
		for _, pc := range pend {
			if pc.file != nil && contains(o.Project, pc.file.Abs) {
				out = append(out, j)
				break
			}
		}
	}
	return out
}
