package fixer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestDeferredSameNameWithheldAtOnce: n compose files of one folder want
// the same .env variable with n values, and a sibling loads the .env
// whole, so each move would hand it a variable it did not have. One fix
// per name is tried per pass; the others, waiting, are tried against the
// run that broke and withheld in the same pass (each with that run's
// reason), not one pass each.
func TestDeferredSameNameWithheldAtOnce(t *testing.T) {
	const n = 5
	dir := t.TempDir()
	files := map[string]string{
		"compose-sibling.yaml": "services:\n  worker:\n    image: example.org/worker:1\n    env_file:\n      - path: .env\n        required: false\n",
	}
	for i := range n {
		files[fmt.Sprintf("compose-%d.yaml", i)] = fmt.Sprintf("services:\n  app%d:\n    image: example.org/app:1\n    environment:\n      API_TOKEN: \"tq8Zr2Lx%dWv7Kp3N\"\n", i, i)
	}
	writeFiles(t, dir, files)
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
	if got := len(withheldFor(res, "secret-in-environment")); got != n {
		t.Fatalf("%d of the %d moves withheld: %+v", got, n, res.Withheld)
	}
	for _, w := range res.Withheld {
		if !strings.Contains(w.Reason, "compose-sibling.yaml") || !strings.Contains(w.Reason, "API_TOKEN") {
			t.Errorf("%s:%d: the reason does not name the run and the variable: %s", w.File, w.Line, w.Reason)
		}
	}
	if res.Passes > 2 {
		t.Errorf("%d passes: the waiting fixes were tried one pass each", res.Passes)
	}
}

// TestWaitingForSecretNameFixedInOneRun: two compose files of one folder
// want one secret file name for two passwords; the second gets the next
// free name in the same pass (renamedClaim), or else waits for the next
// pass even when nothing else of its project changed: it is made in the
// same run, under a name of its own.
func TestWaitingForSecretNameFixedInOneRun(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Hn4Tq9Wz2Lk7Vx5p\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
		"b.compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Jm3Rw8Xc5Pv2Nb7s\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
	})
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
	changed := 0
	for _, c := range res.Changes {
		if strings.Contains(string(c.Fixed), "POSTGRES_PASSWORD_FILE") {
			changed++
		}
	}
	if res.Passes > 2 {
		t.Errorf("%d passes: the fix waiting for a name was not given the next one in the pass", res.Passes)
	}
	created := map[string]bool{}
	for _, w := range res.Writes {
		if w.Kind == lint.CreateSecret {
			created[w.Path] = true
		}
	}
	if len(created) != 2 {
		t.Errorf("want two secret files of two names, got %v", created)
	}
	if changed != 2 {
		t.Errorf("%d of the 2 passwords moved to a secret file in one run; withheld: %+v, refused: %+v", changed, res.Withheld, res.Refused)
	}
}
