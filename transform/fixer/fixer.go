// Package fixer applies the fixes findings carry: it merges them per file,
// applies them to the original bytes, re-loads every result with
// compose-go, and repeats until nothing is left to fix. It computes;
// Write puts the result on disk.
package fixer

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
	"github.com/composure-dev/composure/transform/write"
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
}

// Change is one compose file's original and fixed bytes.
type Change struct {
	Path     string // as the user sees it
	Abs      string
	Root     string // the project directory
	Original []byte
	Fixed    []byte
	// Writes are the files the applied fixes of this file create or
	// append to; the compose file is written only when they all succeed.
	Writes []lint.FileWrite
	// Steps are the passes that changed the file: the bytes before and
	// the merged edits applied to them, so tests can replay them.
	Steps []Step
	// Applied counts the fixes per rule that land with this file, and
	// Notes are theirs: taken back (Unapplied) when the file is not
	// written.
	Applied map[string]int
	Notes   []string
}

// Step is one pass over one file.
type Step struct {
	Before []byte
	Edits  []transform.Edit
}

// Refusal is a file left untouched, and why.
type Refusal struct {
	File   string
	Reason string
}

// Result is what fixing would do.
type Result struct {
	Changes []*Change
	Writes  []lint.FileWrite
	// Applied counts applied fixes per rule.
	Applied map[string]int
	// Left counts fixes that could not be applied in the last pass
	// (conflicts), to be picked up by another run.
	Left    int
	Notes   []string
	Refused []Refusal
	// Skipped are files whose fixes were left out on purpose (a file
	// another file includes or extends): said, but not a failure.
	Skipped []Refusal
	Passes  int
	// Redact are the secret texts of every finding the run saw, fixed or
	// not: whatever shows original lines (a diff's context) masks them.
	Redact []string
	// Standalone are the writes of fixes that edit no compose file (a
	// .gitignore line for a committed secret file).
	Standalone []lint.FileWrite
	// Lines are the final contents of the files fixes append lines to or
	// delete lines from (.env, .gitignore, env files), as Apply leaves them.
	Lines map[string][]byte

	// Reused is how many outcomes the last Remaining call took from the
	// fix passes instead of linting again.
	Reused int

	// latest is each spec's newest outcome and overlay the files as the
	// fixes leave them: Remaining reuses what is still current. dotEnvs
	// caches its parse of each changed .env (nil: it does not parse).
	latest  []lint.Outcome
	overlay map[string][]byte
	dotEnvs map[string]map[string]string
	changes map[string][]*envChange // Remaining's changed .env names, per .env
}

// Unapplied takes back the fixes and notes of the changed files that
// Apply refused to write (read-only, changed meanwhile, outside the
// project), so the summary counts what was written.
func (r *Result) Unapplied(refused []Refusal) {
	for _, c := range r.Changes {
		if !slices.ContainsFunc(refused, func(f Refusal) bool { return f.File == c.Path }) {
			continue
		}
		for rule, n := range c.Applied {
			if r.Applied[rule] -= n; r.Applied[rule] <= 0 {
				delete(r.Applied, rule)
			}
		}
		for _, n := range c.Notes {
			if i := slices.Index(r.Notes, n); i >= 0 {
				r.Notes = slices.Delete(r.Notes, i, i+1)
			}
		}
	}
}

// Total is the number of fixes applied.
func (r *Result) Total() int {
	n := 0
	for _, v := range r.Applied {
		n += v
	}
	return n
}

