package knowledge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDefaultEqualsParse checks that the generated Go gives the same
// knowledge as decoding images.yaml, unexported fields included. It fails
// when images.yaml changed without `go generate`, and when the generator
// drops or mangles a value.
func TestDefaultEqualsParse(t *testing.T) {
	want, err := Parse(readImagesYAML(t))
	if err != nil {
		t.Fatalf("images.yaml: %v", err)
	}
	opts := cmp.Options{
		cmp.AllowUnexported(Knowledge{}, Image{}, glob{}, family{}),
		// The index by entry id: the entries themselves are compared in
		// Knowledge.images, and a changed value would show twice.
		cmp.Transformer("ids", func(index map[string]*Image) map[string]string {
			ids := make(map[string]string, len(index))
			for name, img := range index {
				ids[name] = img.ID
			}
			return ids
		}),
	}
	if diff := cmp.Diff(want, Default(), opts); diff != "" {
		t.Errorf("Default() differs from Parse(images.yaml) (-parse +default); run go generate ./rules/knowledge, and if that does not help, internal/imagegen loses data:\n%s", diff)
	}
}
