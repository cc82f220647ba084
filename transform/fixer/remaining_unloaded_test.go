package fixer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestRemainingUnloadedInclude: a project that does not load, and pulls
// in files its failed load did not list, keeps its outcome after a
// sibling's fix when neither its text nor that of the files it pulled in
// names a file the fix changes or creates; it is linted again when one
// names one (it may read the fixed file), or interpolates (an included
// file reads the .env the fix writes). Either way what is left is what a
// new lint gives.
func TestRemainingUnloadedInclude(t *testing.T) {
	// The image reads no _FILE variable: the fix moves the value into .env.
	fixed := "services:\n  db:\n    image: example/app:1\n    environment:\n      APP_SECRET_KEY: hunter2-Secret\n"
	// An included file is interpolated with the .env the fix writes.
	part := "x-note: ${APP_SECRET_KEY}\nservices:\n  api:\n    image: nginx\n"
	plain := "services:\n  api:\n    image: nginx\n"
	for _, tc := range []struct {
		name, broken, part string
		reused             bool
	}{
		{"names nothing the fix changes", "include:\n  - missing.yaml\nservices:\n  web:\n    image: nginx\n", plain, true},
		{"names the fixed file", "include:\n  - missing.yaml\n  - db.yaml\nservices:\n  web:\n    image: nginx\n", plain, false},
		{"names the .env the fix creates", "include:\n  - path: missing.yaml\n    env_file: .env\nservices:\n  web:\n    image: nginx\n", plain, false},
		{"interpolates a name", "include:\n  - ${PART:-missing}.yaml\nservices:\n  web:\n    image: nginx\n", plain, false},
		{"pulls in a file that interpolates", "include:\n  - missing.yaml\n  - part.yaml\nservices:\n  web:\n    image: nginx\n", part, false},
		{"fails in its own file, pulls in one that interpolates", "include:\n  - part.yaml\nservices:\n  web:\n    command: run\n", part, false},
		{"pulls in a plain file", "include:\n  - missing.yaml\n  - part.yaml\nservices:\n  web:\n    image: nginx\n", plain, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"db.yaml": fixed, "broken.yaml": tc.broken, "part.yaml": tc.part})
			var specs []project.Spec
			for _, n := range []string{"db.yaml", "broken.yaml"} {
				specs = append(specs, project.Spec{Dir: dir, Files: []string{filepath.Join(dir, n)}})
			}
			all := rules.All()
			cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
			res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{DryRun: true})
			if len(res.Changes) != 1 {
				t.Fatalf("%d files changed, want db.yaml alone", len(res.Changes))
			}
			if _, ok := res.Overlay()[filepath.Join(dir, ".env")]; !ok {
				t.Fatal("the fix does not create .env: the case tests less")
			}
			if res.After[1].Err == nil {
				t.Fatal("broken.yaml loads: the case tests nothing")
			}
			// db.yaml's outcome is its last pass's, current: reused.
			if got := res.Reused == 2; got != tc.reused {
				t.Errorf("broken.yaml's outcome reused = %v (%d reused), want %v", got, res.Reused, tc.reused)
			}
			after := cfg
			after.Load = fixer.WithOverlay(cfg.Load, res.Overlay())
			again := lint.Run(context.Background(), specs[1:], after)[0]
			if again.Err == nil || again.Err.Error() != res.After[1].Err.Error() || len(again.Findings) != len(res.After[1].Findings) {
				t.Errorf("what is left of broken.yaml: %v, %d findings; a new lint: %v, %d findings", res.After[1].Err, len(res.After[1].Findings), again.Err, len(again.Findings))
			}
		})
	}
}
