package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/google/go-cmp/cmp"
)

// junitParsed is the JUnit shape, written independently of junit.go.
type junitParsed struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			ClassName string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, out string) junitParsed {
	t.Helper()
	var p junitParsed
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("parse: %v\n%s", err, out)
	}
	return p
}

// checkJUnitCounts recomputes every count from the test cases.
func checkJUnitCounts(t *testing.T, p junitParsed) {
	t.Helper()
	var tests, failures, errors int
	for _, s := range p.Suites {
		var f, e int
		for _, c := range s.Cases {
			if c.ClassName != s.Name {
				t.Errorf("suite %s: test case classname %q", s.Name, c.ClassName)
			}
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e {
			t.Errorf("suite %s counts %d/%d/%d, want %d/%d/%d", s.Name, s.Tests, s.Failures, s.Errors, len(s.Cases), f, e)
		}
		tests, failures, errors = tests+len(s.Cases), failures+f, errors+e
	}
	if p.Tests != tests || p.Failures != failures || p.Errors != errors {
		t.Errorf("total counts %d/%d/%d, want %d/%d/%d", p.Tests, p.Failures, p.Errors, tests, failures, errors)
	}
}

func TestJUnitParses(t *testing.T) {
	res := fixture()
	p := parseJUnit(t, render(t, NewJUnit(), res))
	checkJUnitCounts(t, p)
	if p.Tests != 11 || p.Failures != 8 || p.Errors != 3 {
		t.Errorf("counts %d/%d/%d, want 11/8/3", p.Tests, p.Failures, p.Errors)
	}
	// Every finding's message is in its failure's text, every load error's
	// in its error's.
	text := map[string]string{}
	for _, s := range p.Suites {
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				text[s.Name+" "+c.Name] = c.Failure.Text
			case c.Error != nil:
				text[s.Name+" "+c.Name] = c.Error.Text
			}
		}
	}
	for _, f := range res.Findings {
		if !strings.Contains(text[f.Pos.File+" "+f.Rule], f.Message) {
			t.Errorf("finding %s in %s is missing", f.Rule, f.Pos.File)
		}
	}
	for _, e := range res.Errors {
		if !strings.Contains(text[e.File+" load"], e.Message) {
			t.Errorf("load error in %s is missing", e.File)
		}
	}
}

func TestJUnitGrouping(t *testing.T) {
	f := func(file, rule string, line int, s lint.Severity, msg string) lint.Finding {
		return lint.Finding{Rule: rule, Severity: s, Message: msg, Pos: pos(file, line, 0, 0, 0)}
	}
	res := &Result{
		Files: 3,
		// clean.yaml has nothing to report; b.yaml has a finding and two
		// load errors.
		Linted: []string{"clean.yaml", "b.yaml", "a.yaml"},
		Findings: []lint.Finding{
			f("a.yaml", "z-rule", 1, lint.Info, "first"),
			f("a.yaml", "a-rule", 2, lint.Warning, "second"),
			f("a.yaml", "z-rule", 3, lint.Error, "third\x01"),
			f("b.yaml", "a-rule", 1, lint.Info, "]]> <b>"),
		},
		Errors: []LoadError{
			{File: "b.yaml", Line: 4, Column: 2, Message: "bad"},
			{File: "b.yaml", Message: "worse"},
		},
	}
	p := parseJUnit(t, render(t, NewJUnit(), res))
	checkJUnitCounts(t, p)
	type tc struct{ suite, name, kind, message, typ, text string }
	var got []tc
	for _, s := range p.Suites {
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				got = append(got, tc{s.Name, c.Name, "failure", c.Failure.Message, c.Failure.Type, c.Failure.Text})
			case c.Error != nil:
				got = append(got, tc{s.Name, c.Name, "error", c.Error.Message, c.Error.Type, c.Error.Text})
			default:
				got = append(got, tc{s.Name, c.Name, "pass", "", "", ""})
			}
		}
	}
	want := []tc{
		{"a.yaml", "a-rule", "failure", "1 problem", "warning", "2: second"},
		{"a.yaml", "z-rule", "failure", "2 problems", "error", "1: first\n3: third\uFFFD"},
		{"b.yaml", "a-rule", "failure", "1 problem", "info", "1: ]]> <b>"},
		{"b.yaml", "load", "error", "2 errors", "load", "4:2: bad\nworse"},
		{"clean.yaml", "composure", "pass", "", "", ""},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(tc{})); diff != "" {
		t.Errorf("test cases (-want +got):\n%s", diff)
	}
}
