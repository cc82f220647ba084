package fixer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
	fix := func(every bool) []Withheld {
		trialEvery = every
		defer func() { trialEvery = false }()
		return fixDryRun(t, dir, files, "a.compose.yaml", "b.compose.yaml").Withheld
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

// TestVarReasonsMixedRun: a sibling that loads the .env whole and whose
// build arg interpolates a moved variable differs in its variables and in
// another key (varsToo). varReasons withholds the same moves as the trial
// loads; its reasons may name another failing run (it names every culprit
// of the first failure at once, the trials one per round) and count only
// the problems that name the variable, so only the places are compared,
// and each reason must name a run that fails on the variable the fix
// moves; the first names the mixed run, from varReasons.
func TestVarReasonsMixedRun(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.compose.yaml":     "services:\n  app:\n    image: example.org/app:1\n    environment:\n      API_TOKEN: \"tq8Zr2Lx4Wv7Kp3N\"\n",
		"b.compose.yaml":     "services:\n  api:\n    image: example.org/api:1\n    environment:\n      SIGNING_KEY: \"Hn4Tq9Wz2Lk7Vx5pR\"\n",
		"mixed.compose.yaml": "services:\n  job:\n    build:\n      context: .\n      args:\n        KEY: ${API_TOKEN:-none}\n    env_file: .env\n",
		"one.compose.yaml":   "services:\n  web:\n    image: example.org/web:1\n    environment:\n      TOKEN: ${SIGNING_KEY:-none}\n",
		".env":               "OTHER=1\n",
	}
	fix := func(every bool) []Withheld {
		trialEvery = every
		defer func() { trialEvery = false }()
		return fixDryRun(t, dir, files, "a.compose.yaml", "b.compose.yaml").Withheld
	}
	type place struct {
		File, Rule, Service string
		Line                int
	}
	places := func(ws []Withheld) []place {
		var out []place
		for _, w := range ws {
			out = append(out, place{w.File, w.Rule, w.Service, w.Line})
		}
		return out
	}
	want, got := fix(true), fix(false)
	if len(want) != 2 {
		t.Fatalf("want both moves withheld: %+v", want)
	}
	if d := cmp.Diff(places(want), places(got)); d != "" {
		t.Errorf("withheld (-trials +varReasons):\n%s", d)
	}
	// The first failing run names both culprits from its own problems,
	// with no load: those that name API_TOKEN, not its build arg.
	wantReason := "with `docker compose -f mixed.compose.yaml`, service \"job\" would get API_TOKEN, which it did not have"
	if got[0].Service != "app" || got[0].Reason != wantReason {
		t.Errorf("first withheld: %s %q, want app %q", got[0].Service, got[0].Reason, wantReason)
	}
	for _, w := range got {
		variable := map[string]string{"app": "API_TOKEN", "api": "SIGNING_KEY"}[w.Service]
		if !strings.HasPrefix(w.Reason, "with `docker compose -f ") || !containsName([]byte(w.Reason), variable) {
			t.Errorf("%s:%d: reason %q does not name a run failing on %s", w.File, w.Line, w.Reason, variable)
		}
	}
}
