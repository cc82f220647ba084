package fixer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/composure-dev/composure/internal/parallel"
	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Why this file exists: SPEC §6 "verified as the project runs". Each
// pass's changes are checked, before they are kept, against every run that
// reads a changed file (runs.go): what each container receives must stay
// the same (effective.go). A fix whose result fails is withheld, with the
// reason, and the others of its file are kept when they pass without it.

// Withheld is a fix that was not made because the project would not run
// as before with it, and why. The reason never holds a secret value.
type Withheld struct {
	File    string
	Line    int
	Rule    string
	Service string
	Reason  string
}

// maxRechecks bounds the rounds of withholding in one pass: each round
// withholds at least one fix, and the last withholds every suspect left.
const maxRechecks = 4

// runCheck is the state of verification across one Run.
type runCheck struct {
	runs *runSet
	// evals is guarded by mu: runs are judged in parallel (judgeAll).
	mu    sync.Mutex
	evals map[string][]cachedEval
	envs  envCache
	words map[string]fileWords
	// reads are the run's reads of the disk (run.disk).
	reads *diskReads
}

type cachedEval struct {
	lenient bool
	eff     *effective
	err     error
}

// failure is a run that a pass's changes break.
type failure struct {
	run    runSpec
	reason string
	// vars, when set, are the only things that differ: variables (see
	// varsOnly); problems are then what differs, as compare says it.
	vars     map[string]bool
	problems []string
	// varsToo are the variables that differ when other keys differ too
	// (vars is then nil): withhold names their culprits as it does for
	// vars, and leaves the rest to its next round.
	varsToo map[string]bool
	// read are the files the run reads (before the changes).
	read map[string][]byte
}

// checkRuns verifies the pending changes of a pass against every run that
// reads a file they change, and withholds the fixes that break one. After
// a round that withholds, relint gives the outcomes of the files as they
// are then, so that the next round judges the linted runs from their
// models first, as the first round does (modelsDiffer), not by loading
// each again. It returns the outcomes, and whether it changed the overlay
// since relint last gave them.
//
// earlyCheck, before the lint, withheld what the tracked files and the
// runs that load a .env whole refuse; early are its failures.
func (r *run) checkRuns(ctx context.Context, outs, prev []lint.Outcome, relint func([]lint.Outcome) []lint.Outcome, early []failure) ([]lint.Outcome, bool) {
	r.ensureCheck()
	changedAny := false
	var only map[string]bool // after a round: the runs to judge again
	seen := early
	defer func() { r.withholdDeferred(ctx, seen) }()
	for round := 0; round < maxRechecks; round++ {
		var pairs map[string]modelPair
		if round == 0 || !changedAny {
			pairs = r.pairs(outs, prev)
		}
		failures := r.failures(ctx, outs, pairs, only, r.overlay, r.pending)
		if len(failures) == 0 {
			return outs, changedAny
		}
		seen = append(seen, failures...)
		before := r.overlay
		r.withhold(ctx, failures, round == maxRechecks-1)
		if round < maxRechecks-1 {
			outs, changedAny = relint(outs), false
		} else {
			changedAny = true
		}
		// A run that passed and reads nothing the withholding changed
		// still passes: only the failed ones and those are judged again.
		only = map[string]bool{}
		for _, f := range failures {
			only[f.run.key()] = true
		}
		for _, rs := range r.candidates(outs, before, changedFiles(before, r.overlay, r.disk), r.overlay, nil) {
			only[rs.key()] = true
		}
	}
	return outs, changedAny
}

// failures judges every run that reads a file changed in overlay (from
// r.base), with the changes of pend.
func (r *run) failures(ctx context.Context, outs []lint.Outcome, pairs map[string]modelPair, only map[string]bool, overlay map[string][]byte, pend []*pending) []failure {
	changed := changedFiles(r.base, overlay, r.disk)
	if len(changed) == 0 {
		return nil
	}
	aimed := aimsOf(pend)
	var runs []runSpec
	for _, rs := range r.candidates(outs, r.base, changed, overlay, nil) {
		if only == nil || only[rs.key()] {
			runs = append(runs, rs)
		}
	}
	return r.judgeAll(ctx, runs, func(rs runSpec) (failure, bool) {
		if pair, ok := pairs[rs.key()]; ok && !r.modelsDiffer(pair, overlay, aimed) {
			return failure{}, false
		}
		return r.judge(ctx, rs, overlay, changed, aimed)
	})
}

