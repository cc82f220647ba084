package project

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
)

// strictRun is one load of the fixer's kind: files with their bytes, an
// environment, and the substitute (strict, or with missing required
// variables as placeholders, as the fixer's lenient evaluation).
type strictRun struct {
	dir     string
	files   map[string][]byte // by absolute path
	order   []string
	env     map[string]string
	lenient bool
}

func (r strictRun) details() types.ConfigDetails {
	d := types.ConfigDetails{WorkingDir: r.dir, Environment: maps.Clone(r.env)}
	for _, f := range r.order {
		d.ConfigFiles = append(d.ConfigFiles, types.ConfigFile{Filename: f, Content: r.files[f]})
	}
	return d
}

// recorder records every variable a substitute looks up, as the fixer's
// does (its deps must be complete).
type recorder struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (r *recorder) wrap(sub func(string, template.Mapping) (string, error)) func(string, template.Mapping) (string, error) {
	r.seen = map[string]bool{}
	return func(s string, m template.Mapping) (string, error) {
		return sub(s, func(name string) (string, bool) {
			r.mu.Lock()
			r.seen[name] = true
			r.mu.Unlock()
			return m(name)
		})
	}
}

// placeholders is the fixer's lenient substitute: a variable a
// `${VAR:?}` finds missing reads as a placeholder.
func placeholders(s string, m template.Mapping) (string, error) {
	forced := map[string]bool{}
	for {
		out, err := template.Substitute(s, func(name string) (string, bool) {
			if forced[name] {
				return "<unset " + name + ">", true
			}
			return m(name)
		})
		var missing *template.MissingRequiredError
		if errors.As(err, &missing) && !forced[missing.Variable] {
			forced[missing.Variable] = true
			continue
		}
		return out, err
	}
}

// strictOptions are the fixer's options for its evaluation (effective.go).
func strictOptions(name string, sub func(string, template.Mapping) (string, error)) func(*loader.Options) {
	return func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.Profiles = []string{"*"}
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		if o.Interpolate == nil {
			o.Interpolate = &interpolation.Options{}
		}
		o.Interpolate.Substitute = sub
	}
}

// strictOutcome is what one load gave.
type strictOutcome struct {
	model *types.Project
	err   error
	vars  map[string]bool
}

// compareStrict loads r with LoadModelStrict and with compose-go's own
// LoadWithContext and reports how they differ; fast says whether the fast
// path gave the result (and did not fall back), loaded whether the load
// succeeded (and the models were compared).
func compareStrict(t testing.TB, r strictRun) (fast, loaded bool) {
	t.Helper()
	silenceCompose()
	base := template.Substitute
	if r.lenient {
		base = placeholders
	}
	name := loader.NormalizeProjectName(filepath.Base(r.dir))
	var got, want strictOutcome
	var rg, rw recorder
	sub := rg.wrap(base)
	got.model, got.err = LoadModelStrict(context.Background(), r.details(), name, strictOptions(name, sub), sub)
	got.vars = rg.seen
	sub = rw.wrap(base)
	want.model, want.err = loader.LoadWithContext(context.Background(), r.details(), strictOptions(name, sub))
	want.vars = rw.seen
	var rf recorder
	sub = rf.wrap(base)
	_, fast = loadStrictFast(context.Background(), r.details(), name, strictOptions(name, sub), sub)

	switch {
	case (got.err == nil) != (want.err == nil):
		t.Errorf("%v: LoadModelStrict error %v, compose-go's %v", r.order, got.err, want.err)
		return fast, false
	case got.err != nil && got.err.Error() != want.err.Error() && !composeGoSays(r, name, base, got.err.Error()):
		t.Errorf("%v: LoadModelStrict error %q, compose-go's %q", r.order, got.err, want.err)
		return fast, false
	case got.err != nil:
		if fast {
			t.Errorf("%v: compose-go fails (%v) where the fast path does not", r.order, want.err)
		}
		// The fixer keeps no lookups of a load that fails; compose-go
		// stops at the first failing value, in map order.
		return fast, false
	}
	if diff := cmp.Diff(want.model, got.model, modelOpts...); diff != "" {
		t.Errorf("%v: LoadModelStrict changes the model (-compose-go +strict):\n%s", r.order, diff)
	}
	if !maps.Equal(got.vars, want.vars) {
		t.Errorf("%v: LoadModelStrict looks up %v, compose-go %v", r.order, slices.Sorted(maps.Keys(got.vars)), slices.Sorted(maps.Keys(want.vars)))
	}
	if fast && !maps.Equal(rf.seen, want.vars) {
		t.Errorf("%v: the fast path looks up %v, compose-go %v", r.order, slices.Sorted(maps.Keys(rf.seen)), slices.Sorted(maps.Keys(want.vars)))
	}
	return fast, true
}

