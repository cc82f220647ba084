package fixer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// TestVarReasonsSameAsTrials: the moves that give a sibling variables it
// did not have are withheld with the same reasons whether each is judged
// alone with a load (trialEvery) or from the pass's failure (varReasons),
// in a folder where a sibling loads the .env whole and another reads one
// variable, and one compose file moves two secrets.
func TestVarReasonsSameAsTrials(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.compose.yaml":     "services:\n  app:\n    image: example.org/app:1\n    environment:\n      API_TOKEN: \"tq8Zr2Lx4Wv7Kp3N\"\n      SESSION_SECRET: \"Jm3Rw8Xc5Pv2Nb7sQ\"\n",
		"b.compose.yaml":     "services:\n  api:\n    image: example.org/api:1\n    environment:\n      SIGNING_KEY: \"Hn4Tq9Wz2Lk7Vx5pR\"\n",
		"whole.compose.yaml": "services:\n  worker:\n    image: example.org/worker:1\n    env_file: .env\n  cron:\n    image: example.org/cron:1\n    env_file: .env\n",
		"one.compose.yaml":   "services:\n  web:\n    image: example.org/web:1\n    environment:\n      TOKEN: ${SIGNING_KEY:-none}\n",
		".env":               "OTHER=1\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	specs, errs := project.Discover([]string{filepath.Join(dir, "a.compose.yaml"), filepath.Join(dir, "b.compose.yaml")})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	fix := func(every bool) []Withheld {
		trialEvery = every
		defer func() { trialEvery = false }()
		return Fix(context.Background(), specs, cfg, Options{DryRun: true}).Withheld
	}
	want, got := fix(true), fix(false)
	if len(want) < 3 {
		t.Fatalf("want the three moves withheld: %+v", want)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("withheld (-trials +varReasons):\n%s", d)
	}
}
