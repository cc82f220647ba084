package project

import (
	"testing"

	"github.com/composure-dev/composure/bench/gen"
	"github.com/composure-dev/composure/bench/meter"
)

// BenchmarkCorpusDiscover is discovery on the corpus directory (1,448
// files in one folder, none of them a base): walk, read each file's start
// and sniff its shape, group into projects. Reports ns/file. What
// `composure lint DIR` pays before the first load.
func BenchmarkCorpusDiscover(b *testing.B) {
	dir, ok := gen.CorpusDir()
	if !ok {
		b.Skip("corpus not available: skipping")
	}
	files := corpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := meter.Start()
	for i := 0; i < b.N; i++ {
		specs, errs := Discover([]string{dir})
		if len(errs) > 0 || len(specs) == 0 {
			b.Fatalf("%d specs, errors %v", len(specs), errs)
		}
	}
	start.ReportPer(b, len(files), "file")
}

// BenchmarkCorpusDiscoverNamed is discovery of every corpus file named on
// the command line, as `pre-commit run --all-files` passes them: each
// file that is not a main file looks for the project that includes or
// extends it in its folder, through one index per folder (a look through
// the whole folder per file named was quadratic: 40 s on the corpus).
// Reports ns/file.
func BenchmarkCorpusDiscoverNamed(b *testing.B) {
	if _, ok := gen.CorpusDir(); !ok {
		b.Skip("corpus not available: skipping")
	}
	files := corpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := meter.Start()
	for i := 0; i < b.N; i++ {
		specs, errs := Discover(files)
		if len(errs) > 0 || len(specs) == 0 {
			b.Fatalf("%d specs, errors %v", len(specs), errs)
		}
	}
	start.ReportPer(b, len(files), "file")
}
