package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// A v1 file is linted like the file it converts to, with every finding
// at its place in the file as written, and only the conversion is fixed.
func TestLegacyFindingsAtTheirLines(t *testing.T) {
	const v1 = `# a compose v1 file
db:
  image: postgres:16
  environment:
    POSTGRES_PASSWORD: "Xk9#mQ2vL7pR4wZt"
  net: host
web:
  image: nginx:1.27
  container_name: web
`
	dir := t.TempDir()
	path := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(path, []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	out := lint.Run(context.Background(), []project.Spec{{Files: []string{path}, Dir: dir}}, cfg)[0]
	if out.Err != nil {
		t.Fatalf("a v1 file must load through its view: %v", out.Err)
	}
	var got []string
	for _, f := range out.Findings {
		got = append(got, fmt.Sprintf("%d:%d %s", f.Pos.Line, f.Pos.Column, f.Rule))
		if f.Fix != nil && f.Rule != rules.LegacyComposeFormat.ID {
			t.Errorf("%s at %s carries a fix; only the conversion may, the file as written is not what was linted", f.Rule, f.Pos)
		}
		if f.Rule == rules.LegacyComposeFormat.ID && (f.Fix == nil || f.Fix.Applicability != lint.Unsafe) {
			t.Errorf("the conversion carries no unsafe fix: %+v", f.Fix)
		}
	}
	slices.Sort(got)
	want := []string{
		"2:1 legacy-compose-format",
		"3:3 stateful-volume-missing",
		"5:5 secret-in-environment",
		"9:3 fixed-container-name",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