// composeGoSays reports whether compose-go's load of r gives the error
// msg, give or take the order of its words, in one of 50 tries: some of
// its errors list a map's keys (a schema's additional properties) or name
// its first service (neither an image nor a build), which change from
// one load to the next.
//
// Two kinds of error are compared by kind, since one of their texts may
// come up once in many loads: where the project extends from several
// files that are missing, compose-go names the first it meets in map
// order (any missing file the project names will do), and where a file
// breaks the schema in several places, it reports one of them (any
// schema error of the same file will do).
func composeGoSays(r strictRun, name string, sub func(string, template.Mapping) (string, error), msg string) bool {
	_, err := loader.LoadWithContext(context.Background(), r.details(), strictOptions(name, sub))
	switch {
	case err == nil:
	case missingNamed(r, msg) && missingNamed(r, err.Error()):
		return true
	case schemaFile(msg) != "" && schemaFile(msg) == schemaFile(err.Error()):
		return true
	}
	for range 50 {
		_, err := loader.LoadWithContext(context.Background(), r.details(), strictOptions(name, sub))
		if err != nil && sameWords(err.Error(), msg) {
			return true
		}
	}
	return false
}

// schemaFile is the file a schema error of compose-go's is about, or "".
func schemaFile(msg string) string {
	rest, ok := strings.CutPrefix(msg, "validating ")
	if !ok {
		return ""
	}
	file, _, ok := strings.Cut(rest, ": ")
	if !ok {
		return ""
	}
	return file
}

// missingNamed reports whether msg is the error of opening a file that
// does not exist and that one of r's files names.
func missingNamed(r strictRun, msg string) bool {
	path, ok := strings.CutPrefix(msg, "open ")
	if !ok {
		return false
	}
	if path, ok = strings.CutSuffix(path, ": no such file or directory"); !ok {
		return false
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		return false
	}
	for _, b := range r.files {
		if strings.Contains(string(b), filepath.Base(path)) {
			return true
		}
	}
	return false
}

// sameWords reports whether a and b hold the same words, commas aside.
func sameWords(a, b string) bool {
	words := func(s string) []string {
		return slices.Sorted(slices.Values(strings.Fields(strings.ReplaceAll(s, ",", " "))))
	}
	return slices.Equal(words(a), words(b))
}

// treeRun is a strictRun of the files of a tree written by writeTree.
func treeRun(t *testing.T, files map[string]string, env map[string]string, lenient bool, names ...string) strictRun {
	t.Helper()
	dir := writeTree(t, files)
	r := strictRun{dir: dir, files: map[string][]byte{}, env: env, lenient: lenient}
	for _, n := range names {
		abs := filepath.Join(dir, n)
		r.files[abs] = []byte(files[n])
		r.order = append(r.order, abs)
	}
	return r
}

