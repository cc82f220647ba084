package cmd

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestFixRemainingSameAsRelint: what `fix --diff` reports as left, reusing
// the fix passes' outcomes where nothing they read changed, is exactly
// what linting every project again with the fixed files gives, on the
// whole corpus (where every project shares one directory, and so one .env
// that the fixes keep adding to).
func TestFixRemainingSameAsRelint(t *testing.T) {
	files := corpusFiles(t, "dev")
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	cfg, err := (&lintOptions{Paths: []string{corpusDir + "/dev"}}).buildRunConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Load.Environ = []string{}
	specs, errs := specsFor(cfg)
	res := fixer.Run(context.Background(), specs, cfg.Config, fixer.Options{})
	if len(res.Changes) < 100 {
		t.Fatalf("only %d of %d files fixed: the comparison proves little", len(res.Changes), len(files))
	}
	after := cfg.Config
	after.Load = fixer.WithOverlay(after.Load, res.Overlay())
	render := func(outs []lint.Outcome) string {
		r := &runResult{Result: report.Result{Errors: errs}}
		r.collect(outs)
		for i := range r.Errors {
			r.Errors[i] = report.LoadError{File: r.Errors[i].File}
		}
		var buf bytes.Buffer
		if err := report.NewJSON().Report(&buf, &r.Result); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	reused := render(res.Remaining(context.Background(), specs, after, false))
	if res.Reused < len(specs)/2 {
		t.Errorf("only %d of %d outcomes reused: the comparison proves little", res.Reused, len(specs))
	}
	relinted := render(lint.Run(context.Background(), specs, after))
	if diff := cmp.Diff(relinted, reused); diff != "" {
		t.Errorf("reusing outcomes changes what is left (-lint again +reused):\n%s", diff)
	}
}
