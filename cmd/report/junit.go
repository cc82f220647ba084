package report

import (
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	// SystemOut lists findings below --fail-on: reported, not failures.
	SystemOut *junitOutput `xml:"system-out,omitempty"`
}

type junitOutput struct {
	Text string `xml:",cdata"`
}

// junitProblem is a <failure> or an <error>. The text goes into a CDATA
// section so its lines stay readable.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// Test case names that are not rule ids.
const (
	junitClean = "composure"
	junitLoad  = "load"
)

type junitReporter struct{ opts Options }

// NewJUnit returns the JUnit XML reporter, for CI systems that show test
// results. Each file is a <testsuite> named after it; each (file, rule) pair
// with findings is a <testcase classname="file" name="rule-id"> holding one
// <failure message="N problems" type="severity"> whose text lists the
// findings as "line:col: message", one a line; test cases are ordered by
// rule id. A file that could not be loaded gets a test case named "load"
// with an <error> (message: the error's, or "N errors" when there are
// several; text: every error with its position). A file with neither
// findings nor load errors gets one passing test case named "composure", so
// the report shows it was linted: such files are known only from
// Result.Linted. Files are sorted by name. tests, failures and errors count
// test cases, per suite and in total.
//
// Options.FailOn is the run's --fail-on: a (file, rule) test case whose
// worst finding is below it passes, its findings in <system-out>, so CI
// shows as failed only what fails the run (all fail when FailOn is Off).
func NewJUnit() Reporter { return junitReporter{} }

func newJUnit(opts Options) Reporter { return junitReporter{opts: opts} }

func (j junitReporter) Report(w io.Writer, r *Result) error {
	findings := map[string][]lint.Finding{}
	loadErrs := map[string][]LoadError{}
	var files []string
	seen := map[string]bool{}
	addFile := func(name string) {
		if !seen[name] {
			seen[name] = true
			files = append(files, name)
		}
	}
	for _, name := range r.Linted {
		addFile(name)
	}
	for _, f := range r.Findings {
		addFile(f.Pos.File)
		findings[f.Pos.File] = append(findings[f.Pos.File], f)
	}
	for _, e := range r.Errors {
		addFile(e.File)
		loadErrs[e.File] = append(loadErrs[e.File], e)
	}
	slices.Sort(files)

	out := junitTestSuites{Name: "composure", Suites: make([]junitTestSuite, 0, len(files))}
	for _, file := range files {
		suite := junitTestSuite{Name: file}
		byRule := map[string][]lint.Finding{}
		var ids []string
		for _, f := range findings[file] {
			if _, ok := byRule[f.Rule]; !ok {
				ids = append(ids, f.Rule)
			}
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
		slices.Sort(ids)
		for _, id := range ids {
			fs := byRule[id]
			worst := lint.Off
			lines := make([]string, len(fs))
			for i, f := range fs {
				worst = max(worst, f.Severity)
				lines[i] = positioned(f.Pos.Line, f.Pos.Column, f.Message)
			}
			text := xmlSafe(strings.Join(lines, "\n"))
			if worst < j.opts.FailOn {
				suite.Cases = append(suite.Cases, junitTestCase{ClassName: file, Name: id, SystemOut: &junitOutput{Text: text}})
				continue
			}
			suite.Cases = append(suite.Cases, junitTestCase{ClassName: file, Name: id, Failure: &junitProblem{
				Message: count(len(fs), "problem", "problems"),
				Type:    worst.String(),
				Text:    text,
			}})
			suite.Failures++
		}
		if es := loadErrs[file]; len(es) > 0 {
			msg := es[0].Message
			if len(es) > 1 {
				msg = count(len(es), "error", "errors")
			}
			lines := make([]string, len(es))
			for i, e := range es {
				lines[i] = positioned(e.Line, e.Column, e.Message)
			}
			suite.Cases = append(suite.Cases, junitTestCase{ClassName: file, Name: junitLoad, Error: &junitProblem{
				Message: msg,
				Type:    junitLoad,
				Text:    xmlSafe(strings.Join(lines, "\n")),
			}})
			suite.Errors++
		}
		if len(suite.Cases) == 0 {
			suite.Cases = append(suite.Cases, junitTestCase{ClassName: file, Name: junitClean})
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Suites = append(out.Suites, suite)
	}
	return writeXML(w, out)
}

// positioned renders "line:col: message", leaving out a zero column, or
// the whole position when the line is zero.
func positioned(line, col int, msg string) string {
	switch {
	case line < 1:
		return msg
	case col < 1:
		return strconv.Itoa(line) + ": " + msg
	}
	return strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": " + msg
}

// writeXML writes the XML declaration and v indented with two spaces,
// followed by a newline.
func writeXML(w io.Writer, v any) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// xmlSafe replaces the characters XML 1.0 cannot hold with U+FFFD.
// Attributes and character data are escaped by encoding/xml, which does the
// same; CDATA sections are written as they are.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			0x20 <= r && r <= 0xD7FF,
			0xE000 <= r && r <= 0xFFFD,
			0x10000 <= r && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
