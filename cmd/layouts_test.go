package cmd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type layoutReport struct {
	Findings []struct {
		Rule    string `json:"rule"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Service string `json:"service"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Message string `json:"message"`
	} `json:"errors"`
}

func lintLayout(t *testing.T, args ...string) (layoutReport, string, int) {
	t.Helper()
	out, errOut, code := run(t, append([]string{"lint", "--format", "json"}, args...)...)
	var rep layoutReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return rep, errOut, code
}

// An overlay beside its base (compose.prod.yaml, run as docker compose -f
// compose.yaml -f compose.prod.yaml) is linted merged onto the base: its
// committed secret is found at its own line, with no load error, and the
// way it was grouped is said on stderr. A GitHub workflow named
// compose.yml and GitLab's .gitlab-ci.yml are not compose files.
func TestOverlayLintedOnItsBase(t *testing.T) {
	dir := filepath.Join("testdata", "layouts", "overlay")
	for _, args := range [][]string{{dir}, {filepath.Join(dir, "compose.prod.yaml")}} {
		rep, errOut, code := lintLayout(t, args...)
		if code != ExitFindings || len(rep.Errors) != 0 {
			t.Errorf("%v: exit %d, errors %+v; want 1 and none", args, code, rep.Errors)
		}
		found := false
		for _, f := range rep.Findings {
			if f.Rule == "secret-in-environment" && filepath.Base(f.File) == "compose.prod.yaml" && f.Line == 4 {
				found = true
			}
			if strings.Contains(f.File, ".github") || strings.Contains(f.File, "gitlab") {
				t.Errorf("%v: linted a file that is not compose: %+v", args, f)
			}
		}
		if !found {
			t.Errorf("%v: the overlay's secret is not reported: %+v", args, rep.Findings)
		}
		if !strings.Contains(errOut, "compose.prod.yaml: note: linted on top of "+filepath.Join(dir, "compose.yaml")) {
			t.Errorf("%v: stderr does not say how the overlay was linted: %q", args, errOut)
		}
	}
}

// What git ignores is not searched: a virtualenv's vendored compose file
// (a database without a volume) is not the project's.
func TestGitignoredNotSearched(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	dir := t.TempDir()
	mustWrite := func(rel, content string) {
		t.Helper()
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite("compose.yaml", "services:\n  web:\n    image: nginx\n")
	mustWrite(".venv/lib/site/docker-compose.yml", "services:\n  db:\n    image: postgres:16\n")
	mustWrite("dist/compose.yaml", "services:\n  db:\n    image: postgres:16\n")
	mustWrite(".gitignore", ".venv/\n/dist\n")
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Skipf("git init: %v %s", err, out)
	}
	rep, errOut, code := lintLayout(t, dir)
	if code != ExitOK || len(rep.Findings) != 0 {
		t.Errorf("exit %d, findings %+v, stderr %s; want the ignored files left alone", code, rep.Findings, errOut)
	}
	// Without the ignore lines, the same tree has two databases to report.
	mustWrite(".gitignore", "")
	if rep, _, _ := lintLayout(t, dir); len(rep.Findings) < 2 {
		t.Errorf("without .gitignore: findings %+v, want both databases", rep.Findings)
	}
}

// COMPOSE_FILE in the directory's .env chooses the project's files, as
// docker compose reads it: the database of the second file (which alone
// does not load: its network is the first file's) is linted with the
// first, with no load error.
func TestComposeFileInDotEnv(t *testing.T) {
	dir := filepath.Join("testdata", "layouts", "compose-file")
	rep, errOut, code := lintLayout(t, dir)
	if code != ExitFindings || len(rep.Errors) != 0 {
		t.Fatalf("exit %d, errors %+v, stderr %s; want 1 and no error", code, rep.Errors, errOut)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "stateful-volume-missing" || filepath.Base(rep.Findings[0].File) != "db.yaml" {
		t.Errorf("findings %+v; want db.yaml's database", rep.Findings)
	}
	if !strings.Contains(errOut, "the files COMPOSE_FILE names") {
		t.Errorf("stderr does not say how the files were grouped: %q", errOut)
	}
}
