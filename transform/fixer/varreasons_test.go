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

// TestNameIndexSameAsContainsName: the problems the index gives for a
// name are those containsName finds, in order, names with other bytes
// (a dot, a dash) and names inside longer ones included.
func TestNameIndexSameAsContainsName(t *testing.T) {
	problems := []string{
		`service "app" would get MYSQL_PASSWORD, which it did not have`,
		`service "app" would get another value for PASSWORD`,
		`service "db" would get both MYSQL_PASSWORD and MYSQL_PASSWORD_FILE, and images that read MYSQL_PASSWORD_FILE refuse to start`,
		`service "web" would get a.b.c, which it did not have`,
		`service "wéb" would get X-TOKEN and PASS`,
		``,
	}
	ix := indexNames(problems)
	for _, name := range []string{"MYSQL_PASSWORD", "PASSWORD", "PASS", "MYSQL_PASSWORD_FILE", "a.b", "a.b.c", "X-TOKEN", "TOKEN", "app", "wéb", "", "service", "missing"} {
		var want []string
		for _, p := range problems {
			if containsName([]byte(p), name) {
				want = append(want, p)
			}
		}
		if d := cmp.Diff(want, ix.naming(problems, name)); d != "" {
			t.Errorf("%q (-containsName +index):\n%s", name, d)
		}
	}
}
