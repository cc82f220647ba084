package fixer

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

const strictCorpus = "../../../shared/corpus/dev"

// loadCall is one call of strictLoad, as evaluate makes it.
type loadCall struct {
	details    types.ConfigDetails
	name       string
	configure  func(*loader.Options)
	substitute func(string, template.Mapping) (string, error)
}

// withDetails is details with a copy of its environment, which a load
// adds to.
func withDetails(d types.ConfigDetails) types.ConfigDetails {
	d.Environment = maps.Clone(d.Environment)
	return d
}

// loadFunc is strictLoad's signature.
type loadFunc func(context.Context, types.ConfigDetails, string, func(*loader.Options), func(string, template.Mapping) (string, error)) (*types.Project, error)

// recordingLoad is c's load by load (strictLoad or compose-go's own),
// with the variables its substitute looked up.
func (c loadCall) recordingLoad(load loadFunc) (model *types.Project, seen map[string]bool, err error) {
	var mu sync.Mutex
	seen = map[string]bool{}
	sub := func(s string, m template.Mapping) (string, error) {
		return c.substitute(s, func(name string) (string, bool) {
			mu.Lock()
			seen[name] = true
			mu.Unlock()
			return m(name)
		})
	}
	configure := func(o *loader.Options) {
		c.configure(o)
		o.Interpolate.Substitute = sub
	}
	model, err = load(context.Background(), withDetails(c.details), c.name, configure, sub)
	return model, seen, err
}

// composeGoLoad is compose-go's own load, what loadModel made before
// project.LoadModelStrict.
func composeGoLoad(ctx context.Context, details types.ConfigDetails, _ string, configure func(*loader.Options), _ func(string, template.Mapping) (string, error)) (*types.Project, error) {
	return loader.LoadWithContext(ctx, details, configure)
}

// corpusFixLoads fixes the corpus folder as `fix --diff` does (nothing
// written) with strictLoad replaced by check, which sees every load of
// the fix's evaluations.
func corpusFixLoads(tb testing.TB, check func(loadCall) (*types.Project, error)) {
	tb.Helper()
	if _, err := os.Stat(strictCorpus); err != nil {
		tb.Skipf("no corpus at %s (../shared is absent): %v", strictCorpus, err)
	}
	specs, errs := project.Discover([]string{strictCorpus})
	if len(errs) > 0 || len(specs) == 0 {
		tb.Fatalf("discovering the corpus: %d projects, %v", len(specs), errs)
	}
	saved := strictLoad
	strictLoad = func(ctx context.Context, details types.ConfigDetails, name string, configure func(*loader.Options), substitute func(string, template.Mapping) (string, error)) (*types.Project, error) {
		return check(loadCall{details: withDetails(details), name: name, configure: configure, substitute: substitute})
	}
	defer func() { strictLoad = saved }()
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}}}
	Fix(context.Background(), specs, cfg, Options{DryRun: true})
}

// TestStrictLoadSameDuringCorpusFix: every load the fixer's evaluations
// make while fixing the corpus gives, through project.LoadModelStrict,
// what compose-go's own load gives: the same model, the same error (in
// compose-go's words), the same variables looked up.
func TestStrictLoadSameDuringCorpusFix(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus fix is skipped with -short")
	}
	// Each change a failing run blames is tried alone (trialEvery), as
	// before varReasons: many more loads, of files the pass left half
	// done, than the fix now makes.
	trialEvery = true
	defer func() { trialEvery = false }()
	var loads, loaded atomic.Int64
	corpusFixLoads(t, func(c loadCall) (*types.Project, error) {
		loads.Add(1)
		got, gotVars, gotErr := c.recordingLoad(project.LoadModelStrict)
		want, wantVars, wantErr := c.recordingLoad(composeGoLoad)
		files := make([]string, len(c.details.ConfigFiles))
		for i, f := range c.details.ConfigFiles {
			files[i] = filepath.Base(f.Filename)
		}
		switch {
		case (gotErr == nil) != (wantErr == nil):
			t.Errorf("%v: LoadModelStrict error %v, compose-go's %v", files, gotErr, wantErr)
		case gotErr != nil:
			if !sameError(c, gotErr.Error(), wantErr.Error()) {
				t.Errorf("%v: LoadModelStrict error %q, compose-go's %q", files, gotErr, wantErr)
			}
		default:
			loaded.Add(1)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("%v: LoadModelStrict changes the model (-compose-go +strict):\n%s", files, diff)
			}
			if !maps.Equal(gotVars, wantVars) {
				t.Errorf("%v: LoadModelStrict looks up %v, compose-go %v", files, slices.Sorted(maps.Keys(gotVars)), slices.Sorted(maps.Keys(wantVars)))
			}
		}
		// The fix goes on with compose-go's answer.
		return c.load(composeGoLoad)
	})
	t.Logf("%d loads compared, %d of them load", loads.Load(), loaded.Load())
	// TestLoadModelStrictCorpus compares every corpus file as it is.
	if loaded.Load() < 100 {
		t.Errorf("only %d loads of the corpus fix succeeded: the comparison compares little", loaded.Load())
	}
}

// load is c's load by load, on its own copy of the environment.
func (c loadCall) load(load loadFunc) (*types.Project, error) {
	return load(context.Background(), withDetails(c.details), c.name, c.configure, c.substitute)
}

// sameError reports whether compose-go's load of c says got, give or
// take the order of its words, in one of 50 tries: some of its errors
// list a map's keys or name its first service, which change from one
// load to the next.
func sameError(c loadCall, got, want string) bool {
	words := func(s string) []string {
		return slices.Sorted(slices.Values(strings.Fields(strings.ReplaceAll(s, ",", " "))))
	}
	if slices.Equal(words(got), words(want)) {
		return true
	}
	for range 50 {
		if _, err := c.load(composeGoLoad); err != nil && slices.Equal(words(got), words(err.Error())) {
			return true
		}
	}
	return false
}

// BenchmarkEvaluateLoads times the loads of a corpus fix's evaluations
// (recorded once from a `fix --diff` of the corpus) made by compose-go's
// own load and by project.LoadModelStrict:
//
//	go test ./transform/fixer -run '^$' -bench BenchmarkEvaluateLoads -benchtime 3x
func BenchmarkEvaluateLoads(b *testing.B) {
	var calls []loadCall
	var mu sync.Mutex
	corpusFixLoads(b, func(c loadCall) (*types.Project, error) {
		mu.Lock()
		calls = append(calls, c)
		mu.Unlock()
		return c.load(composeGoLoad)
	})
	b.Logf("%d loads", len(calls))
	for _, bc := range []struct {
		name string
		load loadFunc
	}{{"compose-go", composeGoLoad}, {"strict", project.LoadModelStrict}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, c := range calls {
					_, _ = c.load(bc.load)
				}
			}
		})
	}
}
