package fixer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// fixDryRun writes files into dir and fixes the projects of names there,
// writing nothing (fix --diff).
func fixDryRun(t *testing.T, dir string, files map[string]string, names ...string) *Result {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var paths []string
	for _, name := range names {
		paths = append(paths, filepath.Join(dir, name))
	}
	specs, errs := project.Discover(paths)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	return Fix(context.Background(), specs, cfg, Options{DryRun: true})
}