// TestLoadModelStrictSameAsComposeGo: the cases where the fast path must
// give compose-go's result, and those where it must leave the load to
// compose-go (wantFast false).
func TestLoadModelStrictSameAsComposeGo(t *testing.T) {
	web := "services:\n  web:\n    image: nginx\n"
	cases := []struct {
		name     string
		files    map[string]string
		run      []string
		env      map[string]string
		wantFast bool
		// lenientFast: a missing required variable is a placeholder.
		lenientFast bool
	}{
		{name: "plain", files: map[string]string{"compose.yaml": web}, wantFast: true},
		{name: "interpolated", wantFast: true, env: map[string]string{"TAG": "1", "RO": "true"},
			files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    read_only: ${RO}\n    ports: ['${PORT:-80}:80']\n    environment: {A: $$B, C: '${C:-x}'}\n"}},
		{name: "name from a variable", wantFast: true, env: map[string]string{"STACK": "Shop"},
			files: map[string]string{"compose.yaml": "name: ${STACK}-prod\n" + web}},
		{name: "name from the project name", wantFast: true, env: map[string]string{"COMPOSE_PROJECT_NAME": "outer"},
			files: map[string]string{"compose.yaml": "name: ${COMPOSE_PROJECT_NAME}\nservices:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n"}},
		{name: "invalid name", lenientFast: true, files: map[string]string{"compose.yaml": "name: ${X:?no name}\n" + web}},
		{name: "required variable missing", lenientFast: true, files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx:${TAG:?set TAG}\n"}},
		{name: "cast fails", env: map[string]string{"RO": "maybe"}, files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx\n    read_only: ${RO}\n"}},
		{name: "schema error", files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx\n    nope: 1\n"}},
		{name: "undefined volume", files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx\n    volumes: [data:/d]\n"}},
		{name: "override", wantFast: true, run: []string{"compose.yaml", "compose.override.yaml"},
			files: map[string]string{"compose.yaml": "name: base\n" + web + "    volumes: [./d:/d]\n", "compose.override.yaml": "name: over\nservices:\n  web:\n    ports: ['8080:80']\n"}},
		{name: "extends in the file", wantFast: true,
			files: map[string]string{"compose.yaml": "services:\n  base:\n    image: nginx\n    env_file: ./b.env\n  web:\n    extends: base\n  api:\n    extends: {service: base}\n"}},
		{name: "extends from a file",
			files: map[string]string{"compose.yaml": "services:\n  web:\n    extends: {file: base.yaml, service: base}\n", "base.yaml": "services:\n  base:\n    image: nginx:${TAG:-1}\n"}},
		{name: "job extends from a file",
			files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx\njobs:\n  j:\n    triggers: {manual: true}\n    extends: {file: base.yaml, service: base}\n", "base.yaml": "services:\n  base:\n    image: nginx:${TAG:-1}\n"}},
		{name: "include",
			files: map[string]string{"compose.yaml": "include: [sub.yaml]\n" + web, "sub.yaml": "services:\n  db:\n    image: postgres:${PG:-16}\n"}},
		{name: "reset tag", files: map[string]string{"compose.yaml": "services:\n  web:\n    image: nginx\n    ports: !reset []\n"}},
		{name: "two documents", files: map[string]string{"compose.yaml": web + "---\nservices:\n  db:\n    image: postgres\n"}},
		{name: "not a mapping", files: map[string]string{"compose.yaml": "- a\n"}},
		{name: "invalid yaml", files: map[string]string{"compose.yaml": "services: [\n"}},
		{name: "empty", files: map[string]string{"compose.yaml": ""}},
		{name: "legacy", files: map[string]string{"compose.yaml": "web:\n  image: nginx\n"}},
	}
	for _, c := range cases {
		for _, lenient := range []bool{false, true} {
			t.Run(c.name+map[bool]string{false: "", true: " (lenient)"}[lenient], func(t *testing.T) {
				run := c.run
				if run == nil {
					run = []string{"compose.yaml"}
				}
				fast, _ := compareStrict(t, treeRun(t, c.files, c.env, lenient, run...))
				if want := c.wantFast || lenient && c.lenientFast; fast != want {
					t.Errorf("fast path taken: %v, want %v", fast, want)
				}
			})
		}
	}
}

// TestLoadModelStrictCorpus: the same on every corpus file, as the
// fixer loads it (the corpus folder its working directory, no shell
// environment, strict, and lenient where strict fails); most must take
// the fast path, or this compares nothing of it.
func TestLoadModelStrictCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	if len(files) == 0 {
		t.Skip("no corpus at ../../../shared/corpus/dev (../shared is absent)")
	}
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	fastCount, loaded, lenientRuns := 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(f)
		r := strictRun{dir: filepath.Dir(abs), files: map[string][]byte{abs: b}, order: []string{abs}}
		fast, ok := compareStrict(t, r)
		if !ok {
			// The lenient substitute differs from the strict one only
			// where a required variable is missing, which fails the
			// strict load: the loads that failed are the others to try.
			r.lenient = true
			lenientRuns++
			fast, ok = compareStrict(t, r)
		}
		if fast {
			fastCount++
		}
		if ok {
			loaded++
		}
	}
	t.Logf("%d of %d files load (%d of them tried again leniently), %d the fast way", loaded, len(files), lenientRuns, fastCount)
	if fastCount < len(files)/2 {
		t.Errorf("only %d of %d corpus files took the fast path", fastCount, len(files))
	}
}

// FuzzLoadModelStrict: on any compose file (and with an override of it),
// LoadModelStrict and compose-go agree on the model, the error and the
// variables looked up.
//
//	go test ./rules/project -run '^$' -fuzz '^FuzzLoadModelStrict$' -fuzztime 60s
func FuzzLoadModelStrict(f *testing.F) {
	seeds, _ := filepath.Glob("../../../shared/corpus/dev/*")
	_ = filepath.WalkDir("../../fixtures", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (filepath.Ext(path) == ".yaml" || filepath.Ext(path) == ".yml") {
			seeds = append(seeds, path)
		}
		return nil
	})
	for i, path := range seeds {
		if b, err := os.ReadFile(path); err == nil && len(b) < 8<<10 && i%7 == 0 {
			f.Add(b, []byte(nil), false)
		}
	}
	f.Add([]byte("name: ${N:-x}\nservices:\n  web:\n    image: nginx:${TAG:-1}\n    ports: ['${PORT:-80}:80']\n    read_only: ${RO:-true}\n    labels: {a.b: '${X}'}\n"), []byte("services:\n  web:\n    environment: [A=${A:?}]\n"), true)
	// The files are handed over as bytes, as the fixer does, and are not
	// on the disk: an include or an extends from a file fails both ways.
	dir, _ := filepath.Abs(filepath.Join("testdata", "no-such-dir", "fuzz"))
	f.Fuzz(func(t *testing.T, base, override []byte, lenient bool) {
		r := strictRun{dir: dir, files: map[string][]byte{}, env: map[string]string{"TAG": "2", "RO": "false", "A": "a"}, lenient: lenient}
		for i, b := range [][]byte{base, override} {
			if i == 1 && b == nil {
				break
			}
			abs := filepath.Join(dir, []string{"compose.yaml", "compose.override.yaml"}[i])
			r.files[abs] = b
			r.order = append(r.order, abs)
		}
		compareStrict(t, r)
	})
}
