package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzFastLoadSameModel: on any compose file, the fast load (its own
// interpolation, pruned walks, the spare unchecked model) and compose-go's
// own load agree on whether it loads and, when it does, on the model.
//
//	go test ./rules/project -run '^$' -fuzz '^FuzzFastLoadSameModel$' -fuzztime 60s
func FuzzFastLoadSameModel(f *testing.F) {
	_ = filepath.WalkDir("../../fixtures", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			if b, err := os.ReadFile(path); err == nil && len(b) < 8<<10 {
				f.Add(b)
			}
		}
		return nil
	})
	f.Add([]byte("services:\n  web:\n    image: nginx:${TAG:-1}\n    ports: ['${PORT:-80}:80']\n    read_only: ${RO:-true}\n    labels: {a.b: '${X}'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		fast, ref, fastErr, refErr := loadBoth(t, dir, "compose.yaml")
		if (fastErr == nil) != (refErr == nil) {
			t.Fatalf("fast error %v, reference error %v", fastErr, refErr)
		}
		if fastErr != nil || fast == nil || ref == nil {
			return
		}
		if diff := cmp.Diff(ref.Model, fast.Model, modelOpts...); diff != "" {
			t.Fatalf("the fast load changes the model (-reference +fast):\n%s", diff)
		}
	})
}
