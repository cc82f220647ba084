package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestIncludedFileAdvice (issue 13, point 9): the advice to run `composure
// fix` on an included file is given only when that command fixes
// something; an included file that does not load on its own is to be
// fixed by hand, and one with nothing to fix is not mentioned at all.
func TestIncludedFileAdvice(t *testing.T) {
	const includer = "include: [db.yaml]\nservices:\n  app:\n    image: nginx:1.27\n    networks: [back]\nnetworks:\n  back:\n"
	for _, tc := range []struct {
		name, db string
		want     string // in the reason; "" for no mention of db.yaml
	}{
		{"fixable on its own", "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Qw7Er5Ty3Ui9Op\n",
			"fix it on its own (composure fix "},
		{"needs the including project", "services:\n  db:\n    image: postgres:16\n    networks: [back]\n    environment:\n      POSTGRES_PASSWORD: Qw7Er5Ty3Ui9Op\n",
			"does not load on its own"},
		{"nothing to fix", "services:\n  web:\n    image: nginx:1.27\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range map[string]string{"compose.yaml": includer, "db.yaml": tc.db} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			specs := []project.Spec{{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}}
			res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
			var reasons []string
			for _, s := range res.Skipped {
				if strings.HasSuffix(s.File, "db.yaml") {
					reasons = append(reasons, s.Reason)
				}
			}
			switch {
			case tc.want == "" && len(reasons) > 0:
				t.Errorf("db.yaml has nothing to fix, yet: %q", reasons)
			case tc.want != "" && (len(reasons) != 1 || !strings.Contains(reasons[0], tc.want)):
				t.Errorf("reasons %q, want one containing %q", reasons, tc.want)
			}
			if tc.want == "" || !strings.Contains(tc.want, "composure fix") {
				return
			}
			// The advice holds: fixing the file on its own fixes something.
			alone := fixer.Run(context.Background(), []project.Spec{{Files: []string{filepath.Join(dir, "db.yaml")}, Dir: dir}}, hostileConfig(), fixer.Options{})
			if alone.Total() == 0 || len(alone.Refused) > 0 {
				t.Errorf("composure fix db.yaml: applied %v, refused %+v", alone.Applied, alone.Refused)
			}
		})
	}
}
