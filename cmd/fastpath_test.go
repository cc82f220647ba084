package cmd

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/cmd/report"
)

// TestSharedParseSameFindings: handing compose-go our own parse of each
// file (the fast path) gives exactly the findings and errors of letting
// compose-go parse the bytes itself, on every corpus file.
func TestSharedParseSameFindings(t *testing.T) {
	files := corpusFiles(t, "dev")
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	// Errors are compared by file: compose-go's schema messages are not
	// deterministic when a file has several problems (map order).
	render := func(shared bool) []byte {
		cfg, err := (&lintOptions{Paths: files}).buildRunConfig()
		if err != nil {
			t.Fatal(err)
		}
		cfg.Load.Environ = []string{}
		cfg.Load.NoSharedParse = !shared
		res := lintAll(context.Background(), cfg)
		for i := range res.Errors {
			res.Errors[i] = report.LoadError{File: res.Errors[i].File}
		}
		var buf bytes.Buffer
		if err := report.NewJSON().Report(&buf, &res.Result); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	fast, slow := render(true), render(false)
	if diff := cmp.Diff(string(slow), string(fast)); diff != "" {
		t.Errorf("the shared parse changes the output (-compose-go parse +shared parse):\n%s", diff)
	}
}
