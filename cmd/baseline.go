package cmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/composure-dev/composure/rules/baseline"
)

// baselineOptions are --baseline and --write-baseline (README: adopting
// composure on an existing repository).
type baselineOptions struct {
	Use   string
	Write string
	b     *baseline.Baseline
}

// loadBaseline reads --baseline before anything is linted, so a missing or
// broken file fails at once (exit 2).
func (o *lintOptions) loadBaseline() error {
	if o.Baseline.Use == "" || o.Baseline.Write != "" {
		return nil
	}
	b, err := baseline.Load(o.Baseline.Use)
	if err != nil {
		return usageError("--baseline: %v", err)
	}
	o.Baseline.b = b
	return nil
}

// applyBaseline records the findings (--write-baseline), or drops those
// the baseline records (--baseline) and notes its stale entries on
// stderr: fixed findings, or findings that moved to another service or
// model path. Notes do not change the exit code; record the baseline
// again to drop them.
func (o *lintOptions) applyBaseline(res *runResult) error {
	if path := o.Baseline.Write; path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return usageError("--write-baseline: %v", err)
		}
		b, err := baseline.New(res.Findings, filepath.Dir(abs))
		if err != nil {
			return usageError("--write-baseline: %v", err)
		}
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			return &exitError{code: ExitInternal, err: err}
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return usageError("--write-baseline: %v", err)
		}
		if err := os.WriteFile(abs, buf.Bytes(), 0o644); err != nil {
			return usageError("--write-baseline: %v", err)
		}
		fmt.Fprintf(o.io.Err, "composure: recorded %d findings in %s; lint with --baseline %s to report only new ones\n", len(res.Findings), path, path)
		res.Findings = nil
		return nil
	}
	b := o.Baseline.b
	if b == nil {
		return nil
	}
	kept, stale := b.Filter(res.Findings, res.Linted)
	res.Findings = kept
	for _, e := range stale {
		where := e.Rule + " in " + e.File
		if e.Service != "" {
			where += " (service " + e.Service + ")"
		}
		fmt.Fprintf(o.io.Err, "%s: note: stale baseline entry: %s matches no finding any more (fixed, or moved to another service or key); run --write-baseline %s to drop it\n", o.Baseline.Use, where, o.Baseline.Use)
	}
	return nil
}
