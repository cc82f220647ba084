package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestCorpusFixClaims holds lint to its word: on every corpus file, the
// problems lint reports with a safe fix ("N fixable") are exactly the
// problems `fix --diff` would fix, no fewer (a fix that is refused, or
// does not fix its problem) and no more.
func TestCorpusFixClaims(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	all := rules.All()
	claimed, fixed := 0, 0
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		// Each file alone in a folder, as in its repository: side by side
		// in the corpus folder, 1448 files from as many repositories
		// would be sibling projects sharing one .env, and fix rightly
		// withholds a move into it that hands a secret to the others.
		_, path, _ := corpusCopy(t, e.Name())
		specs := []project.Spec{{Files: []string{path}, Dir: filepath.Dir(path)}}
		cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
		before := lint.Run(context.Background(), specs, cfg)[0]
		if before.Err != nil {
			continue
		}
		claims := map[fingerprint.Identity]bool{}
		for _, f := range before.Findings {
			if f.Fix != nil && f.Fix.Applicability == lint.Safe {
				claims[fingerprint.Of(f)] = true
			}
		}
		res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
		left := map[fingerprint.Identity]bool{}
		for _, o := range res.After {
			for _, f := range o.Findings {
				left[fingerprint.Of(f)] = true
			}
		}
		for id := range claims {
			if left[id] {
				t.Errorf("%s: lint calls %q fixable, but fix leaves it (refused: %v)", e.Name(), id, res.Refused)
			}
		}
		if res.Fixed != len(claims) {
			t.Errorf("%s: lint claims %d fixable, fix fixes %d", e.Name(), len(claims), res.Fixed)
		}
		claimed += len(claims)
		fixed += res.Fixed
	}
	t.Logf("lint: %d fixable; fix --diff: %d fixed", claimed, fixed)
}
