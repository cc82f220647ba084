package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

type codeClimateParsed struct {
	Type        string   `json:"type"`
	CheckName   string   `json:"check_name"`
	Description string   `json:"description"`
	Categories  []string `json:"categories"`
	Severity    string   `json:"severity"`
	Fingerprint string   `json:"fingerprint"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
			End   int `json:"end"`
		} `json:"lines"`
	} `json:"location"`
}

func parseCodeClimate(t *testing.T, res *Result) []codeClimateParsed {
	t.Helper()
	var issues []codeClimateParsed
	if err := json.Unmarshal([]byte(render(t, NewCodeClimate(), res)), &issues); err != nil {
		t.Fatal(err)
	}
	return issues
}

func fingerprints(t *testing.T, res *Result) []string {
	t.Helper()
	var fps []string
	seen := map[string]bool{}
	for _, i := range parseCodeClimate(t, res) {
		if len(i.Fingerprint) != 64 || seen[i.Fingerprint] {
			t.Errorf("fingerprint %q is not a fresh sha256 hex", i.Fingerprint)
		}
		seen[i.Fingerprint] = true
		fps = append(fps, i.Fingerprint)
	}
	return fps
}

func TestCodeClimateFingerprints(t *testing.T) {
	res := fixture()
	// Two findings of one rule on one path with one message (a rule
	// reporting the same node twice) get different fingerprints.
	dup := res.Findings[4]
	dup.Pos = pos(dup.Pos.File, 30, 5, 30, 23)
	res.Findings = append(res.Findings, dup)
	res.Errors = append(res.Errors, LoadError{File: "broken2.yaml", Line: 3, Column: 5, Message: "yaml: line 3: did not find expected key"})
	a := fingerprints(t, res)
	if b := fingerprints(t, res); !equal(a, b) {
		t.Error("fingerprints change between two renders")
	}

	// Lines added above every finding: positions (and the line in a YAML
	// error message) move, fingerprints do not.
	moved := fixture()
	moved.Findings = append(moved.Findings, dup)
	moved.Errors = append(moved.Errors, LoadError{File: "broken2.yaml", Line: 10, Column: 5, Message: "yaml: line 10: did not find expected key"})
	for i := range moved.Findings {
		p := &moved.Findings[i].Pos
		p.Line, p.EndLine = p.Line+7, p.EndLine+7
		p.Offset, p.EndOffset = p.Offset+120, p.EndOffset+120
	}
	for i := range moved.Errors {
		if moved.Errors[i].Line > 0 {
			moved.Errors[i].Line += 7
		}
	}
	if b := fingerprints(t, moved); !equal(a, b) {
		t.Errorf("fingerprints change when lines move:\n%v\n%v", a, b)
	}

	// What identifies a finding does change it.
	for name, change := range map[string]func(*lint.Finding){
		"rule":    func(f *lint.Finding) { f.Rule = "other-rule" },
		"file":    func(f *lint.Finding) { f.Pos.File = "other.yaml" },
		"path":    func(f *lint.Finding) { f.Path = "services.other" },
		"service": func(f *lint.Finding) { f.Service = "other" },
	} {
		changed := fixture()
		change(&changed.Findings[0])
		if fps := fingerprints(t, changed); fps[0] == a[0] {
			t.Errorf("changing the %s keeps the fingerprint", name)
		}
	}
	// A reworded message (postgres:16 bumped to 17) is the same issue:
	// GitLab must not re-open it.
	reworded := fixture()
	reworded.Findings[0].Message = strings.ReplaceAll(reworded.Findings[0].Message, "16", "17") + " (reworded)"
	if fps := fingerprints(t, reworded); fps[0] != a[0] {
		t.Error("changing the message changes the fingerprint")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCodeClimateFields(t *testing.T) {
	res := fixture()
	issues := parseCodeClimate(t, res)
	if len(issues) != len(res.Findings)+len(res.Errors) {
		t.Fatalf("%d issues", len(issues))
	}
	for i, f := range res.Findings {
		g := issues[i]
		if g.Type != "issue" || g.CheckName != f.Rule || g.Description != f.Message || g.Location.Path != f.Pos.File ||
			g.Location.Lines.Begin != f.Pos.Line || g.Location.Lines.End != f.Pos.EndLine {
			t.Errorf("issue %d = %+v", i, g)
		}
	}
	for _, tc := range []struct{ rule, category string }{
		{"secret-in-environment", "Security"},
		{"secret-interpolated-environment", "Security"},
		{"stateful-volume-missing", "Bug Risk"},
		{"stateful-replicas", "Bug Risk"},
		{"state-on-tmpfs", "Bug Risk"},
		{"state-bind-mount", "Bug Risk"},
		{"anonymous-volume", "Bug Risk"},
		{"fixed-container-name", "Style"},
		{"pinned-mac-address", "Style"},
	} {
		if got := codeClimateCategory(tc.rule); got != tc.category {
			t.Errorf("category(%s) = %s, want %s", tc.rule, got, tc.category)
		}
	}
	for s, want := range map[lint.Severity]string{lint.Error: "critical", lint.Warning: "major", lint.Info: "info"} {
		if got := codeClimateSeverity(s); got != want {
			t.Errorf("severity(%s) = %s, want %s", s, got, want)
		}
	}
	for in, want := range map[string]string{
		"yaml: line 12: did not find expected key": "yaml: line #: did not find expected key",
		"at line 3, column 7":                      "at line #, column #",
		"compose.yaml:12:3: bad":                   "compose.yaml: bad",
		"pins mac_address 02:42:ac:11:00:02":       "pins mac_address 02:42:ac:11:00:02",
		"image postgres:16":                        "image postgres:16",
		"lines 4-7":                                "lines #",
	} {
		if got := withoutPositions(in); got != want {
			t.Errorf("withoutPositions(%q) = %q, want %q", in, got, want)
		}
	}
}
