package fixer_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestCorpusFixKeepsEffectiveConfig is issue 13's corpus test: for every
// corpus project that fix changes, each service's effective configuration
// (compose-go's own load, env files resolved: an independent judge of
// the fixer's evaluation) is the same before and after, except where a
// fix aims (mounts, secrets): the same value reaches the same variable
// (directly or through the secret file its _FILE variable names), no
// variable appears that was not there, and no container gets both VAR and
// VAR_FILE.
func TestCorpusFixKeepsEffectiveConfig(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	all := rules.All()
	stats := map[string]int{}
	for _, e := range entries {
		dir, path, _ := corpusCopy(t, e.Name())
		before, err := loadEffective(dir, path)
		if err != nil {
			stats["not loadable by docker compose here"]++
			continue
		}
		specs := []project.Spec{{Files: []string{path}, Dir: dir}}
		cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
		res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{})
		stats["withheld"] += len(res.Withheld)
		if len(res.Changes) == 0 {
			stats["unchanged"]++
			continue
		}
		stats["changed and judged"]++
		after, err := loadEffective(dir, path)
		if err != nil {
			t.Errorf("%s: no longer loads after fix: %v", e.Name(), err)
			continue
		}
		for _, d := range effectiveDiff(before, after) {
			t.Errorf("%s: %s", e.Name(), d)
		}
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-40s %d", k, stats[k])
	}
}

// loadEffective loads file as `docker compose -f file config` does in dir,
// with no shell environment, every profile, env files resolved.
func loadEffective(dir, file string) (*types.Project, error) {
	po, err := cli.NewProjectOptions([]string{file}, cli.WithWorkingDirectory(dir), cli.WithName("corpus"),
		cli.WithEnvFiles(), cli.WithDotEnv, cli.WithProfiles([]string{"*"}))
	if err != nil {
		return nil, err
	}
	return po.LoadProject(context.Background())
}

// delivered is what a service's process gets per variable: the direct
// value, or the content of the secret its VAR_FILE names; both lists the
// variables set both ways.
func delivered(p *types.Project, s types.ServiceConfig) (map[string]string, []string) {
	at := map[string]string{}
	for _, g := range s.Secrets {
		target := g.Target
		if target == "" {
			target = g.Source
		}
		content := "<unknown>"
		if def, ok := p.Secrets[g.Source]; ok {
			switch {
			case def.File != "":
				if b, err := os.ReadFile(def.File); err == nil {
					content = string(b)
				}
			case def.Environment != "":
				content = p.Environment[def.Environment]
			}
		}
		if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		at[target] = content
		if name, ok := strings.CutPrefix(target, "/run/secrets/"); ok {
			at[name] = content // an image that adds the directory itself
		}
	}
	out := map[string]string{}
	files := map[string]string{}
	for k, v := range s.Environment {
		if v == nil {
			continue
		}
		if base, ok := strings.CutSuffix(k, "_FILE"); ok {
			if c, ok := at[*v]; ok {
				files[strings.TrimSuffix(base, "_")] = c
				continue
			}
		}
		out[k] = *v
	}
	var both []string
	for k, c := range files {
		if _, ok := out[k]; ok {
			both = append(both, k)
			continue
		}
		out[k] = c
	}
	return out, both
}

func effectiveDiff(a, b *types.Project) []string {
	var diffs []string
	for _, name := range a.ServiceNames() {
		sa := a.Services[name]
		sb, ok := b.Services[name]
		if !ok {
			diffs = append(diffs, "service "+name+" is gone")
			continue
		}
		va, bothA := delivered(a, sa)
		vb, bothB := delivered(b, sb)
		for _, k := range bothB {
			if !contains(bothA, k) {
				diffs = append(diffs, name+": gets both "+k+" and "+k+"_FILE")
			}
		}
		for k, v := range va {
			if w, ok := vb[k]; !ok && !contains(bothB, k) {
				diffs = append(diffs, name+": no longer gets "+k)
			} else if ok && w != v {
				diffs = append(diffs, name+": gets another value for "+k)
			}
		}
		for k := range vb {
			if _, ok := va[k]; !ok && !contains(bothA, k) {
				diffs = append(diffs, name+": gets "+k+", which it did not have")
			}
		}
		// Where fixes aim: mounts (volumes, tmpfs) and secrets.
		sa.Environment, sb.Environment = nil, nil
		sa.Volumes, sb.Volumes, sa.Tmpfs, sb.Tmpfs, sa.Secrets, sb.Secrets = nil, nil, nil, nil, nil, nil
		if d := cmp.Diff(sa, sb); d != "" {
			diffs = append(diffs, name+": changed where no fix aims:\n"+d)
		}
	}
	return diffs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
