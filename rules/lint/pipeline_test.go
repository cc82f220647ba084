package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func at(rule, file string, line int, msg string) Finding {
	return Finding{Rule: rule, Severity: Warning, Message: msg, Pos: Position{File: file, Line: line, Column: 1}}
}

func messages(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"@"+f.Pos.String()+" "+f.Severity.String()+": "+f.Message)
	}
	return out
}

func TestApplySeverities(t *testing.T) {
	for _, c := range []struct {
		name string
		sev  map[string]Severity
		want []string
	}{
		{"none configured", nil, []string{"a@f:1:1 warning: x", "b@f:2:1 warning: y"}},
		{"raised", map[string]Severity{"a": Error}, []string{"a@f:1:1 error: x", "b@f:2:1 warning: y"}},
		{"off drops", map[string]Severity{"b": Off}, []string{"a@f:1:1 warning: x"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := applySeverities([]Finding{at("a", "f", 1, "x"), at("b", "f", 2, "y")}, c.sev)
			if diff := cmp.Diff(c.want, messages(got)); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestApplyIgnores(t *testing.T) {
	svc := func(f Finding, s string) Finding { f.Service = s; return f }
	fs := []Finding{svc(at("a", "x/compose.yaml", 1, "m"), "db"), svc(at("a", "y/compose.yaml", 1, "m"), "web"), at("b", "x/compose.yaml", 2, "m")}
	mustIgnore := func(rule, glob, service string) Ignore {
		ig, err := NewIgnore(rule, glob, service, "why")
		if err != nil {
			t.Fatal(err)
		}
		return ig
	}
	for _, c := range []struct {
		name    string
		ignores []Ignore
		kept    int
	}{
		{"no ignores", nil, 3},
		{"by rule", []Ignore{mustIgnore("a", "", "")}, 1},
		{"by glob", []Ignore{mustIgnore("", "x/*", "")}, 1},
		{"by service", []Ignore{mustIgnore("a", "", "web")}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			kept, suppressed := applyIgnores(append([]Finding(nil), fs...), c.ignores, "")
			if len(kept) != c.kept || len(kept)+len(suppressed) != len(fs) {
				t.Errorf("kept %d, suppressed %d; want %d kept of %d", len(kept), len(suppressed), c.kept, len(fs))
			}
			for _, s := range suppressed {
				if s.Kind != "external" || s.Justification != "why" {
					t.Errorf("suppressed %+v: want kind external and the reason", s)
				}
			}
		})
	}
}

func TestEnabledMeta(t *testing.T) {
	meta := []Finding{at(UnusedIgnore.ID, "f", 1, "x"), at(IgnoreWithoutReason.ID, "f", 1, "y")}
	got := enabledMeta(meta, []*Rule{UnusedIgnore})
	if diff := cmp.Diff([]string{"unused-ignore@f:1:1 warning: x"}, messages(got)); diff != "" {
		t.Error(diff)
	}
}

func TestMergeWithinProject(t *testing.T) {
	a1, a2 := at("a", "f", 1, "service one"), at("a", "f", 1, "service two")
	u1, u2 := at(UnusedIgnore.ID, "f", 3, "names unknown rule x"), at(UnusedIgnore.ID, "f", 3, "suppresses nothing")
	fs := []Finding{a1, a2, u1, u2}
	Sort(fs)
	got := Unique(fs, sameProblem)
	want := []string{"a@f:1:1 warning: service one", "unused-ignore@f:3:1 warning: names unknown rule x", "unused-ignore@f:3:1 warning: suppresses nothing"}
	if diff := cmp.Diff(want, messages(got)); diff != "" {
		t.Error(diff)
	}
}

func TestCombineMergesAcrossProjects(t *testing.T) {
	envFinding := func(services ...string) Finding {
		f := at("secret-in-env-file", ".env", 17, "")
		f.Service, f.Services, f.ServicesFormat = services[0], services, "env file .env sets X for %s; move it"
		f.Message = "env file .env sets X for " + ServiceList(services) + "; move it"
		return f
	}
	for _, c := range []struct {
		name string
		in   []Finding
		want []string
	}{
		{
			"one line of a shared .env, read by three projects",
			[]Finding{envFinding("api"), envFinding("worker", "api"), envFinding("api")},
			[]string{`secret-in-env-file@.env:17:1 warning: env file .env sets X for services "api" and "worker"; move it`},
		},
		{
			"a base under two overlays: same message",
			[]Finding{at("a", "compose.yaml", 4, "m"), at("a", "compose.yaml", 4, "m")},
			[]string{"a@compose.yaml:4:1 warning: m"},
		},
		{
			"other places and rules stay",
			[]Finding{at("a", "compose.yaml", 4, "m"), at("b", "compose.yaml", 4, "m"), at("a", "compose.yaml", 5, "m")},
			[]string{"a@compose.yaml:4:1 warning: m", "b@compose.yaml:4:1 warning: m", "a@compose.yaml:5:1 warning: m"},
		},
		{
			"a comment's different problems stay apart",
			[]Finding{at(UnusedIgnore.ID, "c.yaml", 2, "p"), at(UnusedIgnore.ID, "c.yaml", 2, "q"), at(UnusedIgnore.ID, "c.yaml", 2, "p")},
			[]string{"unused-ignore@c.yaml:2:1 warning: p", "unused-ignore@c.yaml:2:1 warning: q"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, messages(Combine(c.in))); diff != "" {
				t.Error(diff)
			}
		})
	}
}

// A path glob's **/ is whole folders: **/compose.yaml is compose.yaml in
// any folder, never mycompose.yaml.
func TestIgnoreGlobFolders(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"**/compose.yaml", "compose.yaml", true},
		{"**/compose.yaml", "a/b/compose.yaml", true},
		{"**/compose.yaml", "mycompose.yaml", false},
		{"**/compose.yaml", "a/mycompose.yaml", false},
		{"test/**", "test/a/compose.yaml", true},
		{"test/**", "testing/compose.yaml", false},
		{"a/**/b.yaml", "a/b.yaml", true},
		{"a/**/b.yaml", "a/x/y/b.yaml", true},
		{"*.yaml", "a/b.yaml", false},
	} {
		ig, err := NewIgnore("", c.glob, "", "why")
		if err != nil {
			t.Fatal(err)
		}
		f := Finding{Pos: Position{File: c.path}}
		if got := ig.matches(f, ""); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}