// judgeAll judges runs on all cores (each run is loaded on its own, and
// a directory of many compose files has many runs); the failures come in
// the order of runs, whatever the order they finish in.
func (r *run) judgeAll(ctx context.Context, runs []runSpec, judge func(runSpec) (failure, bool)) []failure {
	type verdict struct {
		f   failure
		bad bool
	}
	verdicts := make([]verdict, len(runs))
	parallel.Each(ctx, len(runs), func(i int) {
		verdicts[i].f, verdicts[i].bad = judge(runs[i])
	})
	var out []failure
	for _, v := range verdicts {
		if v.bad {
			out = append(out, v.f)
		}
	}
	return out
}

// modelPair is a linted project as the pass found it (before) and as its
// lint loaded it with the pass's changes (after).
type modelPair struct {
	before, after *project.Project
	envFiles      []string
}

// pairs are the linted runs whose lint before and after the pass's
// changes can stand for their evaluation: both loaded whole.
func (r *run) pairs(outs, prev []lint.Outcome) map[string]modelPair {
	out := map[string]modelPair{}
	if len(prev) != len(outs) {
		return out
	}
	for i, o := range outs {
		b, a := prev[i].Project, o.Project
		if b == nil || a == nil || b.Model == nil || a.Model == nil || b.Partial || a.Partial || o.Err != nil || prev[i].Err != nil {
			continue
		}
		rs := r.check.runs.linted(o)
		out[rs.key()] = modelPair{before: b, after: a, envFiles: rs.envFiles}
	}
	return out
}

// modelsDiffer is the quick judge of a linted run, from the models its
// lint loaded: a run it finds unchanged is; one it finds changed is judged
// again by evaluate, strictly as compose runs it, which decides. A run
// that does not start before the pass, for a required env file that is
// not there, and that the pass does not create either, is unchanged too:
// judge would find it so (before and beforeCreated fail on that file),
// after one or two loads that cannot succeed.
func (r *run) modelsDiffer(pair modelPair, overlay map[string][]byte, aimed aims) bool {
	before, reqB, err := fromModel(pair.before, pair.envFiles, r.base)
	if missing := (*missingEnvFile)(nil); errors.As(err, &missing) {
		_, created := overlay[missing.path]
		return created
	}
	if err != nil {
		return true
	}
	after, reqA, err := fromModel(pair.after, pair.envFiles, overlay)
	if err != nil {
		return true
	}
	for k := range reqA {
		if !reqB[k] {
			return true
		}
	}
	return len(compare(before, after, aimed)) > 0
}

// judge compares run rs before (r.base) and after (overlay).
func (r *run) judge(ctx context.Context, rs runSpec, overlay map[string][]byte, changed map[string]bool, aimed aims) (failure, bool) {
	before, lenient, ok := r.before(ctx, rs)
	if !ok {
		before, lenient, ok = r.beforeCreated(ctx, rs, overlay)
	}
	if !ok || !readsAny(before.read, changed) {
		return failure{}, false
	}
	f := failure{run: rs, read: before.read}
	after, err := r.eval(ctx, rs, overlay, lenient)
	if err != nil {
		f.reason = fmt.Sprintf("%s would no longer load: %v", r.runName(rs), err)
		return f, true
	}
	problems := compare(before, after, aimed)
	if len(problems) == 0 {
		return failure{}, false
	}
	if vars, ok := varsOnly(before, after, aimed); len(vars) > 0 {
		f.problems = problems
		if ok {
			f.vars = vars
		} else {
			f.varsToo = vars
		}
	}
	f.reason = "with " + r.runName(rs) + ", " + problems[0]
	if len(problems) > 1 {
		f.reason += fmt.Sprintf(" (and %d more)", len(problems)-1)
	}
	return f, true
}

func (r *run) runName(rs runSpec) string {
	s := "`" + rs.command() + "`"
	if rs.how != "" {
		s += " (" + rs.how + ")"
	}
	return s
}

// before is the run as the pass found it: loaded strictly when it loads
// so, leniently when only a variable set at deploy time is missing; ok is
// false when it does not load at all (nothing to keep).
func (r *run) before(ctx context.Context, rs runSpec) (*effective, bool, bool) {
	e, err := r.eval(ctx, rs, r.base, false)
	if err == nil {
		return e, false, true
	}
	// Only a missing ${VAR:?} loads leniently; any other error would
	// fail the same way again (compose-go does not wrap it: the text).
	if !strings.Contains(err.Error(), "required variable") {
		return nil, false, false
	}
	if e, err := r.eval(ctx, rs, r.base, true); err == nil {
		return e, true, true
	}
	return nil, false, false
}