// group is one fix of one finding.
type group struct {
	finding lint.Finding
	fix     *lint.Fix
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
	r := &run{
		res:     &Result{Applied: map[string]int{}},
		changes: map[string]*Change{},
		overlay: map[string][]byte{},
		refused: map[string]bool{},
		wrote:   map[string]bool{},
		cfg:     cfg,
		opts:    opts,
	}
	for k, v := range cfg.Load.Overlay { // a caller's starting point
		r.overlay[k] = v
	}
	r.cfg.Load.VerifyEdits = true
	active := specs
	var prev []lint.Outcome // the outcomes the pending changes were made from
	// idx maps active to specs; latest is each spec's newest outcome.
	idx := make([]int, len(specs))
	for i := range idx {
		idx[i] = i
	}
	latest := make([]lint.Outcome, len(specs))
	for len(active) > 0 {
		outs := r.lint(ctx, active)
		if len(r.pending) > 0 {
			if bad := brokenFiles(outs, prev, r.pending); len(bad) > 0 {
				r.reverify(ctx, bad, prev)
				outs = r.lint(ctx, active)
			}
			r.commit()
		}
		for j, o := range outs {
			latest[idx[j]] = o
		}
		if r.res.Passes == passes {
			break
		}
		r.res.Passes++
		r.base = maps.Clone(r.overlay)
		if !r.fixPass(outs) {
			break
		}
		keep := projectsWith(outs, r.pending)
		prev, active = make([]lint.Outcome, len(keep)), make([]project.Spec, len(keep))
		for k, j := range keep {
			prev[k], active[k] = outs[j], outs[j].Spec
			keep[k] = idx[j]
		}
		idx = keep
	}
	// What is left pending are line writes of fixes that edit no compose
	// file: nothing to load.
	r.commit()
	res := r.res
	res.latest = latest
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
}

func (r *run) lint(ctx context.Context, specs []project.Spec) []lint.Outcome {
	r.cfg.Load.Overlay = r.overlay
	return lint.Run(ctx, specs, r.cfg)
}

// fixPass collects the eligible fixes of outs and applies them in memory
// as pending changes; it reports whether any compose file changed.
func (r *run) fixPass(outs []lint.Outcome) bool {
	for abs, why := range pulledIn(outs) {
		if !r.refused[abs] {
			r.refused[abs] = true
			r.res.Skipped = append(r.res.Skipped, why)
		}
	}
	slices.SortFunc(r.res.Skipped, func(a, b Refusal) int { return strings.Compare(a.File, b.File) })
	byFile, files, standalone := collect(outs, r.opts, r.refused, r.res)
	for _, g := range standalone {
		if !linesChange(g.fix.Writes, r.overlay) {
			continue
		}
		addLines(g.fix.Writes, r.overlay)
		r.pending = append(r.pending, &pending{applied: []group{g}})
	}
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
		if len(pc.applied) > 1 {
			// Combined insertions are checked by Combine; should the
			// result still not load, reverify falls back to the fixes
			// that apply side by side, as they would without it.
			side := resultOf(sideBySide(nil, fixEdits(byFile[abs])))
			if alt, err := r.plan(src, byFile[abs], side, sideBySide); err == nil && len(alt.applied) < len(pc.applied) {
				pc.fallback = alt
			}
		}
		r.apply(pc)
		r.pending = append(r.pending, pc)
		changed = true
	}
	return changed
}

