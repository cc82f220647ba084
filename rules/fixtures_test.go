package rules_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// fixturesDir holds one folder per rule: compose files (and multi-file
// projects in sub-folders) whose offending lines carry a `# want` comment,
// optionally with a quoted substring of the message: # want "tmpfs".
const fixturesDir = "../fixtures"

var wantRe = regexp.MustCompile(`#\s*want(?:\s+"([^"]*)")?\s*$`)

// expectation is one `# want` line.
type expectation struct {
	File string
	Line int
	Text string
}

// TestFixtures runs every rule on its fixture folder: the rule must report
// exactly the lines marked `# want`, and nothing in clean files.
func TestFixtures(t *testing.T) {
	for _, r := range rules.All() {
		if r.Meta {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join(fixturesDir, r.ID)
			got, files := lintRule(t, dir, r)
			want := expectations(t, files)
			var gotKeys, wantKeys []string
			for _, f := range got {
				gotKeys = append(gotKeys, fmt.Sprintf("%s:%d", filepath.ToSlash(f.Pos.File), f.Pos.Line))
			}
			for _, w := range want {
				wantKeys = append(wantKeys, fmt.Sprintf("%s:%d", filepath.ToSlash(w.File), w.Line))
			}
			sort.Strings(gotKeys)
			sort.Strings(wantKeys)
			if diff := cmp.Diff(wantKeys, gotKeys); diff != "" {
				for _, f := range got {
					t.Logf("got %s: %s", f.Pos, f.Message)
				}
				t.Errorf("findings differ from # want lines (-want +got):\n%s", diff)
			}
			for _, w := range want {
				if w.Text == "" {
					continue
				}
				found := false
				for _, f := range got {
					if f.Pos.File == w.File && f.Pos.Line == w.Line && strings.Contains(f.Message, w.Text) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s:%d: no finding whose message contains %q", w.File, w.Line, w.Text)
				}
			}
		})
	}
}

// TestDeclaredApplicability holds each rule to the fix it declares, which
// `composure rules`, the docs and SARIF show: a rule that declares NoFix
// attaches none, and any other attaches, on its bad fixtures, fixes of
// exactly that applicability or less automatic ones (a fix that touches a
// comment is downgraded), the declared one among them. The fixtures are
// copied into a fresh git work tree where nothing is committed, as in a
// user's new project (secret-file-tracked offers its fix for a file git
// would commit, not for one it already has).
func TestDeclaredApplicability(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found: secret-file-tracked needs a work tree")
	}
	for _, r := range rules.All() {
		if r.Meta {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(fixturesDir, r.ID))); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
				t.Fatalf("git init: %v %s", err, out)
			}
			got := map[lint.Applicability]int{}
			for _, run := range []lint.RunOptions{{}, {External: true}} {
				fs, _ := lintRuleWith(t, dir, r, run)
				for _, f := range fs {
					if f.Fix != nil {
						got[f.Fix.Applicability]++
					}
				}
			}
			if r.Fix == lint.NoFix {
				if len(got) > 0 {
					t.Errorf("declares no fix, but its findings carry fixes: %v", got)
				}
				return
			}
			if got[r.Fix] == 0 {
				t.Errorf("declares %s fixes, but no finding of its fixtures carries one (got %v)", r.Fix, got)
			}
			for a := range got {
				if a < r.Fix {
					t.Errorf("declares %s fixes, but a finding carries a %s one", r.Fix, a)
				}
			}
		})
	}
}

// lintRule loads every project under dir and runs one rule on it, through
// the post-processing pipeline `composure lint` runs. It returns the
// findings and every file that was read.
func lintRule(t *testing.T, dir string, r *lint.Rule) ([]lint.Finding, []*project.File) {
	t.Helper()
	return lintRuleWith(t, dir, r, lint.RunOptions{})
}

