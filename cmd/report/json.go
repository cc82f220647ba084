package report

import (
	"io"
)

// The JSON output is a stable contract ("version": 1, SPEC §3). These types
// are its exact shape: struct field order is the key order of the output, so
// do not reorder, rename or drop fields; add new optional ones only.

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Summary  jsonSummary   `json:"summary"`
	// Tool names the composure that wrote the report; left out when the
	// caller gave no version (added after v1's first fields: optional).
	Tool *jsonTool `json:"tool,omitempty"`
	// Withheld: the fixes `composure fix` did not make, and why (added
	// in v1: optional, only from fix).
	Withheld []jsonWithheld `json:"withheld,omitempty"`
}

type jsonWithheld struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Service string `json:"service,omitempty"`
	Reason  string `json:"reason"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Message   string   `json:"message"`
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Column    int      `json:"column"`
	EndLine   int      `json:"end_line"`
	EndColumn int      `json:"end_column"`
	Service   string   `json:"service,omitempty"`
	Path      string   `json:"path"`
	Fix       *jsonFix `json:"fix,omitempty"`
	// Partial: found in a project that does not load (never blind).
	Partial bool `json:"partial,omitempty"`
	// URL is the rule's documentation (added in v1: optional).
	URL string `json:"url,omitempty"`
}

type jsonFix struct {
	Title         string `json:"title"`
	Applicability string `json:"applicability"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

type jsonSummary struct {
	Files    int `json:"files"`
	Findings int `json:"findings"`
	Errors   int `json:"errors"`
	Fixable  int `json:"fixable"`
}

type jsonReporter struct{ opts Options }

// NewJSON returns the reporter for the version 1 JSON contract: one object,
// indented with two spaces, followed by a newline. findings and errors are
// always arrays, never null.
func NewJSON() Reporter { return jsonReporter{} }

// newJSON is NewJSON with options: Version fills the tool object.
func newJSON(opts Options) Reporter { return jsonReporter{opts: opts} }

func (j jsonReporter) Report(w io.Writer, r *Result) error {
	out := jsonReport{
		Version:  1,
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Errors:   make([]jsonError, 0, len(r.Errors)),
		Summary: jsonSummary{
			Files:    r.Files,
			Findings: len(r.Findings),
			Errors:   len(r.Errors),
			Fixable:  r.Fixable(),
		},
	}
	if j.opts.Version != "" {
		out.Tool = &jsonTool{Name: "composure", Version: j.opts.Version}
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule:      f.Rule,
			Severity:  f.Severity.String(),
			Message:   f.Message,
			File:      f.Pos.File,
			Line:      f.Pos.Line,
			Column:    f.Pos.Column,
			EndLine:   f.Pos.EndLine,
			EndColumn: f.Pos.EndColumn,
			Service:   f.Service,
			Path:      f.Path,
			Partial:   f.Partial,
			URL:       RuleURL(j.opts.DocsRef, f.Rule),
		}
		if f.Fix != nil {
			jf.Fix = &jsonFix{Title: f.Fix.Title, Applicability: f.Fix.Applicability.String()}
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, jsonError{File: e.File, Line: e.Line, Column: e.Column, Message: e.Message})
	}
	for _, wf := range r.Withheld {
		out.Withheld = append(out.Withheld, jsonWithheld{Rule: wf.Rule, File: wf.File, Line: wf.Line, Service: wf.Service, Reason: wf.Reason})
	}
	// Messages quote compose snippets ("<none>", "a && b"); kept readable:
	// no HTML escaping.
	return writeIndentedJSON(w, out)
}
