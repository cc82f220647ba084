package fixer

import (
	"context"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Fix is the whole fix command, in the one order that is right: plan the
// fixes (Run), write them unless opts.DryRun (Apply, which takes back what
// it could not write), and lint what is left, as if the fixes were written
// when they were not. The result's Refused holds every file left
// untouched, planned or written, and After the outcome of each spec after
// the fixes.
func Fix(ctx context.Context, specs []project.Spec, cfg lint.Config, opts Options) *Result {
	res := Run(ctx, specs, cfg, opts)
	if ctx.Err() != nil {
		// A cancelled plan is not written: nothing half done.
		res.Interrupted = InterruptedBeforeWriting
		return res
	}
	after := cfg
	after.Load = WithOverlay(cfg.Load, nil)
	if opts.DryRun {
		after.Load = WithOverlay(cfg.Load, res.overlay)
	} else {
		// Apply does not stop midway: a file is written whole or not.
		res.Refused = append(res.Refused, Apply(res)...)
		if ctx.Err() != nil {
			res.Interrupted = InterruptedAfterWriting
			return res
		}
	}
	res.After = res.Remaining(ctx, specs, after, !opts.DryRun)
	res.Fixed = fixedCount(res.before, res.After, opts)
	return res
}

// WithOverlay is load with the files as a fix pass leaves them: the
// overlay's content, and the .gitignore lines it adds counted as
// ignoring what they will ignore once written.
func WithOverlay(load project.Options, overlay map[string][]byte) project.Options {
	load.Overlay = overlay
	load.PendingIgnored = nil
	if len(overlay) > 0 {
		load.PendingIgnored = func(abs string) bool { return pendingIgnored(abs, overlay) }
	}
	return load
}
