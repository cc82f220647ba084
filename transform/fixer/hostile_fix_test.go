package fixer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// Issue #6, data safety of Apply. The write primitives have their own unit
// tests in transform/write: compare-and-swap (TestReplaceChangedSinceRead,
// TestReplaceChangedDuringWrite), confinement (TestReplaceOutside,
// TestCreateSecretOutside), secret files created 0600 with O_EXCL and never
// overwritten (TestCreateSecret, TestCreateSecretNeverOverwrites,
// TestCreateSecretIdempotent), the lock (TestLockMutualExclusion). These
// tests check that the fixer uses them so that a user's file is never
// clobbered.

// hostileInput has one fix of each kind: a secret file (postgres reads
// POSTGRES_PASSWORD_FILE), a .env line (the app's key), a named volume.
const hostileInput = `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: "s3cr3t-Pa55word-hostile"
  app:
    image: example/app:1
    environment:
      - API_KEY=ak_live_0123456789abcdef
`

func hostileConfig() lint.Config {
	return lint.Config{Catalogue: rules.All(), Rules: rules.All(), Load: project.Options{Environ: []string{}}, Jobs: 1}
}

// hostileProject writes compose.yaml (content) in a fresh project dir.
func hostileProject(t *testing.T, content string) (dir, compose string, specs []project.Spec) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "proj")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	compose = filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(compose, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, compose, []project.Spec{{Files: []string{compose}, Dir: dir}}
}

func fileIs(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s changed:\n%s\nwant:\n%s", path, got, want)
	}
}

func refusedFor(refused []fixer.Refusal, substr string) bool {
	for _, r := range refused {
		if strings.Contains(r.Reason, substr) {
			return true
		}
	}
	return false
}

