package fixer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/internal/testtools"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestCorpusLegacyConversion converts every legacy v1 file of the corpus
// with legacy-compose-format's unsafe fix alone, and checks: the result
// loads and is no longer v1, a second run changes nothing, every comment
// line stays, the other rules find exactly what they found in the v1
// file (the view it was linted through is the converted file), and,
// where the real CLI is available, `docker compose config` accepts it.
func TestCorpusLegacyConversion(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus conversion skipped with -short")
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	compose, why := testtools.FindDockerCompose()
	if compose == nil {
		t.Logf("no docker compose CLI (%s): the converted files are not given to it", why)
	}
	all := rules.All()
	others := slices.DeleteFunc(slices.Clone(all), func(r *lint.Rule) bool { return r == rules.LegacyComposeFormat })
	converted := 0
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(corpusDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !looksLegacy(src) {
			continue
		}
		dir := t.TempDir()
		path := filepath.Join(dir, e.Name())
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		specs := []project.Spec{{Files: []string{path}, Dir: dir}}
		cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
		before := lint.Run(context.Background(), specs, cfg)[0]
		if before.Err != nil || before.Project == nil || before.Project.Files[0].Legacy == nil {
			continue // a v1 file with another error: reported as such
		}
		if !slices.ContainsFunc(before.Findings, func(f lint.Finding) bool { return f.Rule == rules.LegacyComposeFormat.ID && f.Fix != nil }) {
			continue // a fragment (services that run on top of another file): nothing to verify a fix with
		}
		only := cfg
		only.Rules = []*lint.Rule{rules.LegacyComposeFormat}
		res := fixer.Run(context.Background(), specs, only, fixer.Options{Unsafe: true})
		if len(res.Changes) != 1 || len(res.Refused) > 0 {
			t.Errorf("%s: not converted (changes %d, refused %+v)", e.Name(), len(res.Changes), res.Refused)
			continue
		}
		if refused := fixer.Apply(res); len(refused) > 0 {
			t.Errorf("%s: apply refused: %+v", e.Name(), refused)
			continue
		}
		converted++
		fixed, _ := os.ReadFile(path)
		after := lint.Run(context.Background(), specs, cfg)[0]
		if after.Err != nil {
			t.Errorf("%s: the converted file does not load: %v", e.Name(), after.Err)
			continue
		}
		if after.Project.Files[0].Legacy != nil {
			t.Errorf("%s: the converted file is still v1", e.Name())
		}
		if again := fixer.Run(context.Background(), specs, only, fixer.Options{Unsafe: true}); len(again.Changes) > 0 {
			t.Errorf("%s: a second conversion changed it again", e.Name())
		}
		for _, line := range strings.Split(string(src), "\n") {
			if c := strings.TrimSpace(line); strings.HasPrefix(c, "#") && !bytes.Contains(fixed, []byte(c)) {
				t.Errorf("%s: comment lost: %q", e.Name(), c)
			}
		}
		if diff := cmp.Diff(findingsOf(before, others), findingsOf(after, others)); diff != "" {
			t.Errorf("%s: the converted file's findings differ from the v1 file's (-v1 +converted):\n%s", e.Name(), diff)
		}
		if compose != nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			cmd := testtools.ComposeCommand(ctx, compose, "-f", path, "config", "--quiet", "--no-interpolate")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "COMPOSE_PROJECT_NAME=legacytest")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: docker compose config refuses the converted file: %v\n%s", e.Name(), err, out)
			}
			cancel()
		}
	}
	if converted < 100 {
		t.Errorf("converted %d corpus files; the corpus has about 130 loadable v1 files", converted)
	}
	t.Logf("converted %d legacy v1 files", converted)
}

// looksLegacy is a cheap first cut: no line starts with services:.
func looksLegacy(src []byte) bool {
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "services:") || strings.HasPrefix(line, "version:") {
			return false
		}
	}
	return true
}

// findingsOf are the findings of the given rules, without their lines
// (the conversion adds one above the services).
var fileLine = regexp.MustCompile(`(\.ya?ml):\d+`)

func findingsOf(o lint.Outcome, rs []*lint.Rule) []string {
	var out []string
	for _, f := range o.Findings {
		if slices.ContainsFunc(rs, func(r *lint.Rule) bool { return r.ID == f.Rule }) {
			// Lines move with the conversion: a message naming another
			// place by file:line (a secret's other copies) is compared
			// without the line, as the finding's own position is.
			msg := fileLine.ReplaceAllString(f.Message, "$1:N")
			out = append(out, fmt.Sprintf("%s %s %s %s: %s", f.Severity, f.Rule, f.Service, f.Path, msg))
		}
	}
	slices.Sort(out)
	return out
}
