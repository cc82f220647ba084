package fixer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules/project"
)

// TestResultHoldsThroughEnv: a run's result stands for a new state of its
// shared .env exactly when every variable it reads resolves the same; a
// change to a variable it interpolates, reads without a value, or gets
// through env_file: .env (the whole file) makes it evaluated again.
func TestResultHoldsThroughEnv(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, ".env")
	if err := os.WriteFile(env, []byte("A=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, compose string
		// the .env lines appended, and whether the result holds
		appended string
		holds    bool
	}{
		{"interpolates another", "services:\n  web:\n    image: nginx:${A}\n    environment:\n      B: literal\n", "B=2\n", true},
		{"interpolates it", "services:\n  web:\n    image: nginx:${B:-x}\n", "B=2\n", false},
		{"changes what it reads", "services:\n  web:\n    image: nginx:${A}\n", "A=3\n", false},
		{"entry without a value", "services:\n  web:\n    image: nginx\n    environment:\n      - B\n", "B=2\n", false},
		{"build arg without a value", "services:\n  web:\n    build:\n      context: .\n      args:\n        - B\n", "B=2\n", false},
		{"entry without a value, as a map", "services:\n  web:\n    image: nginx\n    environment:\n      B:\n", "B=2\n", false},
		{"loads .env whole", "services:\n  web:\n    image: nginx\n    env_file: .env\n", "C=2\n", false},
		{"loader variable", "services:\n  web:\n    image: nginx\n", "COMPOSE_PROJECT_NAME=x\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, "compose.yaml")
			rs := runSpec{spec: project.Spec{Dir: dir, Files: []string{file}}}
			base := map[string][]byte{file: []byte(tc.compose)}
			e, err := evaluate(context.Background(), rs, []string{}, base, false)
			if err != nil {
				t.Fatal(err)
			}
			after := map[string][]byte{file: []byte(tc.compose), env: []byte("A=1\n" + tc.appended)}
			c := &runCheck{}
			if got := c.holds(e, rs, []string{}, after); got != tc.holds {
				t.Errorf("holds = %v, want %v", got, tc.holds)
			}
			// the same files: it always holds
			if !c.holds(e, rs, []string{}, base) {
				t.Error("the result does not hold for the files it was made from")
			}
		})
	}
}