// lintRuleWith is lintRule with run options (fix --external).
func lintRuleWith(t *testing.T, dir string, r *lint.Rule, run lint.RunOptions) ([]lint.Finding, []*project.File) {
	t.Helper()
	cfg := lint.Config{Catalogue: rules.All(), Rules: []*lint.Rule{r}, Run: run}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 {
		t.Fatalf("discover %s: %v", dir, errs)
	}
	if len(specs) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	var all []lint.Finding
	var files []*project.File
	var loaded []*project.Project
	for _, spec := range specs {
		p, err := project.Load(context.Background(), spec, project.Options{Environ: []string{}})
		if err != nil {
			t.Fatalf("load %v: %v", spec.Files, err)
		}
		loaded = append(loaded, p)
	}
	parts := project.PartOf(loaded)
	for i, p := range loaded {
		if specs[i].Within(parts) {
			continue
		}
		fs, err := lint.Check(p, knowledge.Default(), cfg.Rules, cfg.Run)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, lint.Process(p, fs, &cfg).Findings...)
		files = append(files, p.Files...)
		files = append(files, p.Extra...)
	}
	return lint.Combine(all), files
}

func expectations(t *testing.T, files []*project.File) []expectation {
	t.Helper()
	var out []expectation
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Abs] {
			continue
		}
		seen[f.Abs] = true
		for i, line := range strings.Split(string(f.Content), "\n") {
			if m := wantRe.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
				out = append(out, expectation{File: f.Path, Line: i + 1, Text: m[1]})
			}
		}
	}
	return out
}

// TestCatalogue keeps the registry honest: unique kebab-case ids, complete
// docs, and a fixture folder with at least one bad and one clean file.
func TestCatalogue(t *testing.T) {
	idRe := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if !idRe.MatchString(r.ID) {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule id %q is registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Doc.What == "" || r.Doc.Why == "" || r.Doc.Bad == "" || r.Doc.Good == "" {
			t.Errorf("rule %s: title, what, why, bad and good docs are required", r.ID)
		}
		if r.Meta {
			continue // reported by the suppression step: tested in suppress_test.go
		}
		if r.Severity == lint.Off || r.Check == nil {
			t.Errorf("rule %s: needs a default severity and a check", r.ID)
		}
		entries, err := os.ReadDir(filepath.Join(fixturesDir, r.ID))
		if err != nil {
			t.Errorf("rule %s has no fixtures: %v", r.ID, err)
			continue
		}
		var bad, good bool
		for _, e := range entries {
			bad = bad || strings.HasPrefix(e.Name(), "bad")
			good = good || strings.HasPrefix(e.Name(), "good")
		}
		if !bad || !good {
			t.Errorf("rule %s: fixtures need a bad* and a good* case", r.ID)
		}
	}
}

// TestDocExamples re-runs each rule on its own doc examples: Bad must be
// reported, Good must be clean.
func TestDocExamples(t *testing.T) {
	for _, r := range rules.All() {
		if r.Meta {
			continue // their examples are checked through Run in suppress_test.go
		}
		t.Run(r.ID, func(t *testing.T) {
			for _, c := range []struct {
				name, src string
				files     map[string]string
				want      bool
			}{{"bad", r.Doc.Bad, r.Doc.BadFiles, true}, {"good", r.Doc.Good, r.Doc.GoodFiles, false}} {
				dir := t.TempDir()
				path := filepath.Join(dir, "compose.yaml")
				if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
					t.Fatal(err)
				}
				for name, content := range c.files {
					p := filepath.Join(dir, filepath.FromSlash(name))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if len(c.files) > 0 {
					// examples with files are about a project in a git work tree
					if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
						t.Skipf("git init: %v %s", err, out)
					}
				}
				p, err := project.Load(context.Background(), project.Spec{Files: []string{path}, Dir: dir}, project.Options{Environ: []string{}})
				if err != nil {
					t.Fatalf("%s example does not load: %v", c.name, err)
				}
				fs, err := lint.Check(p, knowledge.Default(), []*lint.Rule{r}, lint.RunOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(fs) > 0; got != c.want {
					t.Errorf("%s example: reported=%v, want %v (%v)", c.name, got, c.want, fs)
				}
			}
		})
	}
}
