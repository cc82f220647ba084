//go:build unix

package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// TestHostileFixFIFOs: a .gitignore or a secret file that is a FIFO (which
// blocks whoever opens it for reading) neither hangs the fix nor is
// written: the secret fix that needs them is refused.
func TestHostileFixFIFOs(t *testing.T) {
	for _, fifo := range []string{".gitignore", "secrets/db-postgres-password"} {
		t.Run(fifo, func(t *testing.T) {
			dir := t.TempDir()
			compose := "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n    volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg:\n"
			if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(filepath.Join(dir, fifo), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			specs, errs := project.Discover([]string{dir})
			if len(errs) > 0 || len(specs) != 1 {
				t.Fatalf("discover: %v %v", specs, errs)
			}
			cfg := lint.Config{Rules: []*lint.Rule{rules.ByID("secret-in-environment")}, Load: project.Options{Environ: []string{}}, Jobs: 1}
			done := make(chan []fixer.Refusal, 1)
			go func() {
				res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
				done <- append(res.Refused, fixer.Apply(res)...)
			}()
			var refused []fixer.Refusal
			select {
			case refused = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("fixing blocked on the FIFO")
			}
			got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))
			if fifo == ".gitignore" {
				if len(refused) == 0 {
					t.Error("nothing refused")
				}
				if string(got) != compose {
					t.Errorf("compose.yaml was changed:\n%s", got)
				}
			} else if !strings.Contains(string(got), "db-postgres-password-2") {
				// A name that is taken on disk, whatever it is, is not
				// used: the secret gets the next free one (issue 16, item 6).
				t.Errorf("refused %+v; compose.yaml:\n%s\nwant the secret under db-postgres-password-2", refused, got)
			}
			if fi, err := os.Lstat(filepath.Join(dir, fifo)); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the FIFO was replaced (%v)", err)
			}
		})
	}
}
