package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// TestShadowedLiteralReported: a literal secret in compose.yaml that
// compose.override.yaml replaces (with ${VAR}, or !override) is still in
// a committed file: it is reported where it is written, without a fix
// (issue 16, item 10).
func TestShadowedLiteralReported(t *testing.T) {
	base := "services:\n  api:\n    image: myapp\n    environment:\n      API_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
	for _, override := range []string{
		"services:\n  api:\n    environment:\n      API_TOKEN: ${API_TOKEN}\n",
		"services:\n  api:\n    environment: !override\n      X: \"1\"\n",
		"services:\n  api:\n    environment:\n      - API_TOKEN=${API_TOKEN}\n",
	} {
		dir := t.TempDir()
		for name, content := range map[string]string{"compose.yaml": base, "compose.override.yaml": override} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := project.Load(context.Background(), project.Spec{Dir: dir, Files: []string{filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "compose.override.yaml")}}, project.Options{Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		pass := lint.NewPass(SecretInEnvironment, p, knowledge.Default(), lint.RunOptions{})
		SecretInEnvironment.Check(pass)
		var found bool
		for _, f := range pass.Findings() {
			if filepath.Base(f.Pos.File) == "compose.yaml" && f.Pos.Line == 5 {
				found = true
				if f.Fix != nil || strings.Contains(f.Message, "ghp_abc") {
					t.Errorf("%q: %s: fix %v, message %q", override, f.Pos, f.Fix, f.Message)
				}
			}
		}
		if !found {
			t.Errorf("override %q: the literal in compose.yaml is not reported; findings %+v", override, pass.Findings())
		}
	}
}
