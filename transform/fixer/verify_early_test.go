package fixer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNamesDotEnv(t *testing.T) {
	for text, want := range map[string]bool{
		"env_file: .env\n":                       true,
		"env_file:\n  - ./.env\n":                true,
		"env_file: ${DIR:-.}/.env\n":             true,
		"env_file: [\".env\"]\n":                 true,
		"env_file: db.env\n":                     false,
		"env_file: .env.local\n":                 false,
		"env_file: ..env\n":                      false,
		"env_file: .envrc\n":                     false,
		"env_file: db.env\n# see .env.example\n": false,
		"env_file: db.env\n# and .env\n":         true,
	} {
		if got := namesDotEnv([]byte(text)); got != want {
			t.Errorf("namesDotEnv(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestEarlyCheckFirst: the runs that load a changed .env whole are judged
// before the pass's lint, so a move they refuse is withheld with their
// reason, though a sibling that interpolates the variable (and sorts
// first) refuses it too; a move no such run refuses is still judged by
// every run after the lint.
func TestEarlyCheckFirst(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.compose.yaml":     "services:\n  api:\n    image: example.org/api:1\n    environment:\n      SIGNING_KEY: \"Hn4Tq9Wz2Lk7Vx5pR\"\n",
		"one.compose.yaml":   "services:\n  web:\n    image: example.org/web:1\n    environment:\n      TOKEN: ${SIGNING_KEY:-none}\n",
		"whole.compose.yaml": "services:\n  cron:\n    image: example.org/cron:1\n    env_file: .env\n",
		".env":               "OTHER=1\n",
	}
	res := fixDryRun(t, dir, files, "a.compose.yaml")
	if len(res.Withheld) != 1 {
		t.Fatalf("want the move withheld: %+v", res.Withheld)
	}
	if r := res.Withheld[0].Reason; !strings.Contains(r, "whole.compose.yaml") || !strings.Contains(r, "SIGNING_KEY") {
		t.Errorf("reason %q: want the run that loads .env whole", r)
	}

	// Without the run that loads .env whole, the sibling that reads the
	// variable still refuses the move, after the lint.
	if err := os.Remove(filepath.Join(dir, "whole.compose.yaml")); err != nil {
		t.Fatal(err)
	}
	res = fixDryRun(t, dir, nil, "a.compose.yaml")
	if len(res.Withheld) != 1 || !strings.Contains(res.Withheld[0].Reason, "one.compose.yaml") {
		t.Errorf("want the move withheld for one.compose.yaml: %+v", res.Withheld)
	}
}
