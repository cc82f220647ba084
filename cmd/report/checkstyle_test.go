package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestCheckstyleParses(t *testing.T) {
	res := fixture()
	var p struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	dec := xml.NewDecoder(strings.NewReader(render(t, NewCheckstyle(), res)))
	dec.Strict = true
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.Version != "4.3" {
		t.Errorf("version %q", p.Version)
	}
	type entry struct {
		file, source, severity, message string
		line, col                       int
	}
	got := map[entry]int{}
	for _, f := range p.Files {
		for _, e := range f.Errors {
			got[entry{f.Name, e.Source, e.Severity, e.Message, e.Line, e.Column}]++
		}
	}
	want := map[entry]int{}
	for _, f := range res.Findings {
		want[entry{f.Pos.File, "composure." + f.Rule, f.Severity.String(), f.Message, f.Pos.Line, f.Pos.Column}]++
	}
	for _, e := range res.Errors {
		col := e.Column
		if e.Line == 0 {
			col = 0
		}
		want[entry{e.File, "composure.load", "error", e.Message, e.Line, col}]++
	}
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d", len(got), len(want))
	}
	for e, n := range want {
		if got[e] != n {
			t.Errorf("entry %+v: %d, want %d", e, got[e], n)
		}
	}
}
