package rules_test

import (
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
)

// TestPersistenceSameForEveryRule: a redis service whose command turns
// persistence on is state for sure, whether its data path has no mount
// (stateful-volume-missing) or a tmpfs (state-on-tmpfs); one that turns
// it off is reported by neither; one that says nothing is a warning.
func TestPersistenceSameForEveryRule(t *testing.T) {
	cases := []struct {
		command string
		want    lint.Severity // Off: no finding
	}{
		{`redis-server --appendonly yes`, lint.Error},
		{`redis-server --save "" --save "60 1"`, lint.Error},
		{`redis-server --save "" --appendonly no`, lint.Off},
		{`redis-server`, lint.Warning},
	}
	for _, c := range cases {
		for _, tc := range []struct{ rule, mount string }{
			{"stateful-volume-missing", ""},
			{"state-on-tmpfs", "\n    tmpfs: [/data]"},
		} {
			src := "services:\n  cache:\n    image: redis:7\n    command: " + c.command + tc.mount + "\n"
			o := lintSource(t, src, lint.Config{Rules: []*lint.Rule{rules.ByID(tc.rule)}})
			got := lint.Off
			for _, f := range o.Findings {
				got = f.Severity
			}
			if got != c.want {
				t.Errorf("%s, command %s: severity %v, want %v", tc.rule, c.command, got, c.want)
			}
		}
	}
}
