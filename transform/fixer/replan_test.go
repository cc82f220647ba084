package fixer

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// TestReplanKeepsFallback: a change replanned without a withheld fix (as
// earlyCheck does before the lint) keeps a fallback to the fixes that
// apply side by side when its others are combined, as fixPass plans it:
// reverify, after the lint, falls back to it should the combined
// insertions not load.
func TestReplanKeepsFallback(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	src := "services:\n"
	for _, name := range []string{"a", "b", "c"} {
		src += "  " + name + ":\n    image: postgres:16\n    volumes:\n      - /var/lib/postgresql/data\n"
	}
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	r := newRun(cfg, Options{})
	ctx := context.Background()
	outs := r.lint(ctx, []project.Spec{{Dir: dir, Files: []string{file}}})
	r.base = maps.Clone(r.overlay)
	if !r.fixPass(ctx, outs) || len(r.pending) != 1 {
		t.Fatalf("want one change, got %d", len(r.pending))
	}
	pc := r.pending[0]
	if len(pc.applied) < 3 || pc.fallback == nil {
		t.Fatalf("want three combined fixes with a fallback: %d applied, fallback %v", len(pc.applied), pc.fallback != nil)
	}
	next := r.replan(pc, []int{0, 1})
	if next == nil || len(next.applied) != 2 {
		t.Fatalf("replanned: %+v", next)
	}
	if next.fallback == nil || len(next.fallback.applied) >= len(next.applied) {
		t.Errorf("the replanned change has no fallback to fewer fixes side by side: %+v", next.fallback)
	}
}
