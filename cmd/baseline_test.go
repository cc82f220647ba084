package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Adopting composure with a baseline, end to end: record, then edit the
// project (a service added above moves every line, the image tag bump
// changes a message, a new problem, a fixed one).
func TestLintBaseline(t *testing.T) {
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	baseline := filepath.Join(dir, "ci", "composure-baseline.json")
	must(t, os.WriteFile(compose, []byte("services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n    volumes: [/data]\n"), 0o644))

	out, errOut, code := run(t, "lint", "--write-baseline", baseline, dir)
	if code != ExitOK || !strings.Contains(out, "no problems") || !strings.Contains(errOut, "recorded 2 findings") {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := run(t, "lint", "--baseline", baseline, dir); code != ExitOK || errOut != "" {
		t.Errorf("unchanged project: exit %d\n%s%s", code, out, errOut)
	}

	must(t, os.WriteFile(compose, []byte("services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:17\n  search:\n    image: elasticsearch:8.15.0\n  cache:\n    image: redis:7\n    volumes: [cache:/data]\nvolumes:\n  cache:\n"), 0o644))
	out, errOut, code = run(t, "lint", "--format", "json", "--baseline", baseline, dir)
	if code != ExitFindings || strings.Count(out, `"rule":`) != 1 || !strings.Contains(out, `"service": "search"`) {
		t.Errorf("want only the new search finding: exit %d\n%s", code, out)
	}
	if !strings.Contains(errOut, "stale baseline entry: anonymous-volume in ../compose.yaml (service cache)") || strings.Count(errOut, "stale") != 1 {
		t.Errorf("stale note for the fixed cache volume missing:\n%s", errOut)
	}

	must(t, os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644))
	if out, errOut, code := run(t, "lint", "--baseline", filepath.Join(dir, "broken.json"), dir); code != ExitIncomplete || out != "" || !strings.Contains(errOut, "--baseline") {
		t.Errorf("broken baseline: exit %d, stdout %q, stderr %q; want 2 before linting", code, out, errOut)
	}
}
