package knowledge

import "testing"

// BenchmarkParseEmbedded is the work of the first Default() call in a
// process: decoding the embedded images.yaml. A pre-commit hook pays it on
// every run.
func BenchmarkParseEmbedded(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
