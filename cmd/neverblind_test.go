package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Never blind (SPEC §4): a project compose-go refuses reports its error
// (exit 2) and still the findings of its well-formed services, at their
// lines in the file as written, marked partial and without a fix. Each
// layout breaks the load a different way; db's committed password must be
// found in every one.
func TestNeverBlind(t *testing.T) {
	cases := []struct {
		dir     string
		err     string   // in the one load error
		want    []string // rule:line of every finding
		without string   // a service whose findings a cut must not invent
	}{
		{"undefined-volume", "undefined volume data", []string{"secret-in-environment:5"}, ""},
		{"missing-extends", "base.yaml: no such file", []string{
			"secret-in-environment:8", "stateful-volume-missing:10", "secret-in-environment:12",
		}, ""},
		{"schema-error", "services.proxy.environment must be a mapping", []string{
			"stateful-volume-missing:6", "secret-in-environment:8",
		}, "proxy"},
		{"misspelt-services", "additional properties 'service' not allowed", []string{
			"stateful-volume-missing:3", "secret-in-environment:5",
		}, ""},
		// a port spec compose-go refuses names no path: the service
		// whose entry holds the line is cut
		{"bad-port", "invalid hostPort", []string{
			"stateful-volume-missing:7", "secret-in-environment:9",
		}, "web"},
		{"dependency-cycle", "dependency cycle", []string{
			"stateful-volume-missing:6", "secret-in-environment:8",
		}, "a"},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			out, errOut, code := run(t, "lint", "--format", "json", filepath.Join("testdata", "layouts", c.dir))
			if code != ExitIncomplete {
				t.Errorf("exit %d, want %d; stderr %s", code, ExitIncomplete, errOut)
			}
			var rep struct {
				Findings []struct {
					Rule    string          `json:"rule"`
					Line    int             `json:"line"`
					Service string          `json:"service"`
					Partial bool            `json:"partial"`
					Fix     json.RawMessage `json:"fix"`
				} `json:"findings"`
				Errors []struct {
					Message string `json:"message"`
				} `json:"errors"`
				Summary struct {
					Files int `json:"files"`
				} `json:"summary"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, c.err) {
				t.Errorf("errors %+v; want one with %q", rep.Errors, c.err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+":"+itoa(f.Line))
				if !f.Partial || f.Fix != nil {
					t.Errorf("%s:%d: partial %v, fix %s; want partial and no fix", f.Rule, f.Line, f.Partial, f.Fix)
				}
				if c.without != "" && f.Service == c.without {
					t.Errorf("%s:%d is about %q, the part that was cut", f.Rule, f.Line, f.Service)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
			if rep.Summary.Files != 1 {
				t.Errorf("summary counts %d files linted, want the partly read one", rep.Summary.Files)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// An extends-only fragment (no service has an image or a build) is linted
// for what it declares without a load error: through the project that
// extends it, in a directory run and when a hook names it alone; with a
// note and as a fragment when nothing in reach uses it.
func TestExtendsOnlyFragment(t *testing.T) {
	dir := filepath.Join("testdata", "layouts", "fragment")
	common := filepath.Join(dir, "shared", "compose.common.yaml")
	lone := filepath.Join(t.TempDir(), "compose.common.yaml")
	content, err := os.ReadFile(common)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lone, content, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ arg, service, note string }{
		{dir, "app", ""},
		{common, "app", "linted through " + filepath.Join(dir, "compose.yaml")},
		{lone, "app-base", "linted as a fragment"},
	} {
		rep, errOut, code := lintLayout(t, c.arg)
		if code != ExitFindings || len(rep.Errors) != 0 {
			t.Errorf("%s: exit %d, errors %+v; want findings and no error (stderr %s)", c.arg, code, rep.Errors, errOut)
		}
		if len(rep.Findings) != 1 || rep.Findings[0].Rule != "secret-in-environment" || rep.Findings[0].Line != 5 ||
			filepath.Base(rep.Findings[0].File) != "compose.common.yaml" || rep.Findings[0].Service != c.service {
			t.Errorf("%s: findings %+v; want the secret of %s at compose.common.yaml:5", c.arg, rep.Findings, c.service)
		}
		if !strings.Contains(errOut, c.note) {
			t.Errorf("%s: stderr does not say %q: %q", c.arg, c.note, errOut)
		}
	}
}

// An unset variable in a typed field (read_only: ${READ_ONLY}) reads as
// the type's zero value with the other placeholders: the project loads,
// with a note, and its findings are whole (not partial), with fixes.
func TestTypedFieldPlaceholder(t *testing.T) {
	out, errOut, code := run(t, "lint", "--format", "json", filepath.Join("testdata", "layouts", "unset-typed-value"))
	if code != ExitFindings || !strings.Contains(errOut, "READ_ONLY is not set") {
		t.Errorf("exit %d, stderr %q; want findings and a note on READ_ONLY", code, errOut)
	}
	var rep struct {
		Findings []struct {
			Rule    string          `json:"rule"`
			Partial bool            `json:"partial"`
			Fix     json.RawMessage `json:"fix"`
		} `json:"findings"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 || len(rep.Findings) != 2 {
		t.Fatalf("errors %s, %d findings; want none and 2", rep.Errors, len(rep.Findings))
	}
	for _, f := range rep.Findings {
		if f.Partial || f.Fix == nil {
			t.Errorf("%s: partial %v, fix %s; want a whole finding with its fix", f.Rule, f.Partial, f.Fix)
		}
	}
}