// beforeCreated is the run as the pass found it, for a run that does not
// load then because a file the pass creates is missing (an env file
// .env the run names, which a secret's move creates): loaded with those
// files there and blank, so that what the pass puts in them is judged
// as what it is, values its containers did not have. ok is false when
// it does not load that way either.
func (r *run) beforeCreated(ctx context.Context, rs runSpec, overlay map[string][]byte) (*effective, bool, bool) {
	var base map[string][]byte
	for abs := range overlay {
		if _, ok := r.base[abs]; ok || r.check.disk(abs) != nil || filepath.Base(abs) == ".gitignore" {
			continue
		}
		if _, err := os.Lstat(abs); err == nil {
			continue
		}
		if base == nil {
			base = maps.Clone(r.base)
		}
		// A blank line: an empty file, that the cache (which takes an
		// empty read for an absent file) tells from an absent one.
		base[abs] = []byte("\n")
	}
	if base == nil {
		return nil, false, false
	}
	e, err := r.eval(ctx, rs, base, false)
	if err == nil {
		return e, false, true
	}
	if !strings.Contains(err.Error(), "required variable") {
		return nil, false, false
	}
	if e, err := r.eval(ctx, rs, base, true); err == nil {
		return e, true, true
	}
	return nil, false, false
}

// eval is evaluate, cached: a run's result holds while the files it read
// are unchanged (the after of one pass is the before of the next).
func (r *run) eval(ctx context.Context, rs runSpec, overlay map[string][]byte, lenient bool) (*effective, error) {
	key := rs.key()
	r.check.mu.Lock()
	cached := slices.Clone(r.check.evals[key])
	r.check.mu.Unlock()
	for _, c := range cached {
		if c.lenient != lenient {
			continue
		}
		if got, ok, err := r.check.reuse(c.eff, c.err, rs, r.cfg.Load.Environ, overlay); ok {
			// A derived result is not kept: deriving it again is cheap,
			// and the loads it comes from are what the cache must keep
			// (the pass's before, used again each pass).
			r.check.used(key, c.eff)
			return got, err
		}
	}
	e, err := evaluate(ctx, rs, r.cfg.Load.Environ, overlay, lenient, r.disk)
	r.check.mu.Lock()
	defer r.check.mu.Unlock()
	r.check.evals[key] = append(r.check.evals[key], cachedEval{lenient: lenient, eff: e, err: err})
	if n := len(r.check.evals[key]); n > 4 {
		r.check.evals[key] = r.check.evals[key][n-4:]
	}
	return e, err
}

// used moves the cached result e of the run of key to the end, the last
// evicted: the trial loads of withholding would otherwise push out the
// pass's before.
func (c *runCheck) used(key string, e *effective) {
	c.mu.Lock()
	defer c.mu.Unlock()
	list := c.evals[key]
	for i, ce := range list {
		if ce.eff == e {
			c.evals[key] = append(append(list[:i:i], list[i+1:]...), ce)
			return
		}
	}
}

// changedFiles are the files whose bytes differ between two overlays
// (a file in neither is the disk's, read through disk).
func changedFiles(base, overlay map[string][]byte, disk *diskReads) map[string]bool {
	out := map[string]bool{}
	for k, v := range overlay {
		if old, ok := base[k]; !ok || !bytes.Equal(old, v) {
			if !ok {
				// Not changed by an earlier pass: compare with the disk.
				if now, _ := disk.read(k); bytes.Equal(now, v) {
					continue
				}
			}
			out[k] = true
		}
	}
	for k := range base {
		if _, ok := overlay[k]; !ok {
			out[k] = true
		}
	}
	return out
}

func readsAny(read map[string][]byte, changed map[string]bool) bool {
	for k := range read {
		if changed[k] {
			return true
		}
	}
	return false
}

// candidates are the runs that may read a file changed from the files of
// from to those of overlay: the linted projects that hold one, and the
// runs of each directory a changed file sits in, less those whose compose
// files plainly do not read it (a sibling that names none of the .env
// variables that changed). Given keep, only the runs it keeps are
// listed (tested before the costlier tests of the text).
func (r *run) candidates(outs []lint.Outcome, from map[string][]byte, changed map[string]bool, overlay map[string][]byte, keep func(runSpec) bool) []runSpec {
	var out []runSpec
	seen := map[string]bool{}
	add := func(rs runSpec) {
		if k := rs.key(); !seen[k] {
			seen[k] = true
			out = append(out, rs)
		}
	}
	kept := func(rs runSpec) bool { return keep == nil || keep(rs) }
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, f := range o.Project.AllFiles() {
			if changed[f.Abs] {
				if rs := r.check.runs.linted(o); kept(rs) {
					add(rs)
				}
				break
			}
		}
	}
	dirs := map[string]bool{}
	for abs := range changed {
		if filepath.Base(abs) != ".gitignore" {
			dirs[filepath.Dir(abs)] = true
		}
	}
	cs := newChangedNames(changed, changedVars(from, overlay, changed))
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		for _, rs := range r.check.runs.inDir(dir) {
			if !seen[rs.key()] && kept(rs) && r.mayRead(rs, cs, overlay) {
				add(rs)
			}
		}
	}
	return out
}

