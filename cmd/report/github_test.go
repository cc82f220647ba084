package report

import (
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"%0A", "%250A", "%250A"}, // an escape in the input is not one in the output
		{"café – ü", "café – ü", "café – ü"},
	} {
		if got := githubData(tc.in); got != tc.data {
			t.Errorf("githubData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := githubProperty(tc.in); got != tc.prop {
			t.Errorf("githubProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestGitHubCommands(t *testing.T) {
	res := &Result{
		Files: 1,
		Findings: []lint.Finding{{
			Rule:     "r",
			Severity: lint.Info,
			Message:  "line one\nline two: 50%",
			Pos:      pos("dir,1/a:b.yaml", 2, 3, 0, 0),
		}},
		Errors: []LoadError{{Message: "no file"}},
	}
	want := "::notice file=dir%2C1/a%3Ab.yaml,line=2,col=3,title=r::line one%0Aline two: 50%25\n" +
		"::error::no file\n" +
		"1 problem (1 info) in 1 file, 1 file could not be loaded\n"
	if got := render(t, NewGitHub(), res); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// One command a line: no finding can start a second one.
	for _, line := range strings.Split(strings.TrimSuffix(render(t, NewGitHub(), fixture()), "\n"), "\n") {
		if !strings.HasPrefix(line, "::") && line != summary(fixture()) {
			t.Errorf("stray line %q", line)
		}
	}
}
