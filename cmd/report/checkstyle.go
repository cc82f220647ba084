package report

import (
	"encoding/xml"
	"io"
	"slices"
)

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr,omitempty"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

type checkstyleReporter struct{}

// NewCheckstyle returns the Checkstyle XML reporter (Jenkins, reviewdog,
// many CI dashboards):
//
//	<checkstyle version="4.3">
//	  <file name="compose.yaml">
//	    <error line="4" column="5" severity="warning" message="..." source="composure.fixed-container-name"></error>
//	  </file>
//	</checkstyle>
//
// Files are sorted by name, each file's findings keep the caller's order and
// are followed by its load errors (severity error, source composure.load).
// A zero line or column is left out (a zero line drops the column too). Only files with something to report
// appear.
func NewCheckstyle() Reporter { return checkstyleReporter{} }

func (checkstyleReporter) Report(w io.Writer, r *Result) error {
	byFile := map[string][]checkstyleError{}
	var names []string
	add := func(file string, e checkstyleError) {
		if _, ok := byFile[file]; !ok {
			names = append(names, file)
		}
		byFile[file] = append(byFile[file], e)
	}
	for _, f := range r.Findings {
		line, col := lineCol(f.Pos.Line, f.Pos.Column)
		add(f.Pos.File, checkstyleError{
			Line:     line,
			Column:   col,
			Severity: f.Severity.String(),
			Message:  f.Message,
			Source:   "composure." + f.Rule,
		})
	}
	for _, e := range r.Errors {
		line, col := lineCol(e.Line, e.Column)
		add(e.File, checkstyleError{Line: line, Column: col, Severity: "error", Message: e.Message, Source: "composure.load"})
	}
	slices.Sort(names)
	out := checkstyleReport{Version: "4.3", Files: make([]checkstyleFile, 0, len(names))}
	for _, name := range names {
		out.Files = append(out.Files, checkstyleFile{Name: name, Errors: byFile[name]})
	}
	return writeXML(w, out)
}

// lineCol drops the column when the line is unknown.
func lineCol(line, col int) (int, int) {
	if line < 1 {
		return 0, 0
	}
	return line, max(col, 0)
}