// changedNames is a set of changed files as mayRead tests runs against
// it: by path, and by base name (.gitignore left out), with the .env
// variables that changed.
type changedNames struct {
	files map[string]bool
	// bases counts the changed files of each base name; odd are the base
	// names with bytes a path word does not hold (searched for).
	bases map[string]int
	odd   []string
	vars  map[string][]string
}

func newChangedNames(changed map[string]bool, vars map[string][]string) *changedNames {
	cs := &changedNames{files: changed, bases: map[string]int{}, vars: vars}
	for abs := range changed {
		base := filepath.Base(abs)
		if base == ".gitignore" {
			continue
		}
		if cs.bases[base] == 0 && !plainName(base) {
			cs.odd = append(cs.odd, base)
		}
		cs.bases[base]++
	}
	return cs
}

// mayRead is the quick test of a run against the changed files, from the
// text of its compose files: a changed compose file or env file it is
// given, a .env variable it names, a file it names.
func (r *run) mayRead(rs runSpec, cs *changedNames, overlay map[string][]byte) bool {
	for _, f := range slices.Concat(rs.spec.Files, rs.envFiles) {
		if cs.files[f] {
			return true
		}
	}
	text := make([][]byte, len(rs.spec.Files))
	words := make([]fileWords, len(rs.spec.Files))
	for i, f := range rs.spec.Files {
		text[i] = r.text(f, overlay)
		words[i] = r.check.wordsOf(f, text[i])
	}
	bases := cs.bases
	if dot := filepath.Join(rs.spec.Dir, ".env"); cs.files[dot] && len(rs.envFiles) == 0 {
		// The run's own .env: by the variables that changed (or whole,
		// when the run names the file), not as a file it names.
		if slices.ContainsFunc(text, func(b []byte) bool { return bytes.Contains(b, []byte(".env")) }) ||
			slices.ContainsFunc(words, func(w fileWords) bool { return w.readsAny(cs.vars[dot]) }) {
			return true
		}
		if bases[".env"] == 1 {
			bases = maps.Clone(bases)
			delete(bases, ".env")
		}
	}
	for _, w := range words {
		if w.namesAny(bases) {
			return true
		}
	}
	for _, base := range cs.odd {
		if slices.ContainsFunc(text, func(b []byte) bool { return bytes.Contains(b, []byte(base)) }) {
			return true
		}
	}
	return false
}

func (r *run) text(abs string, overlay map[string][]byte) []byte {
	if b, ok := overlay[abs]; ok {
		return b
	}
	return r.check.disk(abs)
}

// changedVars are, per changed .env, the variables whose value changed.
func changedVars(base, overlay map[string][]byte, changed map[string]bool) map[string][]string {
	out := map[string][]string{}
	for abs := range changed {
		if filepath.Base(abs) != ".env" {
			continue
		}
		old, _ := dotenv.ParseWithLookup(bytes.NewReader(currentContent(abs, base)), nil)
		now, _ := dotenv.ParseWithLookup(bytes.NewReader(currentContent(abs, overlay)), nil)
		for k, v := range now {
			if o, ok := old[k]; !ok || o != v {
				out[abs] = append(out[abs], k)
			}
		}
		for k := range old {
			if _, ok := now[k]; !ok {
				out[abs] = append(out[abs], k)
			}
		}
	}
	return out
}

// aimsOf is what the applied fixes of pend change on purpose.
func aimsOf(pend []*pending) aims {
	a := aims{}
	for _, pc := range pend {
		for _, g := range pc.applied {
			a.add(g.finding.Rule, g.finding.Service)
			for _, s := range g.finding.Services {
				a.add(g.finding.Rule, s)
			}
		}
	}
	return a
}

func (r *run) recordWithheld(g group, reason string) {
	id := fingerprint.Of(g.finding)
	if r.withheld[id] {
		return
	}
	r.withheld[id] = true
	r.res.Withheld = append(r.res.Withheld, Withheld{
		File: g.finding.Pos.File, Line: g.finding.Pos.Line, Rule: g.finding.Rule, Service: g.finding.Service,
		Reason: reason,
	})
}

// withheldFinding reports whether f's fix was withheld this run.
func (r *run) withheldFinding(f lint.Finding) bool {
	return r.withheld[fingerprint.Of(f)]
}
