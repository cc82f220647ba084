package cmd

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/bench/gen"
)

// BenchmarkNewRoot is the command tree's construction, paid by every
// process before any argument is read.
func BenchmarkNewRoot(b *testing.B) {
	streams := &IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NewRoot(streams)
	}
}

// BenchmarkExecuteLintOneFile runs `composure lint FILE` in-process on one
// small generated project (three services): everything a pre-commit hook
// pays after the process has started and its one-time work (package init,
// the knowledge and the compose schema, compiled on first use) is done.
// Process start-up itself is measured by bench/run.sh and bench/startup.
func BenchmarkExecuteLintOneFile(b *testing.B) {
	path, err := gen.WriteProject(b.TempDir(), 3)
	if err != nil {
		b.Fatal(err)
	}
	streams := &IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	args := []string{"lint", "--format", "json", filepath.Clean(path)}
	if code := Execute(streams, args); code != ExitFindings {
		b.Fatalf("exit code %d, want %d", code, ExitFindings)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Execute(streams, args)
	}
}
