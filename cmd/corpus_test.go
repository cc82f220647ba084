package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/cmd/report"
)

// corpusDir is the shared corpus of real compose files; a fresh clone
// does not have it, and the corpus tests skip.
const corpusDir = "../../shared/corpus"

func corpusFiles(t *testing.T, sub string) []string {
	t.Helper()
	dir := filepath.Join(corpusDir, sub)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// lintOne lints one file given explicitly, as `composure lint FILE` does,
// and renders the JSON report.
func lintOne(t *testing.T, file string) (*runResult, []byte) {
	t.Helper()
	cfg, err := (&lintOptions{Paths: []string{file}}).buildRunConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Load.Environ = []string{}
	cfg.Jobs = 1
	res := lintAll(context.Background(), cfg)
	var buf bytes.Buffer
	if err := report.NewJSON().Report(&buf, &res.Result); err != nil {
		t.Fatal(err)
	}
	return res, buf.Bytes()
}

// Every real file lints without a panic or internal error and yields a
// valid JSON document.
func TestCorpusDev(t *testing.T) {
	files := corpusFiles(t, "dev")
	loaded := 0
	for _, f := range files {
		res, out := lintOne(t, f)
		if res.Internal != nil {
			t.Errorf("%s: internal error: %v", f, res.Internal)
		}
		if !json.Valid(out) {
			t.Errorf("%s: invalid JSON output", f)
		}
		if len(res.Errors) == 0 {
			loaded++
		}
	}
	t.Logf("%d files, %d loaded", len(files), loaded)
	if loaded < len(files)*3/4 {
		t.Errorf("only %d of %d corpus files loaded", loaded, len(files))
	}
}

// Every invalid file gives an errors[] entry, not a crash.
func TestCorpusInvalid(t *testing.T) {
	for _, f := range corpusFiles(t, "invalid") {
		res, out := lintOne(t, f)
		if res.Internal != nil {
			t.Errorf("%s: internal error: %v", f, res.Internal)
		}
		if !json.Valid(out) {
			t.Errorf("%s: invalid JSON output", f)
		}
		if len(res.Errors) == 0 {
			t.Errorf("%s: no errors[] entry for an invalid file", filepath.Base(f))
		}
	}
}
