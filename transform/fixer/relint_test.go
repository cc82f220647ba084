package fixer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// TestOutcomeStale: a project is linted again after a withholding when a
// file it reads changed, a .gitignore above it, its .env or .env template
// where a variable it reads or one its fixes may pick (KEY, SERVICE_KEY)
// changed, or such a file came or went; not for a variable nothing of it
// reads or picks, or a key it gives a value of its own.
func TestOutcomeStale(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	dot := filepath.Join(dir, ".env")
	template := filepath.Join(dir, ".env.example")
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Both names the secret's fix may give PASSWORD are taken with other
	// values: the finding has no fix until one is free again.
	write(compose, "services:\n  shadowsocks:\n    image: example.org/ss:1\n    environment:\n      PASSWORD: 9Mxq2Lw7Kp3Vn8Rt\n      MODE: ${MODE:-fast}\n      LEVEL: debug\n")
	write(dot, "PASSWORD=a\nSHADOWSOCKS_PASSWORD=b\n")
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	outs := lint.Run(context.Background(), []project.Spec{{Files: []string{compose}, Dir: dir}}, cfg)
	if outs[0].Project == nil {
		t.Fatal(outs[0].Err)
	}
	if len(outs[0].Findings) == 0 || outs[0].Findings[0].Fix != nil {
		t.Fatalf("want a secret finding without a fix: %+v", outs[0].Findings)
	}
	for _, c := range []struct {
		name     string
		from, to map[string][]byte
		stale    bool
	}{
		{"nothing changed", nil, nil, false},
		{"an unnamed variable", nil, map[string][]byte{dot: []byte("PASSWORD=a\nSHADOWSOCKS_PASSWORD=b\nNEW=c\n")}, false},
		{"a named variable", nil, map[string][]byte{dot: []byte("PASSWORD=a\nSHADOWSOCKS_PASSWORD=b\nMODE=slow\n")}, true},
		{"a name its fix may pick, freed", nil, map[string][]byte{dot: []byte("PASSWORD=a\n")}, true},
		{"the name its fix wants", nil, map[string][]byte{dot: []byte("PASSWORD=c\nSHADOWSOCKS_PASSWORD=b\n")}, true},
		{"a key it gives a value", nil, map[string][]byte{dot: []byte("PASSWORD=a\nSHADOWSOCKS_PASSWORD=b\nLEVEL=info\n")}, false},
		{"the template lists a name its fix may pick", map[string][]byte{template: []byte("# a comment\n")}, map[string][]byte{template: []byte("# a comment\nSHADOWSOCKS_PASSWORD=\n")}, true},
		{"the template lists another name", map[string][]byte{template: []byte("# a comment\n")}, map[string][]byte{template: []byte("# a comment\nOTHER=\n")}, false},
		{"the template comes, naming none of its names", nil, map[string][]byte{template: []byte("# a comment\n")}, false},
		{"its compose file", map[string][]byte{compose: []byte("services: {}\n")}, nil, true},
		{"a .gitignore above it, outside a work tree", nil, map[string][]byte{filepath.Join(filepath.Dir(dir), ".gitignore"): []byte(".env\n")}, false},
		{"a .gitignore elsewhere", nil, map[string][]byte{filepath.Join(t.TempDir(), ".gitignore"): []byte(".env\n")}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := staleAfter(outs, c.from, c.to, nil)
			if (len(got) > 0) != c.stale {
				t.Errorf("stale = %v, want %v", got, c.stale)
			}
		})
	}

	// In a work tree, a .gitignore above it or in it: git's answers for
	// its env and secret files may change.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got := staleAfter(outs, nil, map[string][]byte{filepath.Join(dir, ".gitignore"): []byte(".env\n")}, nil); len(got) != 1 {
		t.Errorf("a .gitignore in a work tree: stale = %v", got)
	}

	// A .env that comes: by the names it sets.
	other := t.TempDir()
	write(filepath.Join(other, "compose.yaml"), "services:\n  app:\n    image: example.org/app:${TAG:-1}\n")
	outs = lint.Run(context.Background(), []project.Spec{{Files: []string{filepath.Join(other, "compose.yaml")}, Dir: other}}, cfg)
	if got := staleAfter(outs, nil, map[string][]byte{filepath.Join(other, ".env"): []byte("TAG=2\n")}, nil); len(got) != 1 {
		t.Errorf("a .env that comes and sets a variable it reads: stale = %v", got)
	}
	if got := staleAfter(outs, nil, map[string][]byte{filepath.Join(other, ".env"): []byte("Z=1\n")}, nil); len(got) != 0 {
		t.Errorf("a .env that comes and sets another: stale = %v", got)
	}
	if got := staleAfter(outs, nil, map[string][]byte{filepath.Join(other, ".env"): []byte("TAG='2\n")}, nil); len(got) != 1 {
		t.Errorf("a .env that does not parse: stale = %v", got)
	}
	if got := staleAfter([]lint.Outcome{{}}, nil, map[string][]byte{compose: nil}, nil); !slices.Equal(got, []int{0}) {
		t.Errorf("a project that did not load: stale = %v", got)
	}
}

