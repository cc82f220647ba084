package fixer

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/transform"
)

// Withholding: which of a pass's fixes break a run, tried alone on the
// pass's starting files (verify_runs.go judges the runs).

// touches reports whether pc changes what the run of f reads: one of its
// compose or env files, or a .env variable its compose files name (a
// shared .env gets lines from the fixes of every file beside it).
func (r *run) touches(pc *pending, f failure) bool {
	if pc.file != nil {
		if _, ok := f.read[pc.file.Abs]; ok {
			return true
		}
	}
	for _, g := range pc.applied {
		for _, w := range g.fix.Writes {
			if _, ok := f.read[w.Path]; !ok || filepath.Base(w.Path) == ".gitignore" {
				continue
			}
			if filepath.Base(w.Path) != ".env" || len(f.run.envFiles) > 0 {
				return true
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(w.Content), "export "), "=")
			for _, file := range f.run.spec.Files {
				text := r.text(file, r.base)
				if bytes.Contains(text, []byte(name)) || bytes.Contains(text, []byte(".env")) {
					return true
				}
			}
		}
	}
	return false
}

// differing are the variables f's run now gets otherwise, whether or not
// other keys differ too.
func (f failure) differing() map[string]bool {
	if f.vars != nil {
		return f.vars
	}
	return f.varsToo
}

// writesVar reports whether pc writes a .env line of a variable that
// f's run now gets otherwise.
func (r *run) writesVar(pc *pending, f failure) bool {
	vars := f.differing()
	if vars == nil {
		return false
	}
	for _, g := range pc.applied {
		for _, w := range g.fix.Writes {
			if filepath.Base(w.Path) != ".env" {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(w.Content), "export "), "=")
			if vars[name] {
				return true
			}
		}
	}
	return false
}

// withhold finds, for each failure, the fixes that cause it: each change
// that touches the run is tried alone on the pass's base, and within a
// change that fails alone, each fix alone. The fixes that fail are
// withheld; when none fails alone (they fail together), or on the last
// round (all), every fix of the suspect changes is.
func (r *run) withhold(ctx context.Context, failures []failure, all bool) {
	drop := map[*pending]map[int]string{}
	mark := func(pc *pending, i int, reason string) {
		if drop[pc] == nil {
			drop[pc] = map[int]string{}
		}
		if _, ok := drop[pc][i]; !ok {
			drop[pc][i] = reason
		}
	}
	for _, f := range failures {
		var named nameIndex // f.problems by name, for varReasons
		var suspects, likely []*pending
		for _, pc := range r.pending {
			if r.touches(pc, f) {
				suspects = append(suspects, pc)
				if r.writesVar(pc, f) {
					likely = append(likely, pc)
				}
			}
		}
		found := false
		// The changes that write a variable the run now gets otherwise
		// are tried first: in a folder of many compose files sharing one
		// .env, every change touches every run that loads .env, and
		// trying each alone costs a load per pair. The others are tried
		// only when those do not explain the failure.
		for k, set := range [][]*pending{likely, suspects} {
			for _, pc := range set {
				// Trials stop at the first change that explains the
				// failure (the next round judges the run again);
				// varReasons, which needs no load, names every one.
				if all || found && len(likely) > 0 && (k > 0 || trialEvery) {
					break
				}
				if k == 0 && !trialEvery {
					// A change that writes a variable the run now gets
					// otherwise fails alone, as its fixes that write one
					// do: no trial needed (varReasons).
					if named == nil {
						named = indexNames(f.problems)
					}
					for i, reason := range r.varReasons(pc, f, named) {
						if reason != "" {
							found = true
							mark(pc, i, reason)
						}
					}
					continue
				}
				if r.passesAlone(ctx, f, pc, nil) {
					continue
				}
				for i := range pc.applied {
					if len(pc.applied) > 1 && r.passesAlone(ctx, f, pc, []int{i}) {
						continue
					}
					found = true
					mark(pc, i, r.reasonAlone(ctx, f, pc, i))
				}
			}
			if found {
				break
			}
		}
		if !found {
			for _, pc := range suspects {
				for i := range pc.applied {
					mark(pc, i, f.reason)
				}
			}
		}
	}
	r.dropFixes(drop)
}

// trialEvery makes withhold try every change alone, as it did before
// varReasons.
var trialEvery = false

// varReasons are, for each fix of pc, why it fails f's run alone when it
// writes a .env line of a variable the run gets otherwise (differing:
// the variables that differ; other keys may too), else "". Alone, such a
// fix gives the run that variable as all the pass's changes do (no other
// fix of the pass writes it with another value, acceptLines), and nothing
// else it reads: the problems are those of f that name the variable, and
// the reason is what judging the fix alone says (reasonAlone), without
// the load. Where the variable differs only through two changes together
// (one moves the run's own entry, the other fills .env), this names the
// .env one; either way the next round judges the run again, and the
// last withholds every suspect left. So does a run where other keys
// differ too (a build arg or a healthcheck that interpolates a moved
// variable): the next round judges what is left without these fixes.
// TestVarReasonsSameAsTrials compares the two ways.
func (r *run) varReasons(pc *pending, f failure, named nameIndex) []string {
	out := make([]string, len(pc.applied))
	for i, g := range pc.applied {
		for _, w := range g.fix.Writes {
			if filepath.Base(w.Path) != ".env" {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(w.Content), "export "), "=")
			if !f.differing()[name] {
				continue
			}
			mine := named.naming(f.problems, name)
			if len(mine) == 0 {
				continue
			}
			out[i] = "with " + r.runName(f.run) + ", " + mine[0]
			if len(mine) > 1 {
				out[i] += fmt.Sprintf(" (and %d more)", len(mine)-1)
			}
			break
		}
	}
	return out
}

