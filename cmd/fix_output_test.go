package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixDiffProjects is a directory with a fixable project (good/) and one
// whose compose file does not parse (bad/).
func fixDiffProjects(t *testing.T) (dir, badCompose string) {
	t.Helper()
	dir = t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "good"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "bad"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "good", "compose.yaml"), []byte(fixInput), 0o644))
	badCompose = filepath.Join(dir, "bad", "compose.yaml")
	must(t, os.WriteFile(badCompose, []byte("services:\n  a: [\n"), 0o644))
	return dir, badCompose
}

// `fix --diff` reports every load error as file:line:col like plain
// `fix`, exits 2, and still shows the other project's diff. In text
// format stdout stays a diff (for patch), so the error goes to stderr.
func TestFixDiffReportsLoadErrors(t *testing.T) {
	dir, bad := fixDiffProjects(t)
	out, errOut, code := run(t, "fix", "--diff", dir)
	if code != ExitIncomplete {
		t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitIncomplete, out, errOut)
	}
	wantErr := filepath.Join("bad", "compose.yaml") + ":3:1: error: invalid yaml"
	if !strings.Contains(errOut, wantErr) {
		t.Errorf("stderr lacks %q:\n%s", wantErr, errOut)
	}
	if strings.Contains(out, "invalid yaml") {
		t.Errorf("the load error reached the diff on stdout:\n%s", out)
	}
	if !strings.Contains(out, "+      POSTGRES_PASSWORD_FILE: /run/secrets/db-postgres-password") {
		t.Errorf("the good project's diff is missing:\n%s", out)
	}
	if !strings.Contains(errOut, "would apply") {
		t.Errorf("no summary for the good project:\n%s", errOut)
	}
	// Only the broken project: still reported, not just "nothing to fix".
	out, errOut, code = run(t, "fix", "--diff", filepath.Dir(bad))
	if code != ExitIncomplete || !strings.Contains(errOut, "compose.yaml:3:1: error: invalid yaml") {
		t.Errorf("broken project alone: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	// In a machine format the error is in the document, as with plain fix.
	out, errOut, code = run(t, "fix", "--diff", "--format", "json", dir)
	var doc struct {
		Errors []struct {
			File         string
			Line, Column int
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\nstdout: %s\nstderr: %s", err, out, errOut)
	}
	if code != ExitIncomplete || len(doc.Errors) != 1 || !strings.HasSuffix(doc.Errors[0].File, filepath.Join("bad", "compose.yaml")) || doc.Errors[0].Line != 3 {
		t.Errorf("json: exit %d, errors = %+v", code, doc.Errors)
	}
}

// With a machine format stdout carries only the document; the diff goes
// to stderr. In text format the diff stays on stdout.
func TestFixDiffMachineFormatKeepsStdoutClean(t *testing.T) {
	for _, format := range []string{"json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			dir, compose := fixProject(t)
			out, errOut, code := run(t, "fix", "--diff", "--format", format, dir)
			if code == ExitInternal || code == ExitIncomplete {
				t.Fatalf("exit %d\nstderr: %s", code, errOut)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("stdout is not a %s document: %v\n%s", format, err, out)
			}
			if strings.Contains(out, "--- a/") || strings.Contains(out, "+++ b/") {
				t.Errorf("the diff reached stdout:\n%s", out)
			}
			if !strings.Contains(errOut, "--- a/") || !strings.Contains(errOut, "+      POSTGRES_PASSWORD_FILE: /run/secrets/db-postgres-password") {
				t.Errorf("no diff on stderr:\n%s", errOut)
			}
			if strings.Contains(out+errOut, "s3cr3t-Pa55word") || strings.Contains(out+errOut, "ak_live_0123456789abcdef") {
				t.Errorf("output shows a secret")
			}
			if got, _ := os.ReadFile(compose); string(got) != fixInput {
				t.Error("--diff changed the file")
			}
		})
	}
	dir, _ := fixProject(t)
	out, errOut, _ := run(t, "fix", "--diff", dir)
	if !strings.HasPrefix(out, "--- a/") || strings.Contains(errOut, "--- a/") {
		t.Errorf("text: the diff is not on stdout alone\nstdout: %s\nstderr: %s", out, errOut)
	}
}
