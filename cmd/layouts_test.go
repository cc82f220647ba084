package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

type layoutReport struct {
	Findings []struct {
		Rule string `json:"rule"`
		File string `json:"file"`
		Line int    `json:"line"`
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
