package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

var indentCases = []string{
	`{}`,
	`[]`,
	`{"a":1}`,
	`{"a":[],"b":{},"c":[1,2,{"d":null}],"e":"x,y:{[]}"}`,
	`{"s":"quote \" and backslash \\ and \\\" end","t":"<&>"}`,
	`[[[]],[{}],{"k":[{"l":[true,false]}]}]`,
	`"just a string"`,
	`-1.5e+10`,
	`{"unicode":"é\u2028ü","esc":"\n\t"}`,
}

// TestAppendIndentMatchesEncodingJSON checks the hand-written indenter
// against encoding/json on shapes the report has and some it has not.
func TestAppendIndentMatchesEncodingJSON(t *testing.T) {
	for _, src := range indentCases {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(src), "", "  "); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := appendIndent(nil, []byte(src), "  "); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("appendIndent(%s):\n%s\nwant:\n%s", src, got, want.Bytes())
		}
	}
}

// TestWriteIndentedJSONMatchesEncoder checks the report writer against
// the json.Encoder settings it replaces, on a report with every part.
func TestWriteIndentedJSONMatchesEncoder(t *testing.T) {
	v := jsonReport{
		Version:  1,
		Findings: []jsonFinding{{Rule: "r", Message: `a "quoted" <none> && b`, Fix: &jsonFix{Title: "t", Applicability: "safe"}}, {Rule: "s"}},
		Errors:   []jsonError{},
		Summary:  jsonSummary{Files: 2, Findings: 2},
		Tool:     &jsonTool{Name: "composure", Version: "v1"},
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := writeIndentedJSON(&got, v); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("got:\n%s\nwant:\n%s", got.Bytes(), want.Bytes())
	}
}

func FuzzAppendIndent(f *testing.F) {
	for _, src := range indentCases {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var compact bytes.Buffer
		if err := json.Compact(&compact, src); err != nil {
			return // not JSON
		}
		src = compact.Bytes()
		var want bytes.Buffer
		if err := json.Indent(&want, src, "", "  "); err != nil {
			t.Fatalf("json.Indent refuses what json.Compact wrote: %v", err)
		}
		if got := appendIndent(nil, src, "  "); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("appendIndent(%q) = %q, want %q", src, got, want.Bytes())
		}
	})
}
