package rules_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/bench/gen"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// loadVariant is a set of compose-go loader options tried on top of the
// ones composure uses (project.loadModel).
type loadVariant struct {
	name string
	set  func(o *loader.Options)
}

var loadVariants = []loadVariant{
	{"baseline", func(*loader.Options) {}},
	{"SkipValidation", func(o *loader.Options) { o.SkipValidation = true }},
	{"SkipConsistencyCheck", func(o *loader.Options) { o.SkipConsistencyCheck = true }},
	{"SkipNormalization", func(o *loader.Options) { o.SkipNormalization = true }},
	{"SkipDefaultValues", func(o *loader.Options) { o.SkipDefaultValues = true }},
	{"ResolvePathsFalse", func(o *loader.Options) { o.ResolvePaths = false }},
	{"SkipInterpolation", func(o *loader.Options) { o.SkipInterpolation = true }},
	{"NoTypeCastMapping", func(o *loader.Options) { o.Interpolate.TypeCastMapping = map[tree.Path]interpolation.Cast{} }},
	{"NoTypeCast+SkipConsistency", func(o *loader.Options) {
		o.Interpolate.TypeCastMapping = map[tree.Path]interpolation.Cast{}
		o.SkipConsistencyCheck = true
	}},
	{"NoTypeCast+SkipValidation", func(o *loader.Options) {
		o.Interpolate.TypeCastMapping = map[tree.Path]interpolation.Cast{}
		o.SkipValidation = true
	}},
}

// corpusProject is one corpus file: composure's own load (for the parsed
// files the rules locate with) and the inputs loadModel hands compose-go.
type corpusProject struct {
	file    string
	base    *project.Project // nil when composure could not load it
	details types.ConfigDetails
}

// variantResult is one variant's model (or error) per corpus file.
type variantResult struct {
	models []*types.Project
	errs   []error
}

// BenchmarkComposeOptions loads every corpus file straight through
// compose-go's loader.LoadWithContext with composure's options plus one
// variant, and reports, against the baseline:
//
//   - loads_differ: files that load under one and fail under the other
//     (a file that fails under both counts as the same, whatever the
//     message);
//   - models_differ: files loaded by both whose types.Project differs
//     (go-cmp, unexported fields included);
//   - findings_differ: files loaded by both whose findings (rule,
//     position, message, fixability) differ when the rules run on the
//     variant's model;
//   - ns/file: the time of the variant's compose-go load alone (one pass
//     over the corpus: noisy on a shared machine).
//
// Besides the corpus it loads gen.CastProbes, compose files with a value at
// every path compose-go's interpolation casts, which the corpus barely
// covers. The first differences of each kind are logged (-v). Run with
// -benchtime 1x:
//
//	go test ./rules -run X -bench ComposeOptions -benchtime 1x -v
func BenchmarkComposeOptions(b *testing.B) {
	dir, ok := gen.CorpusDir()
	if !ok {
		b.Skip("corpus not available: skipping")
	}
	projects := prepareCorpus(b, dir, corpusAndProbes(b, dir))
	if len(projects) == 0 {
		b.Skip("corpus empty: skipping")
	}
	// b.Run may call a sub-benchmark more than once: load each variant once
	results := map[string]*variantResult{}
	models := func(v loadVariant) *variantResult {
		if r, ok := results[v.name]; ok {
			return r
		}
		r := &variantResult{models: make([]*types.Project, len(projects)), errs: make([]error, len(projects))}
		for i, cp := range projects {
			r.models[i], r.errs[i] = loadWith(v, cp)
		}
		results[v.name] = r
		return r
	}
	base := models(loadVariants[0])
	for _, v := range loadVariants {
		b.Run(v.name, func(b *testing.B) {
			loads, changed, finds := compareVariant(b, v.name, projects, base, models(v))
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				for _, cp := range projects {
					_, _ = loadWith(v, cp)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*len(projects)), "ns/file")
			// after the timed loop: ResetTimer drops metrics reported before it
			b.ReportMetric(float64(loads), "loads_differ")
			b.ReportMetric(float64(changed), "models_differ")
			b.ReportMetric(float64(finds), "findings_differ")
		})
	}
}

