package fixer_test

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

var update = flag.Bool("update", false, "rewrite .golden files (read every one before committing)")

const fixturesDir = "../../fixtures"

// fixCases returns the fix-* files and directories of a rule's fixtures.
func fixCases(t *testing.T, rule string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(fixturesDir, rule))
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "fix") && !strings.HasSuffix(e.Name(), ".golden") {
			out = append(out, filepath.Join(fixturesDir, rule, e.Name()))
		}
	}
	return out
}

func config(r *lint.Rule) lint.Config {
	return lint.Config{Rules: []*lint.Rule{r}, Load: project.Options{Environ: []string{}}, Jobs: 1}
}

// TestGoldenFixes applies each fixable rule's fixes to its fix-* fixtures
// and compares every changed file with the .golden beside it. Then: a
// second run changes nothing, the rule no longer reports a fixed finding,
// and no comment line of the original is lost.
func TestGoldenFixes(t *testing.T) {
	for _, r := range rules.All() {
		if r.Fix != lint.Safe && r.Fix != lint.Unsafe {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			cases := fixCases(t, r.ID)
			if r.ID == "secret-file-tracked" {
				t.Skip("needs a scratch git repository: TestSecretFileTrackedFix")
			}
			if len(cases) == 0 {
				t.Fatalf("fixable rule %s has no fix-* fixtures", r.ID)
			}
			for _, c := range cases {
				specs, errs := project.Discover([]string{c})
				if len(errs) > 0 || len(specs) == 0 {
					t.Fatalf("%s: %v", c, errs)
				}
				opts := fixer.Options{Unsafe: r.Fix == lint.Unsafe}
				res := fixer.Run(context.Background(), specs, config(r), opts)
				if len(res.Refused) > 0 {
					t.Errorf("%s: refused: %+v", c, res.Refused)
				}
				if len(res.Changes) == 0 && len(res.Standalone) == 0 {
					t.Errorf("%s: nothing fixed", c)
				}
				// Files fixes add lines to or delete lines from (an env
				// file the secret left) have goldens too, where present.
				for path, content := range res.Lines {
					if _, err := os.Stat(path + ".golden"); err == nil {
						golden(t, path+".golden", content)
					}
				}
				overlay := map[string][]byte{}
				for _, ch := range res.Changes {
					overlay[ch.Abs] = ch.Fixed
					golden(t, ch.Path+".golden", ch.Fixed)
					for _, line := range strings.Split(string(ch.Original), "\n") {
						if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "#") && !strings.Contains(string(ch.Fixed), trimmed) {
							t.Errorf("%s: comment line lost: %q", ch.Path, trimmed)
						}
					}
				}
				for path, content := range res.Lines {
					overlay[path] = content
				}
				again := config(r)
				again.Load.Overlay = overlay
				res2 := fixer.Run(context.Background(), specs, again, opts)
				if len(res2.Changes) > 0 {
					t.Errorf("%s: second run changed %s again:\n%s", c, res2.Changes[0].Path, res2.Changes[0].Fixed)
				}
				left := lint.Run(context.Background(), specs, again)
				for _, o := range left {
					if o.Err != nil {
						t.Errorf("%s: fixed project does not load: %v", c, o.Err)
					}
					for _, f := range o.Findings {
						if f.Fix != nil && (f.Fix.Applicability == lint.Safe || opts.Unsafe && f.Fix.Applicability == lint.Unsafe) {
							t.Errorf("%s: fixable finding left after fix: %s %s", c, f.Pos, f.Message)
						}
					}
				}
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it, then read it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// Every changed file's bytes outside the claimed edits are unchanged is
// checked by the transform package; here: applied counts add up.
func TestAppliedCounts(t *testing.T) {
	specs, _ := project.Discover([]string{filepath.Join(fixturesDir, "stateful-volume-missing", "fix-basic.compose.yaml")})
	res := fixer.Run(context.Background(), specs, config(rules.StatefulVolumeMissing), fixer.Options{})
	var rs []string
	for r := range res.Applied {
		rs = append(rs, r)
	}
	sort.Strings(rs)
	if diff := cmp.Diff([]string{"stateful-volume-missing"}, rs); diff != "" || res.Total() < 2 {
		t.Errorf("applied = %v (total %d), want stateful-volume-missing at least twice", res.Applied, res.Total())
	}
}

// TestSecretFileTrackedFix: a secret file in a git work tree that is
// neither tracked nor ignored gets a .gitignore line, and nothing else.
func TestSecretFileTrackedFix(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	compose := "services:\n  app:\n    image: example/app\n    secrets: [token]\nsecrets:\n  token:\n    file: ./token.txt\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "token.txt"), []byte("t0ken-value"), 0o600); err != nil {
		t.Fatal(err)
	}
	specs := []project.Spec{{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}}
	cfg := config(rules.SecretFileTracked)
	res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
	if len(res.Changes) != 0 || len(res.Standalone) != 1 || res.Applied["secret-file-tracked"] != 1 {
		t.Fatalf("changes %d, standalone %+v, applied %v", len(res.Changes), res.Standalone, res.Applied)
	}
	if refused := fixer.Apply(res); len(refused) > 0 {
		t.Fatalf("refused: %+v", refused)
	}
	ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if string(ignore) != "/token.txt\n" {
		t.Errorf(".gitignore = %q", ignore)
	}
	if again := fixer.Run(context.Background(), specs, cfg, fixer.Options{}); again.Total() != 0 {
		t.Errorf("second run applied %v", again.Applied)
	}
	if o := lint.Run(context.Background(), specs, cfg)[0]; len(o.Findings) != 0 {
		t.Errorf("still reported after the fix: %+v", o.Findings)
	}
}
