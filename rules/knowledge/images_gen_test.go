package knowledge_test

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/knowledge/internal/imagegen"
)

// TestGeneratedFileIsCurrent regenerates images_gen.go in memory and
// compares it with the file on disk. (An external test package: the
// generator imports knowledge.)
func TestGeneratedFileIsCurrent(t *testing.T) {
	src, err := os.ReadFile("images.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := imagegen.Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("images_gen.go")
	if err != nil {
		t.Fatalf("%v: run go generate ./rules/knowledge", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("images_gen.go is stale (-generated +on disk): run go generate ./rules/knowledge\n%s", diff)
	}
}
