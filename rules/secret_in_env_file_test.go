package rules

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

var updateEnvGolden = flag.Bool("update-env-golden", false, "rewrite the .golden files of secret-in-env-file's fix case")

// passFor loads one project and prepares a pass of rule r on it, as Run
// does.
func passFor(t *testing.T, dir string, r *lint.Rule) *lint.Pass {
	t.Helper()
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover %s: %v %v", dir, specs, errs)
	}
	p, err := project.Load(context.Background(), specs[0], project.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	k := knowledge.Default()
	return lint.NewPass(r, p, k, lint.RunOptions{})
}

// The fix moves the secret completely: compose edits (checked against
// compose.yaml.golden below, through envFileMove), the secret file, and a
// DeleteLine of exactly the entry's line (db.env.golden is the env file
// without it). redis.env's secret has no _FILE support: no fix.
func TestEnvFileMoveGolden(t *testing.T) {
	dir := filepath.Join("..", "fixtures", SecretInEnvFile.ID, "fix-file")
	pass := passFor(t, dir, SecretInEnvFile)
	checkSecretInEnvFile(pass)
	var fix *lint.Fix
	for _, f := range pass.Findings() {
		if strings.HasSuffix(f.Pos.File, "db.env") {
			fix = f.Fix
		} else if f.Fix != nil && f.Fix.Applicability != lint.DisplayOnly {
			t.Errorf("%s: redis has no _FILE support, got fix %q", f.Pos, f.Fix.Title)
		}
	}
	if fix == nil || fix.Applicability != lint.Safe || len(fix.Edits) == 0 {
		t.Fatalf("db.env finding: fix %+v, want the safe move", fix)
	}
	var deletes []lint.FileWrite
	for _, w := range fix.Writes {
		if w.Kind == lint.DeleteLine {
			deletes = append(deletes, w)
		}
	}
	if len(deletes) != 1 || !strings.HasPrefix(deletes[0].Content, "POSTGRES_PASSWORD=") || !strings.HasSuffix(deletes[0].Content, "\n") || !deletes[0].Secret {
		t.Errorf("want one secret DeleteLine of the whole POSTGRES_PASSWORD line, got %+v", deletes)
	}

	var use envFileUse
	for _, u := range envFileUses(pass) {
		if filepath.Base(u.File.Path) == "db.env" {
			use = u
		}
	}
	var entry project.EnvEntry
	for _, e := range use.Entries() {
		if e.Key == "POSTGRES_PASSWORD" {
			entry = e
		}
	}
	move := fix // the finding's own fix: building it again would take a second name
	compose := pass.Project.Files[0]
	fixed, err := transform.Apply(compose.Content, move.Edits)
	if err != nil {
		t.Fatal(err)
	}
	envFixed := append(append([]byte{}, use.File.Content[:entry.StartOffset]...), use.File.Content[entry.EndOffset:]...)
	envGolden(t, filepath.Join(dir, "compose.yaml.golden"), fixed)
	envGolden(t, filepath.Join(dir, "db.env.golden"), envFixed)
	// The ignore line, then the secret file (never on disk un-ignored),
	// the template line that names it, then the line that leaves the env
	// file.
	if len(move.Writes) != 4 || move.Writes[0].Kind != lint.EnsureLine || move.Writes[1].Content != "not-so-secret-pw" || move.Writes[1].Kind != lint.CreateSecret ||
		filepath.Base(move.Writes[2].Path) != ".env.example" || strings.Contains(move.Writes[2].Content, "not-so-secret-pw") || move.Writes[3].Kind != lint.DeleteLine {
		t.Errorf("writes = %+v", move.Writes)
	}
}

func envGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *updateEnvGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-env-golden to create it, then read it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// Severity follows git: an error when the file is committed, not ignored
// or outside any repository; a warning when it is gitignored. Inline
// comments in the env file suppress findings there.
func TestSecretInEnvFileGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", `services:
  app:
    image: example/app
    env_file: [tracked.env, ignored.env, loose.env, quiet.env]
`)
	write("tracked.env", "API_TOKEN=tracked-token-1234\n")
	write("ignored.env", "API_TOKEN_2=ignored-token-1234\n")
	write("loose.env", "API_TOKEN_3=loose-token-1234\n")
	write("quiet.env", "# composure:ignore secret-in-env-file -- fake credentials of the test stack\nAPI_TOKEN_4=quiet-token-1234\n")
	lintAll := func() map[string]lint.Severity {
		t.Helper()
		out := lint.Run(context.Background(), []project.Spec{{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}},
			lint.Config{Catalogue: All(), Rules: []*lint.Rule{SecretInEnvFile, lint.UnusedIgnore}, Load: project.Options{Environ: []string{}}})[0]
		if out.Err != nil {
			t.Fatal(out.Err)
		}
		got := map[string]lint.Severity{}
		for _, f := range out.Findings {
			got[filepath.Base(f.Pos.File)+":"+f.Rule] = f.Severity
			for _, r := range f.Redact {
				if strings.Contains(f.Message, r) {
					t.Errorf("message shows the secret: %s", f.Message)
				}
			}
		}
		if len(out.Suppressed) != 1 {
			t.Errorf("suppressed %d findings, want quiet.env's", len(out.Suppressed))
		}
		return got
	}
	id := SecretInEnvFile.ID
	if diff := cmp.Diff(map[string]lint.Severity{"tracked.env:" + id: lint.Error, "ignored.env:" + id: lint.Error, "loose.env:" + id: lint.Error}, lintAll()); diff != "" {
		t.Errorf("without a repository (-want +got):\n%s", diff)
	}
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	write(".gitignore", "ignored.env\n")
	git("add", "tracked.env")
	if diff := cmp.Diff(map[string]lint.Severity{"tracked.env:" + id: lint.Error, "ignored.env:" + id: lint.Warning, "loose.env:" + id: lint.Error}, lintAll()); diff != "" {
		t.Errorf("in a repository (-want +got):\n%s", diff)
	}
}