// TestOutcomeStaleTemplates: a fix that moves a secret to .env lists its
// name in the first .env template there is (.env.example, .env.sample,
// .env.dist): a template that comes where it writes changes the fix only
// when it names the variable; another that comes may be picked instead.
func TestOutcomeStaleTemplates(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(compose, []byte("services:\n  app:\n    image: example.org/app:1\n    environment:\n      API_TOKEN: tq8Zr2Lx4Wv7Kp3N\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}, Jobs: 1}
	outs := lint.Run(context.Background(), []project.Spec{{Files: []string{compose}, Dir: dir}}, cfg)
	example, sample := filepath.Join(dir, ".env.example"), filepath.Join(dir, ".env.sample")
	writes := false
	for _, f := range outs[0].Findings {
		if f.Fix != nil && writesBeside(f.Fix.Writes, example) {
			writes = true
		}
	}
	if !writes {
		t.Fatalf("want a fix that lists its variable in .env.example: %+v", outs[0].Findings)
	}
	for _, c := range []struct {
		name  string
		to    map[string][]byte
		stale bool
	}{
		{"the template it writes comes, with another name", map[string][]byte{example: []byte("OTHER=\n")}, false},
		{"the template it writes comes, with its name", map[string][]byte{example: []byte("API_TOKEN=\n")}, true},
		{"another template comes", map[string][]byte{sample: []byte("OTHER=\n")}, true},
	} {
		if got := staleAfter(outs, nil, c.to, nil); (len(got) > 0) != c.stale {
			t.Errorf("%s: stale = %v, want %v", c.name, got, c.stale)
		}
	}
}

// TestRelintSameAsEvery: fixing the corpus folder (every file a sibling
// of every other, one .env for all) relinting only the stale projects
// after a withholding gives what relinting every one gives: the same
// changes, withheld fixes and findings left.
func TestRelintSameAsEvery(t *testing.T) {
	dir := "../../../shared/corpus/dev"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}}
	fix := func(every bool) *Result {
		relintEvery = every
		defer func() { relintEvery = false }()
		return Fix(context.Background(), specs, cfg, Options{DryRun: true})
	}
	want, got := fix(true), fix(false)
	type left struct {
		Rule, Msg, Pos, Fix string
	}
	summary := func(res *Result) (map[string]string, []Withheld, []left) {
		changes := map[string]string{}
		for _, c := range res.Changes {
			changes[c.Abs] = string(c.Fixed)
		}
		var l []left
		for _, o := range res.After {
			for _, f := range o.Findings {
				fx := ""
				if f.Fix != nil {
					fx = f.Fix.Title + " " + f.Fix.Applicability.String()
				}
				l = append(l, left{f.Rule, f.Message, f.Pos.String(), fx})
			}
		}
		return changes, res.Withheld, l
	}
	wc, ww, wl := summary(want)
	gc, gw, gl := summary(got)
	if d := cmp.Diff(wc, gc); d != "" {
		t.Errorf("changes differ (-every +stale):\n%s", d)
	}
	if d := cmp.Diff(ww, gw); d != "" {
		t.Errorf("withheld fixes differ (-every +stale):\n%s", d)
	}
	if d := cmp.Diff(wl, gl); d != "" {
		t.Errorf("findings left differ (-every +stale):\n%s", d)
	}
}
