package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

func lintSource(t *testing.T, src string, cfg lint.Config) lint.Outcome {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg.Rules == nil {
		cfg.Rules = rules.All()
	}
	if cfg.Catalogue == nil {
		cfg.Catalogue = rules.All()
	}
	cfg.Load.Environ = []string{}
	cfg.BaseDir = dir
	o := lint.Run(context.Background(), []project.Spec{{Files: []string{path}, Dir: dir}}, cfg)[0]
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	return o
}

func summary(fs []lint.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"@"+itoa(f.Pos.Line))
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string {
	s := ""
	for n >= 10 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return string(rune('0'+n)) + s
}

func TestInlineSuppressions(t *testing.T) {
	src := `services:
  a:
    image: nginx
    container_name: app-a # composure:ignore fixed-container-name -- the backup job calls it by name
  b:
    image: nginx
    # composure:ignore fixed-container-name -- legacy dashboards
    container_name: app-b
  c:
    image: nginx
    container_name: app-c # composure:ignore fixed-container-name
  d:
    image: nginx
    hostname: d # composure:ignore fixed-container-name -- nothing here
  e:
    image: nginx
    container_name: app-e # composure:ignore fixed-containername -- typo
  f:
    image: nginx
    # composure:ignore fixed-container-name,pinned-mac-address -- legacy
    container_name: app-f
`
	o := lintSource(t, src, lint.Config{})
	want := []string{
		"fixed-container-name@17",  // the typo silences nothing
		"ignore-without-reason@11", // c is suppressed, but the comment lacks a reason
		"unused-ignore@14",         // d has no container_name
		"unused-ignore@17",         // unknown rule id
		"unused-ignore@17",         // and it suppressed nothing
		"unused-ignore@20",         // f has no mac_address: that rule id silences nothing
	}
	if diff := cmp.Diff(want, summary(o.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	var reasons []string
	for _, s := range o.Suppressed {
		reasons = append(reasons, s.Finding.Service+":"+s.Kind+":"+s.Justification)
	}
	if diff := cmp.Diff([]string{"a:inSource:the backup job calls it by name", "b:inSource:legacy dashboards", "c:inSource:", "f:inSource:legacy"}, reasons); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	for _, f := range o.Findings {
		if f.Rule == "unused-ignore" && f.Pos.Line == 17 && strings.Contains(f.Message, "unknown rule") && f.Pos.Column != 27 {
			t.Errorf("directive column = %d, want 27 (the #)", f.Pos.Column)
		}
	}
}

func TestIgnoreFileAndConfigIgnores(t *testing.T) {
	src := `# composure:ignore-file fixed-container-name -- names are part of the host's monitoring
services:
  a:
    image: nginx
    container_name: app-a
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
`
	ig, err := lint.NewIgnore("secret-in-environment", "**/compose.yaml", "db", "demo stack")
	if err != nil {
		t.Fatal(err)
	}
	o := lintSource(t, src, lint.Config{Ignores: []lint.Ignore{ig}})
	if diff := cmp.Diff([]string{"stateful-volume-missing@7"}, summary(o.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	kinds := map[string]string{}
	for _, s := range o.Suppressed {
		kinds[s.Finding.Rule] = s.Kind + ":" + s.Justification
	}
	if kinds["fixed-container-name"] != "inSource:names are part of the host's monitoring" || kinds["secret-in-environment"] != "external:demo stack" {
		t.Errorf("suppressed = %v", kinds)
	}
	other, _ := lint.NewIgnore("secret-in-environment", "other/*.yaml", "", "x")
	if o := lintSource(t, src, lint.Config{Ignores: []lint.Ignore{other}}); len(o.Suppressed) != 1 {
		t.Errorf("a path glob for other files suppressed %d findings", len(o.Suppressed))
	}
}

// A config ignore scoped to one service silences only that service's
// finding, also where services share the offending node through an
// anchor: the place is still reported, once, for the other service.
func TestServiceIgnoreOnSharedAnchor(t *testing.T) {
	src := `x-env: &env
  DB_PASSWORD: AnchorPlant1
services:
  test-fixture: {image: myorg/app:1, environment: *env}
  prod: {image: myorg/app:1, environment: *env}
`
	ignore := func(service string) lint.Ignore {
		ig, err := lint.NewIgnore("secret-in-environment", "", service, "x")
		if err != nil {
			t.Fatal(err)
		}
		return ig
	}
	for _, tc := range []struct {
		ignored        []string
		wantService    string // "" for no finding
		wantSuppressed int
	}{
		{nil, "prod", 0},
		{[]string{"prod"}, "test-fixture", 1},
		{[]string{"test-fixture"}, "prod", 1},
		{[]string{"prod", "test-fixture"}, "", 1},
	} {
		var igs []lint.Ignore
		for _, s := range tc.ignored {
			igs = append(igs, ignore(s))
		}
		o := lintSource(t, src, lint.Config{Rules: []*lint.Rule{rules.SecretInEnvironment}, Ignores: igs})
		var got []string
		for _, f := range o.Findings {
			got = append(got, f.Service+"@"+itoa(f.Pos.Line))
		}
		var want []string
		if tc.wantService != "" {
			want = []string{tc.wantService + "@2"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ignoring %v: findings (-want +got):\n%s", tc.ignored, diff)
		}
		if len(o.Suppressed) != tc.wantSuppressed {
			t.Errorf("ignoring %v: %d suppressed, want %d (one per place)", tc.ignored, len(o.Suppressed), tc.wantSuppressed)
		}
	}
}

// The meta rules' doc examples: Bad is reported, Good is clean.
func TestMetaRuleExamples(t *testing.T) {
	for _, r := range rules.All() {
		if !r.Meta {
			continue
		}
		for _, c := range []struct {
			src  string
			want bool
		}{{r.Doc.Bad, true}, {r.Doc.Good, false}} {
			o := lintSource(t, c.src, lint.Config{Rules: []*lint.Rule{rules.FixedContainerName, r}})
			got := false
			for _, f := range o.Findings {
				got = got || f.Rule == r.ID
			}
			if got != c.want {
				t.Errorf("%s example reported=%v, want %v:\n%s", r.ID, got, c.want, c.src)
			}
		}
	}
}
