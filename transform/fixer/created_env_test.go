package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestCreatedEnvFileReachesSibling: a sibling loads the folder's .env
// whole (env_file: .env) and does not run while there is none. Moving a
// secret into a new .env makes it run, with the secret in its
// environment: the move is withheld, the sibling judged against a blank
// .env, not skipped as a run that did not load before.
func TestCreatedEnvFileReachesSibling(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app.compose.yaml":     "services:\n  app:\n    image: example.org/app:1\n    environment:\n      API_TOKEN: \"tq8Zr2Lx4Wv7Kp3N\"\n",
		"sibling.compose.yaml": "services:\n  worker:\n    image: example.org/worker:1\n    env_file: .env\n",
	})
	specs, errs := project.Discover([]string{filepath.Join(dir, "app.compose.yaml")})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
	w := withheldFor(res, "secret-in-environment")
	if len(w) != 1 {
		t.Fatalf("%d moves withheld, want 1: %+v (changes %d)", len(w), res.Withheld, len(res.Changes))
	}
	if !strings.Contains(w[0].Reason, "sibling.compose.yaml") || !strings.Contains(w[0].Reason, `"worker" would get API_TOKEN`) {
		t.Errorf("the reason does not name the sibling and the variable: %s", w[0].Reason)
	}
	if len(res.Changes) != 0 {
		t.Errorf("a compose file is changed: %+v", res.Changes)
	}
	if _, err := os.Stat(filepath.Join(dir, ".env")); err == nil {
		t.Error("fix --diff wrote .env")
	}
}
