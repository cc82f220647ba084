package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
)

// sarifFingerprints renders res as SARIF and returns each result's
// partialFingerprints value and each rule's security-severity.
func sarifFingerprints(t *testing.T, opts Options, res *Result) ([]string, map[string]string, map[string]string) {
	t.Helper()
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						HelpURI    string `json:"helpUri"`
						Properties struct {
							SecuritySeverity string `json:"security-severity"`
						}
					}
				}
			}
			Results []struct {
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal([]byte(render(t, NewSARIF(opts), res)), &doc); err != nil {
		t.Fatal(err)
	}
	var fps []string
	for _, r := range doc.Runs[0].Results {
		fps = append(fps, r.PartialFingerprints[sarifFingerprint])
	}
	sev, help := map[string]string{}, map[string]string{}
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		sev[r.ID] = r.Properties.SecuritySeverity
		help[r.ID] = r.HelpURI
	}
	return fps, sev, help
}

// SARIF and Code Climate fingerprint a finding by its identity: moving it
// or rewording its message keeps the fingerprint, and both formats agree.
func TestFingerprintsFromIdentity(t *testing.T) {
	base := fixture()
	a, _, _ := sarifFingerprints(t, Options{Catalogue: rules.All()}, base)
	seen := map[string]bool{}
	for i, fp := range a {
		if len(fp) != 64 || seen[fp] {
			t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
		}
		seen[fp] = true
	}
	moved := fixture()
	for i := range moved.Findings {
		moved.Findings[i].Pos.Line += 9
		moved.Findings[i].Message += " (reworded)"
	}
	if b, _, _ := sarifFingerprints(t, Options{Catalogue: rules.All()}, moved); strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("moved and reworded findings changed fingerprints:\n%v\n%v", a, b)
	}
	other := fixture()
	other.Findings[0].Service = "another"
	if b, _, _ := sarifFingerprints(t, Options{Catalogue: rules.All()}, other); b[0] == a[0] {
		t.Error("another service kept the fingerprint")
	}
	cc := fingerprints(t, base)
	for i := range base.Findings {
		if cc[i] != a[i] {
			t.Errorf("finding %d: Code Climate %s, SARIF %s; want one identity", i, cc[i], a[i])
		}
	}
}

func TestSARIFSecuritySeverityAndHelpURI(t *testing.T) {
	_, sev, help := sarifFingerprints(t, Options{DocsRef: "v1.2.3", Catalogue: rules.All()}, fixture())
	for _, r := range rules.All() {
		got := sev[r.ID]
		if strings.HasPrefix(r.ID, "secret-") != (got != "") {
			t.Errorf("%s: security-severity %q; want one exactly for secret rules", r.ID, got)
		}
		if want := "https://github.com/composure-dev/composure/blob/v1.2.3/docs/rules/" + r.ID + ".md"; help[r.ID] != want {
			t.Errorf("%s: helpUri %q, want %q", r.ID, help[r.ID], want)
		}
	}
	if sev["secret-in-environment"] < "7.0" {
		t.Errorf("a committed secret ranks %q, want high (7.0 or more)", sev["secret-in-environment"])
	}
	for id := range securitySeverity {
		if rules.ByID(id) == nil {
			t.Errorf("securitySeverity names %s, which is no rule", id)
		}
	}
}

// JUnit fails only the test cases at or above --fail-on.
func TestJUnitFailOn(t *testing.T) {
	res := &Result{Files: 1, Findings: []lint.Finding{
		{Rule: "fixed-container-name", Severity: lint.Info, Message: "info one", Pos: pos("a.yaml", 1, 1, 1, 2)},
		{Rule: "anonymous-volume", Severity: lint.Warning, Message: "warn one", Pos: pos("a.yaml", 2, 1, 2, 2)},
		{Rule: "secret-in-environment", Severity: lint.Error, Message: "err one", Pos: pos("a.yaml", 3, 1, 3, 2)},
	}}
	for threshold, wantFailures := range map[lint.Severity]int{lint.Off: 3, lint.Info: 3, lint.Warning: 2, lint.Error: 1, lint.Error + 1: 0} {
		out := render(t, newJUnit(Options{FailOn: threshold}), res)
		p := parseJUnit(t, out)
		checkJUnitCounts(t, p)
		if p.Failures != wantFailures || p.Tests != 3 {
			t.Errorf("--fail-on %v: %d failures of %d tests, want %d of 3", threshold, p.Failures, p.Tests, wantFailures)
		}
		for _, msg := range []string{"info one", "warn one", "err one"} {
			if !strings.Contains(out, msg) {
				t.Errorf("--fail-on %v: %q is not reported", threshold, msg)
			}
		}
	}
}
