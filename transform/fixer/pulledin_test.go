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

// A file another project includes or extends is not edited: compose-go
// reads it from disk, so a pass cannot load the project with the fixed
// file to check it, and an extends base does not carry its top-level
// declarations into the file that extends it (the fixed base left the
// extending project with an undefined secret). The fixes of the files
// the project owns still apply, each counted once.
func TestFixLeavesIncludedAndExtendedFilesAlone(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		skipped string // the file left alone
		changed []string
	}{
		{
			name: "extends base",
			files: map[string]string{
				"compose.yaml":      "services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: sharedPw4321}\n",
				"compose.prod.yaml": "services:\n  db:\n    extends: {file: compose.yaml, service: db}\n    restart: always\n",
			},
			skipped: "compose.yaml",
			changed: []string{"compose.prod.yaml"}, // its own volume, overriding locally
		},
		{
			// nothing to fix there: nothing to say of it
			name: "extends base without a problem",
			files: map[string]string{
				"compose.yaml":               "services:\n  app:\n    image: nginx\n    extends: {file: shared/compose.common.yaml, service: base}\n",
				"shared/compose.common.yaml": "services:\n  base:\n    environment: {LOG_LEVEL: info}\n",
			},
		},
		{
			name: "included file",
			files: map[string]string{
				"compose.yaml":    "include: [db/compose.yaml]\nservices:\n  app:\n    image: nginx\n",
				"db/compose.yaml": "services:\n  mariadb:\n    image: mariadb:11\n    environment:\n      MARIADB_ROOT_PASSWORD: rootPw12345\n",
			},
			skipped: filepath.Join("db", "compose.yaml"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			specs, errs := project.Discover([]string{dir})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
			var changed []string
			for _, c := range res.Changes {
				rel, _ := filepath.Rel(dir, c.Abs)
				changed = append(changed, rel)
			}
			if strings.Join(changed, ",") != strings.Join(tc.changed, ",") {
				t.Errorf("changed %v, want %v", changed, tc.changed)
			}
			switch {
			case tc.skipped == "" && len(res.Skipped) > 0:
				t.Errorf("skipped %+v, want nothing said of a file with no problem", res.Skipped)
			case tc.skipped != "" && (len(res.Skipped) != 1 || !strings.HasSuffix(res.Skipped[0].File, tc.skipped) || !strings.Contains(res.Skipped[0].Reason, "not fixed")):
				t.Errorf("skipped %+v, want %s left alone with the reason", res.Skipped, tc.skipped)
			}
			if len(res.Refused) > 0 {
				t.Errorf("refused %+v: leaving a file alone is not a failure", res.Refused)
			}
			if res.Total() != len(tc.changed) || res.Passes > 3 {
				t.Errorf("applied %v in %d passes, want %d fixes in a few passes", res.Applied, res.Passes, len(tc.changed))
			}
			if len(res.Writes) > 0 && len(tc.changed) == 0 {
				t.Errorf("writes %+v for fixes that were left out", res.Writes)
			}
			fixer.Apply(res)
			for _, s := range specs {
				if _, err := project.Load(context.Background(), s, project.Options{Environ: []string{}}); err != nil {
					t.Errorf("after fix, %v does not load: %v", s.Files, err)
				}
			}
		})
	}
}

// A problem in a base that its overlay's project reads too is in two
// outcomes; lint reports it once, and the fix counts it once.
func TestFixedCountsAProblemOnce(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"compose.yaml":      "services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: sharedPw4321}\n",
		"compose.prod.yaml": "services:\n  db:\n    environment: {POSTGRES_DB: prod}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 2 {
		t.Fatalf("specs %+v, errors %v; want the base and the overlay on it", specs, errs)
	}
	res := fixer.Fix(context.Background(), specs, hostileConfig(), fixer.Options{DryRun: true})
	if res.Total() != 2 || res.Fixed != 2 {
		t.Errorf("applied %d fixes fixing %d problems; want 2 and 2 (the volume and the password, once each)", res.Total(), res.Fixed)
	}
}
