package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/bench/gen"
	"github.com/composure-dev/composure/bench/meter"
)

// serviceCounts are the project sizes of the per-service benchmarks.
var serviceCounts = []int{1, 10, 100, 1000}

// BenchmarkLoadServices loads one project of n generated services
// (read, yaml parse, compose-go). ns/service and allocs/service show
// whether the cost per service stays flat as a project grows.
func BenchmarkLoadServices(b *testing.B) {
	for _, n := range serviceCounts {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			path, err := gen.WriteProject(b.TempDir(), n)
			if err != nil {
				b.Fatal(err)
			}
			spec := Spec{Files: []string{path}, Dir: filepath.Dir(path)}
			opts := Options{Environ: []string{}}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := meter.Start()
			for i := 0; i < b.N; i++ {
				if _, err := Load(ctx, spec, opts); err != nil {
					b.Fatal(err)
				}
			}
			start.ReportPer(b, n, "service")
		})
	}
}

// BenchmarkParseServices is the yaml floor of BenchmarkLoadServices: the
// same bytes parsed into yaml.Node trees, nothing else.
func BenchmarkParseServices(b *testing.B) {
	for _, n := range serviceCounts {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			content := gen.Project(n)
			b.SetBytes(int64(len(content)))
			b.ReportAllocs()
			b.ResetTimer()
			start := meter.Start()
			for i := 0; i < b.N; i++ {
				var doc yaml.Node
				if err := yaml.Unmarshal(content, &doc); err != nil {
					b.Fatal(err)
				}
			}
			start.ReportPer(b, n, "service")
		})
	}
}

// BenchmarkCorpusLoad loads every corpus file as its own project, one
// after the other, and reports ns/file. Files that fail to load count too:
// the CLI pays for them as well.
func BenchmarkCorpusLoad(b *testing.B) {
	files := corpus(b)
	ctx := context.Background()
	opts := Options{Environ: []string{}}
	b.ReportAllocs()
	b.ResetTimer()
	start := meter.Start()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			_, _ = Load(ctx, Spec{Files: []string{f}, Dir: filepath.Dir(f)}, opts)
		}
	}
	start.ReportPer(b, len(files), "file")
}

// BenchmarkCorpusParse is the yaml floor of BenchmarkCorpusLoad, in one
// goroutine: read and parse (parseFile, what Load does first).
func BenchmarkCorpusParse(b *testing.B) {
	files := corpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	start := meter.Start()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			_, _ = readFile(f)
		}
	}
	start.ReportPer(b, len(files), "file")
}

// BenchmarkSchemaCompile is what compose-go's first schema.Validate call
// in a process does (compileSchema, behind a sync.Once): compile the
// compose-spec JSON schema. Every `composure lint` process pays it once.
func BenchmarkSchemaCompile(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := jsonschema.NewCompiler()
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema.Schema))
		if err != nil {
			b.Fatal(err)
		}
		if err := c.AddResource("compose-spec.json", doc); err != nil {
			b.Fatal(err)
		}
		c.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: func(any) error { return nil }})
		if _, err := c.Compile("compose-spec.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// corpus lists the shared corpus's dev files or skips the benchmark.
func corpus(b *testing.B) []string {
	b.Helper()
	dir, ok := gen.CorpusDir()
	if !ok {
		b.Skip("corpus not available: skipping")
	}
	files, err := gen.CorpusFiles(dir)
	if err != nil || len(files) == 0 {
		b.Skipf("corpus not readable (%v): skipping", err)
	}
	if _, err := os.Stat(files[0]); err != nil {
		b.Skip(err)
	}
	return files
}
