package cmd

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files (read them before committing)")

// run executes the command line against buffers.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	code = Execute(io, args)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// A small project, linted as a user would, in text and JSON.
func TestLintFixturesGolden(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			out, errOut, code := run(t, "lint", "--format", format, "testdata/project")
			if code != ExitFindings {
				t.Errorf("exit code %d, want %d; stderr: %s", code, ExitFindings, errOut)
			}
			golden(t, "lint_project."+format, out)
		})
	}
}

// No secret value from the fixtures reaches any output.
func TestLintNeverPrintsSecrets(t *testing.T) {
	secrets := []string{"example", "s3cr3t-Passw0rd", "hunter2-long", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
		"changeme-now", "a1b2c3d4e5f6a7b8c9d0", "guest-guest", "rootpass-123", "npm_abcdefghijklmnopqrstuvwxyz0123456789",
		"build-time-pass", "s3cr3t-pass", "RootPass123", "client-secret-99"}
	for _, format := range []string{"text", "json"} {
		out, errOut, _ := run(t, "lint", "--format", format, "../fixtures")
		for _, s := range secrets {
			if strings.Contains(out, s) || strings.Contains(errOut, s) {
				t.Errorf("%s output contains the secret %q", format, s)
			}
		}
	}
}

// A broken file is an errors[] entry with its position and exit code 2;
// the other projects are still linted.
func TestLintBrokenFileStillLintsOthers(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "good"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "bad"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "good", "compose.yaml"), []byte("services:\n  db:\n    image: postgres:16\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "bad", "compose.yaml"), []byte("services:\n  db:\n    image: [\n"), 0o644))
	out, _, code := run(t, "lint", "--format", "json", dir)
	if code != ExitIncomplete {
		t.Errorf("exit code %d, want %d", code, ExitIncomplete)
	}
	var doc struct {
		Findings []struct{ Rule, File string }
		Errors   []struct {
			File         string
			Line, Column int
			Message      string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Rule != "stateful-volume-missing" {
		t.Errorf("findings = %+v, want the good project's stateful-volume-missing", doc.Findings)
	}
	if len(doc.Errors) != 1 || !strings.HasSuffix(doc.Errors[0].File, filepath.Join("bad", "compose.yaml")) || doc.Errors[0].Line != 4 {
		t.Errorf("errors = %+v, want bad/compose.yaml at line 4", doc.Errors)
	}
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"findings fail at warning", []string{"lint", "../fixtures/fixed-container-name/bad.compose.yaml", "--fail-on", "info"}, ExitFindings},
		{"info below warning", []string{"lint", "../fixtures/fixed-container-name/bad.compose.yaml"}, ExitOK},
		{"never", []string{"lint", "../fixtures/stateful-volume-missing", "--fail-on", "never"}, ExitOK},
		{"clean file", []string{"lint", "../fixtures/stateful-replicas/good.compose.yaml"}, ExitOK},
		{"disable", []string{"lint", "../fixtures/stateful-volume-missing/bad.compose.yaml", "--disable", "stateful-volume-missing"}, ExitOK},
		{"severity off", []string{"lint", "../fixtures/stateful-volume-missing/bad.compose.yaml", "--severity", "stateful-volume-missing=off"}, ExitOK},
		{"severity info", []string{"lint", "../fixtures/stateful-volume-missing/bad.compose.yaml", "--severity", "stateful-volume-missing=info"}, ExitOK},
		{"missing path", []string{"lint", "no/such/dir"}, ExitIncomplete},
		{"bad fail-on", []string{"lint", "--fail-on", "sometimes"}, ExitIncomplete},
		{"unknown rule", []string{"lint", "--disable", "no-such-rule"}, ExitIncomplete},
		{"unknown format", []string{"lint", "--format", "xml"}, ExitIncomplete},
		{"unknown flag", []string{"lint", "--nope"}, ExitIncomplete},
		{"explain unknown", []string{"explain", "no-such-rule"}, ExitIncomplete},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, errOut, code := run(t, c.args...); code != c.want {
				t.Errorf("exit code %d, want %d; stderr: %s", code, c.want, errOut)
			}
		})
	}
}

// -f names one project's files explicitly, merged in order.
func TestLintExplicitFiles(t *testing.T) {
	out, _, code := run(t, "lint", "--format", "json",
		"-f", "../fixtures/stateful-volume-missing/bad-override-image/compose.yaml",
		"-f", "../fixtures/stateful-volume-missing/bad-override-image/compose.override.yaml")
	if code != ExitFindings || !strings.Contains(out, `"file": "../fixtures/stateful-volume-missing/bad-override-image/compose.override.yaml"`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestRulesAndExplain(t *testing.T) {
	out, _, code := run(t, "rules")
	if code != 0 || !strings.Contains(out, "stateful-volume-missing") || !strings.Contains(out, "secret-in-environment") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "rules", "--format", "json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) < 11 {
		t.Errorf("rules --format json: exit %d\n%s", code, out)
	}
	out, _, code = run(t, "explain", "anonymous-volume")
	if code != 0 || !strings.HasPrefix(out, "# anonymous-volume\n") || !strings.Contains(out, "## Why it matters") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// What the rules could not check is said on stderr, whatever the format,
// without changing stdout or the exit code (SPEC §4): a required env file
// that is not there, a variable linted as a placeholder. An optional env
// file that is missing is expected, and the obsolete `version` is not
// about state or secrets.
func TestLintSaysWhatItCouldNotCheck(t *testing.T) {
	dir := t.TempDir()
	src := "version: \"3\"\nservices:\n  s:\n    image: nginx\n    env_file: gone.env\n  t:\n    image: nginx\n    env_file:\n      - path: opt.env\n        required: false\n  m:\n    image: nginx\n    container_name: ${NAME}\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NAME", "")
	os.Unsetenv("NAME")
	for _, format := range []string{"text", "json"} {
		out, errOut, code := run(t, "lint", "--format", format, dir)
		if code != ExitOK {
			t.Errorf("%s: exit %d, want %d (notes are not findings)", format, code, ExitOK)
		}
		file := filepath.Join(dir, "compose.yaml")
		want := file + ": note: variable NAME is not set; linted with the placeholder unset-name\n" +
			file + ":5: note: env file " + filepath.Join(dir, "gone.env") + " of service \"s\" cannot be read, so its entries were not checked for secrets\n"
		if diff := cmp.Diff(want, errOut); diff != "" {
			t.Errorf("%s: stderr (-want +got):\n%s", format, diff)
		}
		if strings.Contains(out, "note:") {
			t.Errorf("%s: a note reached stdout:\n%s", format, out)
		}
	}
}