// A file edited between the read (Run) and the write (Apply) keeps the
// edit: the compose file is left untouched and the refusal says why.
func TestHostileFixFileChangedAfterRead(t *testing.T) {
	dir, compose, specs := hostileProject(t, hostileInput)
	res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
	if len(res.Changes) != 1 {
		t.Fatalf("changes: %+v", res.Changes)
	}
	edited := hostileInput + "# edited by the user meanwhile\n"
	if err := os.WriteFile(compose, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := fixer.Apply(res)
	if !refusedFor(refused, "changed while composure was fixing it") {
		t.Errorf("refusals %+v, want the compose file refused as changed", refused)
	}
	fileIs(t, compose, edited)
	// The side files are written first, by design, so a secret may now be
	// in secrets/ too; it is never lost.
	entries, _ := os.ReadDir(filepath.Join(dir, "secrets"))
	t.Logf("after the refused write, secrets/ holds %d file(s)", len(entries))
}

// A compose file that is a symlink leading out of the project is not
// written, nor is anything through a secrets/ or .env symlink that leads
// out of it.
func TestHostileFixSymlinksOutOfProject(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir, outside string)
		// check is the outside file that must stay as it was
		check string
	}{
		{"compose.yaml links outside", func(t *testing.T, dir, outside string) {
			target := filepath.Join(outside, "compose.yaml")
			must(t, os.WriteFile(target, []byte(hostileInput), 0o644))
			must(t, os.Remove(filepath.Join(dir, "compose.yaml")))
			must(t, os.Symlink(target, filepath.Join(dir, "compose.yaml")))
		}, "compose.yaml"},
		{"secrets/ links outside", func(t *testing.T, dir, outside string) {
			must(t, os.MkdirAll(filepath.Join(outside, "secrets"), 0o755))
			must(t, os.Symlink(filepath.Join(outside, "secrets"), filepath.Join(dir, "secrets")))
		}, ""},
		{".env links outside", func(t *testing.T, dir, outside string) {
			must(t, os.WriteFile(filepath.Join(outside, "env"), []byte("OTHER=1\n"), 0o644))
			must(t, os.Symlink(filepath.Join(outside, "env"), filepath.Join(dir, ".env")))
		}, "env"},
		{".gitignore links outside", func(t *testing.T, dir, outside string) {
			must(t, os.WriteFile(filepath.Join(outside, "gitignore"), []byte("*.log\n"), 0o644))
			must(t, os.Symlink(filepath.Join(outside, "gitignore"), filepath.Join(dir, ".gitignore")))
		}, "gitignore"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, _, specs := hostileProject(t, hostileInput)
			outside := filepath.Join(filepath.Dir(dir), "outside")
			must(t, os.MkdirAll(outside, 0o755))
			c.setup(t, dir, outside)
			before := snapshot(t, outside)
			res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
			refused := append(res.Refused, fixer.Apply(res)...)
			if !refusedFor(refused, "outside the project root") {
				t.Errorf("refusals %+v, want one for a path outside the project", refused)
			}
			if after := snapshot(t, outside); after != before {
				t.Errorf("the outside directory changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// snapshot lists a directory tree with contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		b.WriteString(rel)
		if !d.IsDir() {
			content, _ := os.ReadFile(path)
			b.WriteString(": " + string(content))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

// A read-only compose file is not replaced.
func TestHostileFixReadOnlyFile(t *testing.T) {
	_, compose, specs := hostileProject(t, hostileInput)
	must(t, os.Chmod(compose, 0o444))
	res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
	if res.Total() == 0 {
		t.Fatal("no fix planned: the test would be vacuous")
	}
	refused := fixer.Apply(res)
	if len(refused) == 0 {
		t.Error("a read-only compose file was replaced")
	}
	fileIs(t, compose, hostileInput)
	// The summary counts what was written: nothing here.
	if res.Total() != 0 || len(res.Notes) != 0 {
		t.Errorf("after the refused write: applied %v, notes %q; want none", res.Applied, res.Notes)
	}
}

// An existing secret file with other content is never overwritten: the
// fix that needs it is refused and the compose file stays as it is.
func TestHostileFixExistingSecretFile(t *testing.T) {
	const input = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - db-data:/var/lib/postgresql/data\n    environment:\n      POSTGRES_PASSWORD: \"s3cr3t-Pa55word-hostile\"\nvolumes:\n  db-data:\n"
	dir, compose, specs := hostileProject(t, input)
	secret := filepath.Join(dir, "secrets", "db-postgres-password")
	must(t, os.MkdirAll(filepath.Dir(secret), 0o700))
	must(t, os.WriteFile(secret, []byte("the user's own password"), 0o600))
	res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
	if refused := append(res.Refused, fixer.Apply(res)...); len(refused) > 0 {
		t.Errorf("refusals %+v, want the secret moved under a free name", refused)
	}
	// Never overwritten: the secret gets the next free name instead of
	// being refused on every run (issue 16, item 6).
	fileIs(t, secret, "the user's own password")
	fileIs(t, secret+"-2", "s3cr3t-Pa55word-hostile")
	if got, _ := os.ReadFile(compose); !bytes.Contains(got, []byte("file: ./secrets/db-postgres-password-2")) {
		t.Errorf("compose.yaml:\n%s\nwant the secret declared from db-postgres-password-2", got)
	}
}

// The secret file a fix creates is 0600 and holds exactly the secret.
func TestHostileFixSecretFileMode(t *testing.T) {
	dir, _, specs := hostileProject(t, hostileInput)
	res := fixer.Run(context.Background(), specs, hostileConfig(), fixer.Options{})
	if refused := append(res.Refused, fixer.Apply(res)...); len(refused) > 0 {
		t.Fatalf("refused: %+v", refused)
	}
	secret := filepath.Join(dir, "secrets", "db-postgres-password")
	st, err := os.Stat(secret)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v", st, err)
	}
	fileIs(t, secret, "s3cr3t-Pa55word-hostile")
	if env, _ := os.ReadFile(filepath.Join(dir, ".env")); !bytes.Contains(env, []byte("ak_live_0123456789abcdef")) {
		t.Errorf(".env = %q", env)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
