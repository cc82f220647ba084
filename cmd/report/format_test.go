package report

import (
	"encoding/json"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

func TestJSONContract(t *testing.T) {
	res := fixture()
	out := render(t, NewJSON(), res)

	var c contract
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if c.Version != 1 || len(c.Findings) != len(res.Findings) || len(c.Errors) != len(res.Errors) {
		t.Fatalf("decoded version %d, %d findings, %d errors", c.Version, len(c.Findings), len(c.Errors))
	}
	for i, f := range res.Findings {
		g := c.Findings[i]
		if g.Rule != f.Rule || g.Severity != f.Severity.String() || g.Message != f.Message ||
			g.File != f.Pos.File || g.Line != f.Pos.Line || g.Column != f.Pos.Column ||
			g.EndLine != f.Pos.EndLine || g.EndColumn != f.Pos.EndColumn ||
			g.Service != f.Service || g.Path != f.Path || (g.Fix == nil) != (f.Fix == nil) {
			t.Errorf("finding %d does not round-trip: %+v", i, g)
		}
		if f.Fix != nil && (g.Fix.Title != f.Fix.Title || g.Fix.Applicability != f.Fix.Applicability.String()) {
			t.Errorf("finding %d fix = %+v", i, *g.Fix)
		}
		if want := "https://github.com/composure-dev/composure/blob/main/docs/rules/" + f.Rule + ".md"; g.URL != want {
			t.Errorf("finding %d url = %q, want %q", i, g.URL, want)
		}
	}
	if got, want := c.Summary, (struct{ Files, Findings, Errors, Fixable int }{3, 8, 3, 2}); got.Files != want.Files ||
		got.Findings != want.Findings || got.Errors != want.Errors || got.Fixable != want.Fixable {
		t.Errorf("summary = %+v, want %+v", got, want)
	}

	// Exact key sets.
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Findings []map[string]json.RawMessage `json:"findings"`
		Errors   []map[string]json.RawMessage `json:"errors"`
		Summary  map[string]json.RawMessage   `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var k []string
		for s := range m {
			k = append(k, s)
		}
		slices.Sort(k)
		return k
	}
	all := []string{"column", "end_column", "end_line", "file", "fix", "line", "message", "path", "rule", "service", "severity", "url"}
	for _, tc := range []struct {
		what string
		got  map[string]json.RawMessage
		want []string
	}{
		{"top level", top, []string{"errors", "findings", "summary", "version"}},
		{"finding with service and fix", raw.Findings[0], all},
		{"finding without fix", raw.Findings[1], slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "fix" })},
		{"finding without service or fix", raw.Findings[7], slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "fix" || s == "service" })},
		{"fix", decodeMap(t, raw.Findings[0]["fix"]), []string{"applicability", "title"}},
		{"error with position", raw.Errors[0], []string{"column", "file", "line", "message"}},
		{"error with a line only", raw.Errors[1], []string{"file", "line", "message"}},
		{"error without position", raw.Errors[2], []string{"file", "message"}},
		{"summary", raw.Summary, []string{"errors", "files", "findings", "fixable"}},
	} {
		if diff := cmp.Diff(tc.want, keys(tc.got)); diff != "" {
			t.Errorf("%s keys (-want +got):\n%s", tc.what, diff)
		}
	}
}

func decodeMap(t *testing.T, b json.RawMessage) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNew(t *testing.T) {
	for _, name := range Formats() {
		r, err := New(name, Options{})
		if err != nil || r == nil {
			t.Errorf("New(%q) = %v, %v", name, r, err)
		}
	}
	if _, ok := must(New("json", Options{})).(jsonReporter); !ok {
		t.Error(`New("json") is not the JSON reporter`)
	}
	if _, ok := must(New("text", Options{Color: true})).(*textReporter); !ok {
		t.Error(`New("text") is not the text reporter`)
	}
	for name, ok := range map[string]func(Reporter) bool{
		"sarif":       func(r Reporter) bool { s, ok := r.(*sarifReporter); return ok && s.opts.Version == "9.9" },
		"github":      func(r Reporter) bool { _, ok := r.(githubReporter); return ok },
		"junit":       func(r Reporter) bool { _, ok := r.(junitReporter); return ok },
		"checkstyle":  func(r Reporter) bool { _, ok := r.(checkstyleReporter); return ok },
		"codeclimate": func(r Reporter) bool { _, ok := r.(codeClimateReporter); return ok },
	} {
		if !ok(must(New(name, Options{Version: "9.9"}))) {
			t.Errorf("New(%q) is not its reporter", name)
		}
	}
	_, err := New("xml", Options{})
	if err == nil {
		t.Fatal(`New("xml") succeeded`)
	}
	if got, want := err.Error(), `unknown format "xml" (valid formats: text, json, sarif, github, junit, checkstyle, codeclimate)`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func must(r Reporter, err error) Reporter {
	if err != nil {
		panic(err)
	}
	return r
}

// secretResult is a run whose findings are about secret: each message
// masks it, each finding lists it in Redact, and its fix writes it to a
// secret file.
func secretResult() *Result {
	f := lint.Finding{
		Rule:     "secret-in-environment",
		Severity: lint.Error,
		Message:  `service "app" sets API_TOKEN to a literal value ("hu****") in the compose file`,
		Pos:      pos("compose.yaml", 4, 18, 4, 37),
		Service:  "app",
		Path:     "services.app.environment.API_TOKEN",
		Fix: &lint.Fix{
			Title:         "move API_TOKEN to a compose secret",
			Applicability: lint.Safe,
			Edits: []transform.Edit{
				{File: dir + "/compose.yaml", Start: 40, End: 49, New: "API_TOKEN_FILE"},
				{File: dir + "/compose.yaml", Start: 51, End: 70, New: "/run/secrets/app_api_token"},
			},
			Writes: []lint.FileWrite{
				{Kind: lint.CreateSecret, Root: dir, Path: dir + "/secrets/app_api_token", Content: secret, Secret: true},
				{Kind: lint.EnsureLine, Root: dir, Path: dir + "/.env", Content: "API_TOKEN=" + secret, Secret: true},
			},
			Notes: []string{"the token now lives in secrets/app_api_token"},
		},
		Redact: []string{secret},
	}
	cmd := f
	cmd.Rule, cmd.Fix = "secret-in-command", nil
	cmd.Message = `service "app" passes a credential on its command line ("--token=hu****")`
	cmd.Pos = pos("compose.yaml", 6, 14, 6, 42)
	return &Result{
		Files:      1,
		Linted:     []string{"compose.yaml"},
		Findings:   []lint.Finding{f, cmd},
		Suppressed: []SuppressedFinding{{Finding: f, Kind: InSource, Justification: "rotated weekly"}},
	}
}

func TestNoSecretValues(t *testing.T) {
	// The source the text reporter shows is masked by the caller, as
	// cmd/lint.go does.
	masked := func(string) []byte {
		return []byte("services:\n  app:\n    environment:\n      API_TOKEN: hu*****************\n")
	}
	for _, name := range Formats() {
		for _, opts := range []Options{{Dir: dir}, {Dir: dir, Source: masked, Color: true}} {
			r, err := New(name, opts)
			if err != nil {
				t.Fatal(err)
			}
			if out := render(t, r, secretResult()); strings.Contains(out, secret) || !strings.Contains(out, "hu****") {
				t.Errorf("%s output shows the secret or lacks the masked message:\n%s", name, out)
			}
		}
	}
	// The fixture's secret file content (s3cr3t-value) is not in any
	// golden but the one whose test source serves the raw file.
	for _, tc := range goldens {
		if tc.golden == "text_source.golden" {
			continue
		}
		if out := render(t, tc.r, fixture()); strings.Contains(out, "s3cr3t-value") {
			t.Errorf("%s shows the secret file content", tc.golden)
		}
	}
}

// TestDeterministic renders every format twice.
func TestDeterministic(t *testing.T) {
	for _, tc := range goldens {
		if a, b := render(t, tc.r, fixture()), render(t, tc.r, fixture()); a != b {
			t.Errorf("%s differs between two renders", tc.golden)
		}
	}
}

func TestEmptyFormats(t *testing.T) {
	empty := &Result{Files: 2}
	for _, tc := range []struct {
		r    Reporter
		want string
	}{
		{NewGitHub(), "no problems in 2 files\n"},
		{NewJUnit(), xml.Header + `<testsuites name="composure" tests="0" failures="0" errors="0"></testsuites>` + "\n"},
		{NewCheckstyle(), xml.Header + `<checkstyle version="4.3"></checkstyle>` + "\n"},
		{NewCodeClimate(), "[]\n"},
	} {
		if diff := cmp.Diff(tc.want, render(t, tc.r, empty)); diff != "" {
			t.Errorf("%T (-want +got):\n%s", tc.r, diff)
		}
	}
}

// Control characters in linted input never reach a terminal raw.
func TestTextEscapesControlCharacters(t *testing.T) {
	r := &Result{Findings: []lint.Finding{{Rule: "secret-in-environment", Severity: lint.Error,
		Message: "service \"db\" sets K\x1b[2J\nFAKE:1:1: error: forged to a literal secret",
		Pos:     lint.Position{File: "compose.yaml", Line: 1, Column: 1}}}, Files: 1}
	var buf strings.Builder
	if err := NewText(Options{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b") || strings.Count(out, "\n") != 3 || !strings.Contains(out, `K\x1b[2J\x0aFAKE`) {
		t.Errorf("control characters not escaped:\n%q", out)
	}
}
