package rules_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Throwaway test databases are reported at info and without a fix; a
// throwaway-dirs option replaces the directory names (the severity is then
// the rule's own for a file elsewhere) but not fsync=off.
func TestThrowawaySeverity(t *testing.T) {
	r := rules.StatefulVolumeMissing
	for _, tc := range []struct {
		dir  string
		dirs []string
		want lint.Severity
	}{
		{"info-throwaway/docker/testing", nil, lint.Info},
		{"info-throwaway", nil, lint.Info},
		{"info-throwaway/docker/testing", []string{"nowhere"}, lint.Error},
		{"info-throwaway/docker/testing", []string{"Docker"}, lint.Info},
		{"info-throwaway", []string{"nowhere"}, lint.Info},
	} {
		dir := filepath.Join(fixturesDir, r.ID, tc.dir)
		spec := project.Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}
		p, err := project.Load(context.Background(), spec, project.Options{Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		run := lint.RunOptions{}
		if tc.dirs != nil {
			var o lint.Options
			if err := o.SetStringList(r, "throwaway-dirs", tc.dirs); err != nil {
				t.Fatal(err)
			}
			run.RuleOptions = map[string]lint.Options{r.ID: o}
		}
		fs, err := lint.Check(p, knowledge.Default(), []*lint.Rule{r}, run)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings, want 1", tc.dir, len(fs))
		}
		if fs[0].Severity != tc.want {
			t.Errorf("%s %v: severity %v, want %v", tc.dir, tc.dirs, fs[0].Severity, tc.want)
		}
		if (fs[0].Fix == nil) != (tc.want == lint.Info) {
			t.Errorf("%s %v: fix %v: a throwaway database gets none, others one", tc.dir, tc.dirs, fs[0].Fix)
		}
	}
}
