package knowledge

import "testing"

// BenchmarkParseImagesYAML is what the first Default() call in a process
// cost before images_gen.go: decoding images.yaml.
func BenchmarkParseImagesYAML(b *testing.B) {
	src := readImagesYAML(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexBuiltin is the work of the first Default() call now: the
// index over the generated entries. A pre-commit hook pays it on every run.
func BenchmarkIndexBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		indexBuiltin(builtinImages)
	}
}
