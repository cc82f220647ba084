package rules_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/composure-dev/composure/bench/gen"
	"github.com/composure-dev/composure/bench/meter"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

var benchCounts = []int{1, 10, 100, 1000}

// benchConfig is the configuration `composure lint` runs with by default:
// every rule that is on by default, an empty process environment.
func benchConfig(jobs int) lint.Config {
	cfg := lint.Config{Catalogue: rules.All(), Jobs: jobs, Knowledge: knowledge.Default()}
	cfg.Load.Environ = []string{}
	for _, r := range rules.All() {
		if !r.DefaultOff {
			cfg.Rules = append(cfg.Rules, r)
		}
	}
	return cfg
}

// BenchmarkLintServices loads and lints one project of n generated
// services, as `composure lint compose.yaml` does after start-up.
func BenchmarkLintServices(b *testing.B) {
	for _, n := range benchCounts {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			path, err := gen.WriteProject(b.TempDir(), n)
			if err != nil {
				b.Fatal(err)
			}
			specs := []project.Spec{{Files: []string{path}, Dir: filepath.Dir(path)}}
			cfg := benchConfig(1)
			ctx := context.Background()
			checkOutcomes(b, lint.Run(ctx, specs, cfg))
			b.ReportAllocs()
			b.ResetTimer()
			m := meter.Start()
			for i := 0; i < b.N; i++ {
				lint.Run(ctx, specs, cfg)
			}
			m.ReportPer(b, n, "service")
		})
	}
}

// BenchmarkRulesServices is the rules part of BenchmarkLintServices alone:
// the project is loaded afresh outside the timer (a loaded File caches its
// extent index, which the first findings build), then every rule runs.
func BenchmarkRulesServices(b *testing.B) {
	for _, n := range benchCounts {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			path, err := gen.WriteProject(b.TempDir(), n)
			if err != nil {
				b.Fatal(err)
			}
			spec := project.Spec{Files: []string{path}, Dir: filepath.Dir(path)}
			cfg := benchConfig(1)
			ctx := context.Background()
			load := func() *project.Project {
				p, err := project.Load(ctx, spec, cfg.Load)
				if err != nil {
					b.Fatal(err)
				}
				return p
			}
			b.ReportAllocs()
			b.ResetTimer()
			var elapsed time.Duration
			var mallocs uint64
			var ms runtime.MemStats
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				p := load()
				runtime.ReadMemStats(&ms)
				before := ms.Mallocs
				b.StartTimer()
				start := time.Now()
				if _, err := lint.Check(p, cfg.Knowledge, cfg.Rules, cfg.Run); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				b.StopTimer()
				runtime.ReadMemStats(&ms)
				mallocs += ms.Mallocs - before
			}
			per := float64(b.N) * float64(n)
			b.ReportMetric(float64(elapsed.Nanoseconds())/per, "ns/service")
			b.ReportMetric(float64(mallocs)/per, "allocs/service")
		})
	}
}

// BenchmarkLintFiles discovers and lints n small projects (three services
// each, one compose.yaml per directory) with one job per CPU, as
// `composure lint DIR` does.
func BenchmarkLintFiles(b *testing.B) {
	for _, n := range benchCounts {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := gen.WriteFiles(dir, n); err != nil {
				b.Fatal(err)
			}
			cfg := benchConfig(0)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			m := meter.Start()
			for i := 0; i < b.N; i++ {
				specs, errs := project.Discover([]string{dir})
				if len(errs) > 0 || len(specs) != n {
					b.Fatalf("discover: %d specs, errors %v", len(specs), errs)
				}
				lint.Run(ctx, specs, cfg)
			}
			m.ReportPer(b, n, "file")
		})
	}
}

// BenchmarkCorpus lints every corpus file as its own project (the file
// list `composure lint FILE...` gets), with one job and with one job per
// CPU. It is the benchmark to profile:
//
//	go test ./rules -run X -bench 'BenchmarkCorpus$/jobs=1' -cpuprofile cpu.out
func BenchmarkCorpus(b *testing.B) {
	dir, ok := gen.CorpusDir()
	if !ok {
		b.Skip("corpus not available: skipping")
	}
	files, err := gen.CorpusFiles(dir)
	if err != nil || len(files) == 0 {
		b.Skipf("corpus not readable (%v): skipping", err)
	}
	specs := make([]project.Spec, len(files))
	for i, f := range files {
		specs[i] = project.Spec{Files: []string{f}, Dir: filepath.Dir(f)}
	}
	for _, jobs := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			cfg := benchConfig(jobs)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			m := meter.Start()
			var outs []lint.Outcome
			for i := 0; i < b.N; i++ {
				outs = lint.Run(ctx, specs, cfg)
			}
			m.ReportPer(b, len(files), "file")
			b.ReportMetric(retainedMB(), "retained-MB")
			runtime.KeepAlive(outs)
		})
	}
}

// retainedMB is the live heap after a collection: with the outcomes still
// referenced, what a CLI run holds until it has printed its report.
func retainedMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// checkOutcomes fails on a project that did not load or lint: a benchmark
// of an error path measures nothing useful.
func checkOutcomes(b *testing.B, outs []lint.Outcome) {
	b.Helper()
	for _, o := range outs {
		if o.Err != nil {
			b.Fatal(o.Err)
		}
		if len(o.Findings) == 0 {
			b.Fatal("no findings: the generated project should have some")
		}
	}
}
