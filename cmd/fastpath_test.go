package cmd

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules/project"
)

// TestFastPathSameFindings: the fast load (compose-go handed our own
// parse of each file, reduced casts, our project name, path resolution on
// a view; rules/project/fastload.go) gives exactly the findings and errors
// of compose-go's own default load, on every corpus file.
func TestFastPathSameFindings(t *testing.T) {
	files := corpusFiles(t, "dev")
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	// Errors are compared whole: the loader makes compose-go's choice
	// among several problems of a file the same on every run.
	render := func(fast bool) []byte {
		cfg, err := (&lintOptions{Paths: files}).buildRunConfig()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Load.Environ = []string{}
		if !fast {
			cfg.Loader = project.LoadReference
		}
		res := lintAll(context.Background(), cfg)
		var buf bytes.Buffer
		if err := report.NewJSON().Report(&buf, &res.Result); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	fast, slow := render(true), render(false)
	if diff := cmp.Diff(string(slow), string(fast)); diff != "" {
		t.Errorf("the fast load changes the output (-compose-go load +fast load):\n%s", diff)
	}
}