// pulledIn lists the files some project reads through `include` or
// `extends` from another file, with why a fix leaves them alone: compose-go
// reads such files from disk, so a pass could not load the project with
// the fixed file to check it, and an edit there changes every project that
// pulls it in. An extends base does not bring its top-level declarations
// along: a volume or secret a fix declares next to a base service is
// undefined in the file that extends it. SPEC §6: a fix never edits an
// extends base on behalf of one service.
func pulledIn(outs []lint.Outcome) map[string]Refusal {
	out := map[string]Refusal{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, f := range o.Project.AllFiles() {
			for _, inc := range f.Includes {
				if _, ok := out[inc.Abs]; !ok {
					out[inc.Abs] = Refusal{File: inc.Path, Reason: "not fixed: " + f.Path + " includes it; fix it on its own (composure fix " + inc.Path + ") and check the including project"}
				}
			}
			for _, name := range slices.Sorted(maps.Keys(f.Extends)) {
				base := f.Extends[name].File
				if base == nil || base == f {
					continue
				}
				if _, ok := out[base.Abs]; !ok {
					out[base.Abs] = Refusal{File: base.Path, Reason: "not fixed: service \"" + name + "\" of " + f.Path + " extends a service in it, and a change there would change that service too; fix it by hand in both files"}
				}
			}
		}
	}
	return out
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
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(order)) {
		wg.Go(func() {
			for k := range next {
				abs := order[k]
				out[k] = resultOf(transform.Combine(files[abs].file.Content, fixEdits(byFile[abs])))
			}
		})
	}
	for k := range order {
		next <- k
	}
	close(next)
	wg.Wait()
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
	return pc, nil
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
		err := verify(ctx, prev, pc.file.Abs, r.overlay, pc.next, r.cfg)
		if err != nil && pc.fallback != nil && verify(ctx, prev, pc.file.Abs, r.overlay, pc.fallback.next, r.cfg) == nil {
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
// pending change: no other project can have new fixes, or be broken.
func projectsWith(outs []lint.Outcome, pend []*pending) []int {
	var out []int
	for j, o := range outs {
		if o.Project == nil {
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

// source is a file as the last pass read it and its project directory.
type source struct {
	file *project.File
	root string
}

// collect gathers the eligible fixes of a pass per compose file. A file's
// fixes come once even when several projects include it.
func collect(outs []lint.Outcome, opts Options, refused map[string]bool, res *Result) (map[string][]group, map[string]source, []group) {
	byFile := map[string][]group{}
	var standalone []group
	files := map[string]source{}
	seen := map[string]bool{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, pf := range o.Project.AllFiles() {
			if _, ok := files[pf.Abs]; !ok {
				files[pf.Abs] = source{file: pf, root: o.Project.Dir}
			}
		}
		for _, f := range o.Findings {
			for _, secret := range f.Redact {
				if !slices.Contains(res.Redact, secret) {
					res.Redact = append(res.Redact, secret)
				}
			}
			fix := f.Fix
			if fix == nil || !eligible(fix, opts) || len(fix.Edits) == 0 && len(fix.Writes) == 0 {
				continue
			}
			if len(fix.Edits) == 0 {
				key := fmt.Sprint(f.Rule, f.Pos, f.Path)
				if !seen[key] {
					seen[key] = true
					standalone = append(standalone, group{finding: f, fix: fix})
				}
				continue
			}
			abs := fix.Edits[0].File
			if refused[abs] || !sameFile(fix.Edits, abs) {
				continue
			}
			key := fmt.Sprint(f.Rule, f.Pos, f.Path)
			if seen[key] {
				continue
			}
			seen[key] = true
			if reason := blocked(fix.Writes); reason != "" {
				// Every pass finds it again: say it once.
				if r := (Refusal{File: f.Pos.File, Reason: reason}); !slices.Contains(res.Refused, r) {
					res.Refused = append(res.Refused, r)
				}
				continue
			}
			byFile[abs] = append(byFile[abs], group{finding: f, fix: fix})
		}
	}
	return byFile, files, standalone
}

func eligible(fix *lint.Fix, opts Options) bool {
	return fix.Applicability == lint.Safe || (opts.Unsafe && fix.Applicability == lint.Unsafe)
}

func sameFile(edits []transform.Edit, abs string) bool {
	for _, e := range edits {
		if e.File != abs {
			return false
		}
	}
	return true
}

// blocked reports why a fix's file writes cannot happen: a secret file
// that exists with other content is never overwritten, and a line to
// delete must be in its file exactly once.
func blocked(ws []lint.FileWrite) string {
	for _, w := range ws {
		switch w.Kind {
		case lint.CreateSecret:
			old, err := write.ReadRegular(w.Path)
			if err == nil && !bytes.Equal(old, []byte(w.Content)) {
				return fmt.Sprintf("%s already exists with other content; it is never overwritten", w.Path)
			}
			if _, lerr := os.Lstat(w.Path); err != nil && lerr == nil {
				return fmt.Sprintf("%s exists and is not a regular file; it is never overwritten", w.Path)
			}
		case lint.DeleteLine:
			old, _ := write.ReadRegular(w.Path)
			if n := bytes.Count(old, []byte(w.Content)); n != 1 {
				return fmt.Sprintf("the line to move out of %s is there %d times, not once", w.Path, n)
			}
		}
	}
	return ""
}

// verify re-loads every project of outs that contains abs with the new
// content.
func verify(ctx context.Context, outs []lint.Outcome, abs string, overlay map[string][]byte, next []byte, cfg lint.Config) error {
	trial := maps.Clone(overlay)
	trial[abs] = next
	load := cfg.Load
	load.Overlay = trial
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

// acceptLines filters applied group indexes: a group whose .env line sets a
// variable that the overlay or an earlier group of this pass sets to
// another value waits for the next pass (it will pick another name).
func acceptLines(gs []group, applied []int, overlay map[string][]byte) (ok, later []int) {
	claimed := map[string]string{} // path + variable -> line
	for _, i := range applied {
		clash := false
		for _, w := range gs[i].fix.Writes {
			if w.Kind != lint.EnsureLine || !w.Secret {
				continue
			}
			name, _, _ := strings.Cut(w.Content, "=")
			key := w.Path + "\x00" + name
			if prev, ok := claimed[key]; ok && prev != w.Content {
				clash = true
			}
			if existing := envLine(currentContent(w.Path, overlay), name); existing != "" && existing != w.Content {
				clash = true
			}
		}
		if clash {
			later = append(later, i)
			continue
		}
		for _, w := range gs[i].fix.Writes {
			if w.Kind == lint.EnsureLine && w.Secret {
				name, _, _ := strings.Cut(w.Content, "=")
				claimed[w.Path+"\x00"+name] = w.Content
			}
		}
		ok = append(ok, i)
	}
	return ok, later
}

// linesChange reports whether writes would change anything given the
// overlay (a write-only fix already applied in an earlier pass does not).
func linesChange(ws []lint.FileWrite, overlay map[string][]byte) bool {
	for _, w := range ws {
		cur := currentContent(w.Path, overlay)
		switch w.Kind {
		case lint.EnsureLine:
			if !write.HasLine(cur, w.Content) {
				return true
			}
		case lint.DeleteLine:
			if bytes.Contains(cur, []byte(w.Content)) {
				return true
			}
		}
	}
	return false
}

// addLines puts appended and deleted lines into the overlay, so later passes
// (and the loader's view of .env, env files and .gitignore) see them.
func addLines(ws []lint.FileWrite, overlay map[string][]byte) {
	for _, w := range ws {
		if w.Kind == lint.DeleteLine {
			overlay[w.Path] = bytes.Replace(currentContent(w.Path, overlay), []byte(w.Content), nil, 1)
			continue
		}
		if w.Kind != lint.EnsureLine {
			continue
		}
		// The same line test and append, BOM and CRLF included, as
		// write.EnsureLine uses on disk: --diff and later passes see what
		// will be written.
		cur := currentContent(w.Path, overlay)
		if write.HasLine(cur, w.Content) {
			continue
		}
		overlay[w.Path] = write.AppendLine(cur, w.Content)
	}
}

func currentContent(path string, overlay map[string][]byte) []byte {
	if b, ok := overlay[path]; ok {
		return b
	}
	b, _ := write.ReadRegular(path) // not a FIFO (a hostile .gitignore)
	return b
}

// envLine returns the line of content that sets name, or "".
func envLine(content []byte, name string) string {
	for _, l := range strings.Split(strings.TrimPrefix(string(content), "\ufeff"), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.HasPrefix(strings.TrimPrefix(l, "export "), name+"=") {
			return l
		}
	}
	return ""
}
