package fixer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
	"github.com/composure-dev/composure/transform/fixer"
)

const corpusDir = "../../../shared/corpus/dev"

// corpusCopy copies the corpus file name into a folder of its own (a
// project alone: the flat corpus would make every file a sibling of every
// other) and returns the folder, the copy's path and its bytes.
func corpusCopy(t *testing.T, name string) (dir, path string, src []byte) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path, src
}

// TestCorpusFixProperties fixes every corpus file in a temp dir and checks
// what issue #3 asks: (a) the result loads, (b) a second run changes
// nothing, (c) no safely fixable finding is left, (d) every comment line
// stays, (e) every change lies inside an edit, (f) no fixed secret value
// stays in the compose file, (g) secret files are 0600 and gitignored,
// (h) the models before and after differ only where fixes aimed.
func TestCorpusFixProperties(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	all := rules.All()
	stats := map[string]int{}
	for _, e := range entries {
		dir, path, src := corpusCopy(t, e.Name())
		specs := []project.Spec{{Files: []string{path}, Dir: dir}}
		cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
		before := lint.Run(context.Background(), specs, cfg)[0]
		if before.Err != nil {
			stats["not loadable"]++
			continue
		}
		res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
		if len(res.Refused) > 0 {
			stats["refused"]++
			t.Logf("%s: refused: %+v", e.Name(), res.Refused)
		}
		if len(res.Changes) == 0 {
			stats["unchanged"]++
			continue
		}
		stats["fixed"]++
		for r, n := range res.Applied {
			stats["applied "+r] += n
		}
		if refused := fixer.Apply(res); len(refused) > 0 {
			t.Errorf("%s: apply refused: %+v", e.Name(), refused)
			continue
		}
		fixed, _ := os.ReadFile(path)
		after := lint.Run(context.Background(), specs, cfg)[0]
		// (a)
		if after.Err != nil {
			t.Errorf("%s: (a) fixed file does not load: %v", e.Name(), after.Err)
			continue
		}
		// (b)
		if again := fixer.Run(context.Background(), specs, cfg, fixer.Options{}); len(again.Changes) > 0 {
			t.Errorf("%s: (b) second fix changed it again", e.Name())
		}
		// (c): but a fix withheld because the project would not run as
		// before with it (a VAR that env_file also sets) is left on purpose;
		// lint, which does not verify fixes, still calls it fixable.
		withheld := map[string]bool{}
		for _, w := range res.Withheld {
			withheld[fmt.Sprint(w.Rule, w.Service, w.Line)] = true
		}
		for _, f := range after.Findings {
			if f.Fix != nil && f.Fix.Applicability == lint.Safe && !withheld[fmt.Sprint(f.Rule, f.Service, f.Pos.Line)] {
				t.Errorf("%s: (c) safely fixable finding left: %s: %s", e.Name(), f.Pos, f.Message)
			}
		}
		// (d)
		for _, line := range strings.Split(string(src), "\n") {
			if c := strings.TrimSpace(line); strings.HasPrefix(c, "#") && !bytes.Contains(fixed, []byte(c)) {
				t.Errorf("%s: (d) comment lost: %q", e.Name(), c)
			}
		}
		// (e)
		for _, ch := range res.Changes {
			cur := ch.Original
			for _, st := range ch.Steps {
				if !bytes.Equal(cur, st.Before) {
					t.Errorf("%s: (e) pass input differs from the previous output", e.Name())
				}
				cur = replay(t, st.Before, st.Edits)
			}
			if !bytes.Equal(cur, ch.Fixed) {
				t.Errorf("%s: (e) the result is not the replay of its edits", e.Name())
			}
		}
		// (f): the fixed entry no longer holds the value, and a long
		// secret (which nothing else would contain by chance) appears no
		// more often than in the places no fix touched.
		count := map[string]int{}
		for _, f := range before.Findings {
			if f.Fix == nil || f.Fix.Applicability != lint.Safe || f.Rule != "secret-in-environment" {
				continue
			}
			for _, s := range f.Redact {
				count[s]++
			}
			segs := strings.Split(strings.NewReplacer("[", "", "]", "").Replace(f.Path), ".")
			if loc := after.Project.Locate(segs...); loc.Depth == len(segs) && loc.Node != nil {
				for _, s := range f.Redact {
					if strings.Contains(loc.Node.Value, s) && !strings.Contains(loc.Node.Value, "${") {
						t.Errorf("%s: (f) %s still holds its secret", e.Name(), f.Path)
					}
				}
			}
		}
		for s, n := range count {
			if len(s) >= 12 && bytes.Count(fixed, []byte(s)) > bytes.Count(src, []byte(s))-n {
				t.Errorf("%s: (f) a fixed secret value is still in the compose file", e.Name())
			}
		}
		// (g)
		for _, w := range res.Writes {
			st, err := os.Stat(w.Path)
			if err != nil {
				t.Errorf("%s: (g) %s not written: %v", e.Name(), w.Path, err)
				continue
			}
			if (w.Kind == lint.CreateSecret || w.Secret) && st.Mode().Perm() != 0o600 {
				t.Errorf("%s: (g) %s has mode %v, want 0600", e.Name(), w.Path, st.Mode().Perm())
			}
			if w.Secret || w.Kind == lint.CreateSecret {
				ignore, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
				rel, _ := filepath.Rel(dir, w.Path)
				top := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
				if !bytes.Contains(ignore, []byte(top)) {
					t.Errorf("%s: (g) %s is not gitignored", e.Name(), rel)
				}
			}
		}
		// (h)
		if diff := modelDiff(before.Project.Model, after.Project.Model); diff != "" {
			t.Errorf("%s: (h) models differ beyond the fixes:\n%s", e.Name(), diff)
		}
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-45s %d", k, stats[k])
	}
}

