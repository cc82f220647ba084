package fixer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules/project"
)

// TestModelsDifferMissingEnvFile: a linted run that does not start before
// the pass, for a required env file that is not there, is judged unchanged
// from its models alone while the pass does not create that file, as the
// judge's loads find it; once the pass creates the file, the models do not
// decide, and the judge finds the run changed (it now starts, with values
// it did not have).
func TestModelsDifferMissingEnvFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	envFile := filepath.Join(dir, "db.env")
	before := []byte("services:\n  db:\n    image: postgres:16\n    env_file: db.env\n    environment:\n      POSTGRES_USER: app\n")
	after := []byte("services:\n  db:\n    image: postgres:16\n    env_file: db.env\n    environment:\n      POSTGRES_USER: other\n")
	if err := os.WriteFile(file, before, 0o644); err != nil {
		t.Fatal(err)
	}
	spec := project.Spec{Dir: dir, Files: []string{file}}
	load := func(overlay map[string][]byte) *project.Project {
		t.Helper()
		p, err := project.Load(context.Background(), spec, WithOverlay(project.Options{Environ: []string{}}, overlay))
		if err != nil || p.Model == nil || p.Partial {
			t.Fatalf("the project does not load whole: %v", err)
		}
		return p
	}
	ctx := context.Background()
	judgeWith := func(overlay map[string][]byte) (differ, failed bool) {
		t.Helper()
		r := &run{base: map[string][]byte{file: before}, disk: &diskReads{}}
		r.check = &runCheck{runs: newRunSet(r.cfg.Load), evals: map[string][]cachedEval{}, reads: r.disk}
		rs := runSpec{spec: spec}
		pair := modelPair{before: load(r.base), after: load(overlay)}
		differ = r.modelsDiffer(pair, overlay, aims{})
		_, failed = r.judge(ctx, rs, overlay, changedFiles(r.base, overlay, r.disk), aims{})
		return differ, failed
	}

	differ, failed := judgeWith(map[string][]byte{file: after})
	if differ || failed {
		t.Errorf("db.env missing before and after: models differ = %v, judge failed = %v; want both false", differ, failed)
	}
	differ, failed = judgeWith(map[string][]byte{file: after, envFile: []byte("POSTGRES_DB=app\n")})
	if !differ || !failed {
		t.Errorf("db.env created by the pass: models differ = %v, judge failed = %v; want both true", differ, failed)
	}
}
