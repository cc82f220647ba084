package fixer

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// pulledIn lists the files some project reads through `include` or
// `extends` from another file, with why a fix leaves them alone: compose-go
// reads such files from disk, so a pass could not load the project with
// the fixed file to check it, and an edit there changes every project that
// pulls it in. An extends base does not bring its top-level declarations
// along: a volume or secret a fix declares next to a base service is
// undefined in the file that extends it. SPEC §6: a fix never edits an
// extends base on behalf of one service.
//
// An included file or an extends base is named only when a project
// reports a problem in it, and the advice to fix it on its own is given only when that is
// true: linted alone, it loads and has fixes to apply (issue 13, point 9:
// the advice was printed for every included file, and `composure fix` on
// one that needs the including project's networks or variables failed to
// load, or had nothing to fix).
func (r *run) pulledIn(ctx context.Context, outs []lint.Outcome) map[string]Refusal {
	out := map[string]Refusal{}
	type inclusion struct{ by, inc *project.File }
	var included []inclusion
	reported := map[string]bool{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, f := range o.Project.AllFiles() {
			for _, inc := range f.Includes {
				included = append(included, inclusion{f, inc})
				reported[inc.Abs] = reported[inc.Abs] || reportsIn(o, inc)
			}
			for _, name := range slices.Sorted(maps.Keys(f.Extends)) {
				base := f.Extends[name].File
				if base == nil || base == f {
					continue
				}
				reported[base.Abs] = reported[base.Abs] || reportsIn(o, base)
				if _, ok := out[base.Abs]; !ok {
					out[base.Abs] = Refusal{File: base.Path, Reason: "not fixed: service \"" + name + "\" of " + f.Path + " extends a service in it, and a change there would change that service too; fix it by hand in both files"}
				}
			}
		}
	}
	// An extends base is named, like an included file, only when a
	// project reports a problem in it: with nothing to fix there, "fix it
	// by hand" is noise.
	for abs := range out {
		if !reported[abs] {
			delete(out, abs)
			r.refused[abs] = true
		}
	}
	for _, in := range included {
		if _, ok := out[in.inc.Abs]; ok || r.refused[in.inc.Abs] {
			continue
		}
		if !reported[in.inc.Abs] {
			r.refused[in.inc.Abs] = true // left alone all the same, with nothing to say
			continue
		}
		out[in.inc.Abs] = Refusal{File: in.inc.Path, Reason: r.includedAdvice(ctx, in.by, in.inc)}
	}
	return out
}

// reportsIn reports whether o has a finding in file f.
func reportsIn(o lint.Outcome, f *project.File) bool {
	for _, fd := range o.Findings {
		if fd.Pos.File == f.Path || filepath.Clean(fd.Pos.File) == f.Abs {
			return true
		}
	}
	return false
}

// includedAdvice says why an included file is left alone and what to do:
// `composure fix <file>` when that command would fix something (the file
// linted on its own loads and has a fix this run would apply), else fix
// it by hand.
func (r *run) includedAdvice(ctx context.Context, by, inc *project.File) string {
	why := "not fixed: " + by.Path + " includes it"
	spec := project.Spec{Files: []string{inc.Abs}, Dir: filepath.Dir(inc.Abs)}
	cfg := r.cfg
	cfg.Load = WithOverlay(cfg.Load, r.overlay)
	alone := lint.Run(ctx, []project.Spec{spec}, cfg)[0]
	switch {
	case alone.Err != nil:
		msg, _, _ := strings.Cut(alone.Err.Error(), "\n")
		return why + ", and it does not load on its own (" + msg + "): fix it by hand, then run composure lint on " + by.Path
	case !slices.ContainsFunc(alone.Findings, func(f lint.Finding) bool { return f.Fix != nil && eligible(f.Fix, r.opts) }):
		return why + ", and on its own it has nothing composure can fix: fix it by hand, then run composure lint on " + by.Path
	}
	return why + "; fix it on its own (composure fix " + inc.Path + ") and check the including project"
}