// replay applies edits with a naive, independent applier.
func replay(t *testing.T, src []byte, edits []transform.Edit) []byte {
	t.Helper()
	var out []byte
	last := 0
	for _, e := range edits {
		if e.Start < last {
			t.Fatalf("edits overlap or are unsorted")
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...)
}

// modelDiff compares two merged models, allowing only what fixes do:
// mounts added or given a source, secrets added and granted, environment
// entries replaced by their _FILE form or by ${VAR:?...}.
func modelDiff(a, b *types.Project) string {
	var diffs []string
	for name, sa := range a.Services {
		sb, ok := b.Services[name]
		if !ok {
			diffs = append(diffs, "service "+name+" disappeared")
			continue
		}
		for _, va := range sa.Volumes {
			found := false
			for _, vb := range sb.Volumes {
				if vb.Target == va.Target && (vb.Source == va.Source || va.Source == "") {
					found = true
				}
			}
			if !found {
				diffs = append(diffs, name+": mount on "+va.Target+" changed or disappeared")
			}
		}
		for k, v := range sa.Environment {
			vb, ok := sb.Environment[k]
			switch {
			case ok && (v == nil) == (vb == nil) && (v == nil || *v == *vb):
			case ok && vb != nil && strings.Contains(*vb, ":?"):
			case !ok && (hasKey(sb.Environment, k+"_FILE") || hasKey(sb.Environment, k+"__FILE")):
			default:
				diffs = append(diffs, name+": environment "+k+" changed unexpectedly")
			}
		}
		sa.Volumes, sb.Volumes, sa.Environment, sb.Environment, sa.Secrets, sb.Secrets = nil, nil, nil, nil, nil, nil
		if d := cmp.Diff(sa, sb); d != "" {
			diffs = append(diffs, name+": "+d)
		}
	}
	for k := range a.Volumes {
		if _, ok := b.Volumes[k]; !ok {
			diffs = append(diffs, "top-level volume "+k+" disappeared")
		}
	}
	for k := range a.Secrets {
		if _, ok := b.Secrets[k]; !ok {
			diffs = append(diffs, "top-level secret "+k+" disappeared")
		}
	}
	return strings.Join(diffs, "\n")
}

func hasKey(m types.MappingWithEquals, k string) bool {
	_, ok := m[k]
	return ok
}