// prepareCorpus loads every corpus file with composure and builds the
// ConfigDetails project.loadModel would build (our parse handed over as
// Config for single-document files without !reset/!override).
func prepareCorpus(b *testing.B, dir string, files []string) []corpusProject {
	ctx := context.Background()
	var out []corpusProject
	for _, f := range files {
		spec := project.Spec{Files: []string{f}, Dir: filepath.Dir(f)}
		p, err := project.Load(ctx, spec, project.Options{Environ: []string{}})
		cp := corpusProject{file: f}
		if err == nil {
			cp.base = p
		}
		abs, _ := filepath.Abs(f)
		cp.details = types.ConfigDetails{WorkingDir: filepath.Dir(abs), Environment: map[string]string{}}
		cf := types.ConfigFile{Filename: abs}
		if p != nil {
			pf := p.Files[0]
			cf.Content = pf.Content
			if len(pf.Docs) == 1 && !pf.HasTags {
				var raw map[string]any
				if pf.Docs[0].Decode(&raw) == nil && raw != nil {
					cf.Config = raw
				}
			}
		}
		cp.details.ConfigFiles = []types.ConfigFile{cf}
		out = append(out, cp)
	}
	return out
}

// corpusAndProbes lists the corpus files, then the cast probes, written to
// a directory removed when the benchmark ends.
func corpusAndProbes(b *testing.B, dir string) []string {
	files, err := gen.CorpusFiles(dir)
	if err != nil {
		b.Skip(err)
	}
	probes := b.TempDir()
	var names []string
	for name, content := range gen.CastProbes() {
		if err := os.WriteFile(filepath.Join(probes, name), content, 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, filepath.Join(probes, name))
	}
	sort.Strings(names)
	return append(files, names...)
}

// loadWith runs compose-go as project.loadModel does, plus the variant.
// A panic is an error, as composure's loader recovers it.
func loadWith(v loadVariant, cp corpusProject) (m *types.Project, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	details := cp.details
	// compose-go writes into the Config maps it is handed: give each load
	// its own copy.
	details.ConfigFiles = append([]types.ConfigFile{}, details.ConfigFiles...)
	for i := range details.ConfigFiles {
		if c := details.ConfigFiles[i].Config; c != nil {
			details.ConfigFiles[i].Config = deepCopy(c).(map[string]any)
		}
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(loader.NormalizeProjectName(filepath.Base(details.WorkingDir)), false)
		o.Profiles = []string{"*"}
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.Interpolate.Substitute = lenient
		v.set(o)
	})
}

// lenient is composure's substitution: an unset ${VAR:?err} reads as empty.
func lenient(s string, m template.Mapping) (string, error) {
	out, err := template.Substitute(s, m)
	var missing *template.MissingRequiredError
	if errors.As(err, &missing) {
		return out, nil
	}
	return out, err
}

// compareVariant counts the files whose model, and whose findings, differ
// from the baseline's.
func compareVariant(b *testing.B, name string, projects []corpusProject, base, v *variantResult) (loads, models, finds int) {
	// the first three differences of each kind are logged
	logged := map[string]int{}
	logf := func(kind, format string, args ...any) {
		if logged[kind] < 3 {
			b.Logf("%s: "+format, append([]any{name}, args...)...)
		}
		logged[kind]++
	}
	for i, cp := range projects {
		file := filepath.Base(cp.file)
		be, ve := base.errs[i], v.errs[i]
		switch {
		case (be == nil) != (ve == nil):
			loads++
			logf("load", "%s: baseline error %v, variant error %v", file, be, ve)
			continue
		case be != nil:
			continue
		}
		if d := cmp.Diff(base.models[i], v.models[i], allFields); d != "" {
			models++
			logf("model", "%s: model differs (-baseline +variant):\n%s", file, firstLines(d, 12))
		}
		if cp.base == nil {
			continue
		}
		bf, vf := findingsWith(b, cp.base, base.models[i]), findingsWith(b, cp.base, v.models[i])
		if d := cmp.Diff(bf, vf); d != "" {
			finds++
			logf("findings", "%s: findings differ (-baseline +variant):\n%s", file, firstLines(d, 12))
		}
	}
	return loads, models, finds
}

// findingsWith runs the default rules on p with its model replaced, and
// returns comparable summaries.
func findingsWith(b *testing.B, p *project.Project, m *types.Project) []string {
	q := *p
	q.Model = m
	fs, err := lint.Check(&q, benchConfig(1).Knowledge, benchConfig(1).Rules, lint.RunOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s fix=%v", f.Rule, f.Pos, f.Message, f.Fix != nil))
	}
	sort.Strings(out)
	return out
}

// allFields compares unexported fields too (types.ConfigObjConfig has some).
var allFields = cmp.Exporter(func(reflect.Type) bool { return true })

// firstLines keeps the changed lines of a go-cmp diff (those starting with
// - or +), at most n of them.
func firstLines(s string, n int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
			out = append(out, line)
		}
	}
	if len(out) > n {
		out = append(out[:n], "...")
	}
	return strings.Join(out, "\n")
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