// nameIndex maps each whole name in a list of problems (a maximal run of
// the bytes of a name: the names containsName finds) to the problems that
// hold it, in order. A pass's failure has hundreds of problems, and
// varReasons asks for the ones that name each variable of each fix.
type nameIndex map[string][]int

func indexNames(problems []string) nameIndex {
	ix := nameIndex{}
	for i, p := range problems {
		for start, end := range nameRuns(p) {
			word := p[start:end]
			if list := ix[word]; len(list) == 0 || list[len(list)-1] != i {
				ix[word] = append(list, i)
			}
		}
	}
	return ix
}

// naming are the problems that name name (containsName), in order.
func (ix nameIndex) naming(problems []string, name string) []string {
	var out []string
	if strings.IndexFunc(name, func(c rune) bool { return c >= 0x80 || !nameByte(byte(c)) }) >= 0 {
		// Not a name of name bytes alone: no run of them is the whole of
		// it, so search as containsName does.
		for _, p := range problems {
			if containsName([]byte(p), name) {
				out = append(out, p)
			}
		}
		return out
	}
	for _, i := range ix[name] {
		out = append(out, problems[i])
	}
	return out
}

// passesAlone reports whether the run of f passes with only pc's change
// on the pass's base (only the fixes only of pc when given).
func (r *run) passesAlone(ctx context.Context, f failure, pc *pending, only []int) bool {
	trial, sub := r.trial(pc, only)
	if trial == nil {
		return false
	}
	_, bad := r.judge(ctx, f.run, trial, changedFiles(r.base, trial, r.disk), aimsOf([]*pending{sub}))
	return !bad
}

// reasonAlone is why fix i of pc fails alone, or f's reason.
func (r *run) reasonAlone(ctx context.Context, f failure, pc *pending, i int) string {
	trial, sub := r.trial(pc, []int{i})
	if trial == nil {
		return f.reason
	}
	if g, bad := r.judge(ctx, f.run, trial, changedFiles(r.base, trial, r.disk), aimsOf([]*pending{sub})); bad {
		return g.reason
	}
	return f.reason
}

// trial is the base with pc's change, or with only the fixes only of it.
func (r *run) trial(pc *pending, only []int) (map[string][]byte, *pending) {
	sub := pc
	if only != nil {
		sub = r.replan(pc, only)
		if sub == nil {
			return nil, nil
		}
	}
	trial := maps.Clone(r.base)
	if sub.file != nil {
		trial[sub.file.Abs] = sub.next
	}
	for _, g := range sub.applied {
		addLines(g.fix.Writes, trial)
	}
	return trial, sub
}

// replan is pc with only the fixes keep, merged as the pass merged them
// (transform.Combine) on the bytes pc started from; a fix that no longer
// fits beside the others waits for the next pass, as any conflict does.
// nil when none applies.
func (r *run) replan(pc *pending, keep []int) *pending {
	gs := make([]group, 0, len(keep))
	for _, i := range keep {
		gs = append(gs, pc.applied[i])
	}
	if pc.file == nil {
		return &pending{applied: gs}
	}
	src := source{file: pc.file, root: pc.root}
	first := resultOf(transform.Combine(pc.file.Content, fixEdits(gs)))
	saved := r.overlay
	r.overlay = r.base // acceptLines compares with the pass's starting point
	defer func() { r.overlay = saved }()
	next, err := r.plan(src, gs, first, transform.Combine)
	if err != nil || len(next.applied) == 0 {
		return nil
	}
	next.dropped += pc.dropped
	// earlyCheck withholds before the lint that tells whether the
	// combined insertions load: the fallback is kept, as fixPass has it.
	if pc.fallback != nil {
		if next.fallback = r.fallbackOf(src, gs, next); next.fallback != nil {
			next.fallback.dropped += pc.dropped
		}
	}
	return next
}

// dropFixes withholds the marked fixes: they are recorded and never
// proposed again this run, and each change is replanned without them
// (dropped whole when nothing is left); the overlay is rebuilt.
func (r *run) dropFixes(drop map[*pending]map[int]string) {
	var kept []*pending
	for _, pc := range r.pending {
		d := drop[pc]
		if len(d) == 0 {
			kept = append(kept, pc)
			continue
		}
		var keep []int
		for i, g := range pc.applied {
			reason, ok := d[i]
			if !ok {
				keep = append(keep, i)
				continue
			}
			r.recordWithheld(g, reason)
		}
		if len(keep) == 0 {
			continue
		}
		if next := r.replan(pc, keep); next != nil {
			kept = append(kept, next)
		}
	}
	r.overlay = maps.Clone(r.base)
	for _, pc := range kept {
		r.apply(pc)
	}
	r.pending = kept
}
