package fixer

import (
	"bytes"
	"context"
	"path/filepath"

	"github.com/composure-dev/composure/rules/lint"
)

// Why this file exists: a run whose service loads a shared .env whole
// (`env_file: .env`) gets every variable a pass moves there, so in a
// folder of compose files that share one .env it fails on every move of
// the pass (issue 13, point 9: hoppscotch). checkRuns finds that after
// the pass's lint, and the withholding it leads to makes the lint stale:
// a second lint of every project the withheld fixes touched. Judged
// before the lint, the runs that load a changed .env whole withhold those
// fixes first, and the lint sees the files as they will be kept.
//
// Nothing is decided here that checkRuns would not decide: these runs are
// judged as checkRuns judges them (judge), only their failures on .env
// variables are acted on here (varReasons names their fixes without a
// load; a run that no longer loads, or differs otherwise, is left to
// checkRuns, after the lint, whose reverify tells a change that breaks a
// load from one that changes a run), and checkRuns judges every run again
// after the lint.

// earlyCheck withholds the pending fixes that put a .env variable into a
// run that loads that .env whole as a service's env file, before the
// pass's lint; prev are the outcomes the pending changes were made from.
// It returns the failures it acted on (the pass's deferred fixes are
// judged against them too, withholdDeferred).
func (r *run) earlyCheck(ctx context.Context, prev []lint.Outcome) []failure {
	r.ensureCheck()
	// A secret bound for a file git tracks is withheld for that first,
	// whatever the runs say.
	r.withholdTracked(ctx)
	changed := changedFiles(r.base, r.overlay, r.disk)
	var envs []string
	for abs := range changed {
		if filepath.Base(abs) == ".env" {
			envs = append(envs, abs)
		}
	}
	if len(envs) == 0 {
		return nil
	}
	runs := r.candidates(prev, r.base, changed, r.overlay, func(rs runSpec) bool { return r.loadsWhole(rs, envs) })
	// Rounds as checkRuns has them: withhold may leave a failure's other
	// culprits to the next (its trials stop at the first), and the runs
	// that failed are judged again until they pass, or fail otherwise.
	var acted []failure
	for round := 0; round < maxRechecks-1 && len(runs) > 0; round++ {
		if round > 0 {
			changed = changedFiles(r.base, r.overlay, r.disk)
		}
		aimed := aimsOf(r.pending)
		failures := r.judgeAll(ctx, runs, func(rs runSpec) (failure, bool) {
			f, bad := r.judge(ctx, rs, r.overlay, changed, aimed)
			return f, bad && f.differing() != nil
		})
		if len(failures) == 0 {
			break
		}
		acted = append(acted, failures...)
		r.withhold(ctx, failures, false)
		runs = runs[:0]
		for _, f := range failures {
			runs = append(runs, f.run)
		}
	}
	return acted
}

func (r *run) ensureCheck() {
	if r.check == nil {
		r.check = &runCheck{runs: newRunSet(r.cfg.Load), evals: map[string][]cachedEval{}, reads: r.disk}
	}
}

// loadsWhole reports whether a compose file of rs may give a service one
// of envs (changed .env files of its folder) as an env file: it has
// `env_file` and names `.env` as a whole path element. A run it misses is
// still judged after the lint.
func (r *run) loadsWhole(rs runSpec, envs []string) bool {
	mine := false
	for _, e := range envs {
		if filepath.Dir(e) == rs.spec.Dir {
			mine = true
		}
	}
	if !mine {
		return false
	}
	for _, f := range rs.spec.Files {
		text := r.text(f, r.base)
		if bytes.Contains(text, []byte("env_file")) && namesDotEnv(text) {
			return true
		}
	}
	return false
}

// namesDotEnv reports whether text has `.env` as a path element: not
// after a name byte or a dot (db.env, ..env) and not followed by one
// (.env.local, .envrc).
func namesDotEnv(text []byte) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], []byte(".env"))
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(".env")
		if (start == 0 || !nameByte(text[start-1]) && text[start-1] != '.') &&
			(end == len(text) || !nameByte(text[end]) && text[end] != '.') {
			return true
		}
		off = end
	}
}
