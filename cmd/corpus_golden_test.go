package cmd

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCorpusGolden keeps the findings and errors of `composure lint` on
// the whole corpus (one run over the folder, as a user runs it) in a
// reviewed golden file, one line each: any change of behaviour shows there
// as a diff to read before it is committed (run with -update). It is the
// test that keeps loading projects byte-identical across refactors and
// findings on known images unchanged when knowledge grows.
func TestCorpusGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	dir := filepath.Join(corpusDir, "dev")
	corpusFiles(t, "dev") // skips without the corpus
	cfg, err := (&lintOptions{Paths: []string{dir}}).buildRunConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Load.Environ = []string{}
	res := lintAll(context.Background(), cfg)
	if res.Internal != nil {
		t.Fatal(res.Internal)
	}
	rel := func(file string) string {
		r, err := filepath.Rel(dir, file)
		if err != nil {
			return file
		}
		return filepath.ToSlash(r)
	}
	var lines []string
	for _, f := range res.Findings {
		fix := "-"
		if f.Fix != nil {
			fix = f.Fix.Applicability.String()
		}
		if f.Partial {
			fix = "partial"
		}
		lines = append(lines, fmt.Sprintf("%s:%d:%d %s %s %s fix=%s %s: %s", rel(f.Pos.File), f.Pos.Line, f.Pos.Column,
			f.Severity, f.Rule, f.Service, fix, f.Path, f.Message))
	}
	for _, e := range res.Errors {
		lines = append(lines, fmt.Sprintf("%s:%d:%d error-to-load: %s", rel(e.File), e.Line, e.Column, e.Message))
	}
	sort.Strings(lines)
	golden(t, "corpus-dev.golden", strings.Join(lines, "\n")+"\n")
}
