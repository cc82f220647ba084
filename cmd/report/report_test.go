package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fatih/color"
	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// sources are the files the fixture's findings point into. base.yaml is
// deliberately missing: a finding whose source cannot be read prints no
// source line.
var sources = map[string]string{
	"compose.yaml": "services:\n" +
		"  db:\n" +
		"    image: postgres:16\n" +
		"    container_name: db\n" +
		"    environment:\n" +
		"      POSTGRES_PASSWORD: s3cr3t-value\n" +
		"  web:\n" +
		"    image: nginx\n" +
		"volumes:\n" +
		"  data:\n",
	// CRLF line endings, a multi-byte line and a tab-indented line.
	"compose.override.yaml": "services:\r\n" +
		"  web:\r\n" +
		"    labels:\r\n" +
		"      note: \"Café für alle – token=ab12cd34ef\"\r\n" +
		"\tmac_address:\t02:42:ac:11:00:02\r\n",
}

func source(file string) []byte {
	s, ok := sources[file]
	if !ok {
		return nil
	}
	return []byte(s)
}

func pos(file string, line, col, endLine, endCol int) lint.Position {
	return lint.Position{File: file, Line: line, Column: col, EndLine: endLine, EndColumn: endCol}
}

// dir is the directory the fixture's file names are relative to.
const dir = "/work/project"

// fixture is one lint run: several files, every severity, a safe, an unsafe
// and a display-only fix, a multi-line and an empty range, a multi-byte and
// a tab-indented source line, and load errors with and without positions.
// Two safe fixes and an unsafe one carry byte edits (one after a multi-byte
// line); two suppressed findings, one in a file outside dir, have
// multi-byte text. Only SARIF shows edits and suppressed findings.
func fixture() *Result {
	return &Result{
		Files:  3,
		Linted: []string{"base.yaml", "compose.override.yaml", "compose.yaml"},
		Findings: []lint.Finding{
			{
				Rule:     "fixed-hostname",
				Severity: lint.Warning,
				Message:  `service "api" pins hostname "api-1"; every replica would get the same name`,
				Pos:      pos("base.yaml", 12, 5, 12, 20),
				Service:  "api",
				Path:     "services.api.hostname",
				Fix:      &lint.Fix{Title: "remove hostname", Applicability: lint.Unsafe},
			},
			{
				// The range starts after "Café für alle – " (é, ü and – are
				// multi-byte): column 30 is the code point, not the byte.
				Rule:     "secret-in-label",
				Severity: lint.Error,
				Message:  `service "web" has a credential in label "note" ("ab****"); labels are readable by anyone who can inspect the container`,
				Pos:      pos("compose.override.yaml", 4, 30, 4, 46),
				Service:  "web",
				Path:     "services.web.labels.note",
			},
			{
				// After a leading tab and a tab separator.
				Rule:     "fixed-mac-address",
				Severity: lint.Warning,
				Message:  `service "web" pins mac_address 02:42:ac:11:00:02; two copies of the service would clash`,
				Pos:      pos("compose.override.yaml", 5, 15, 5, 32),
				Service:  "web",
				Path:     "services.web.mac_address",
				Fix: &lint.Fix{Title: "remove mac_address", Applicability: lint.Safe, Edits: []transform.Edit{
					// Deletes line 5: its byte offset counts the multi-byte
					// characters of line 4.
					{File: dir + "/compose.override.yaml", Start: 84, End: 117},
				}},
			},
			{
				// Multi-line range: a lone caret.
				Rule:     "stateful-volume-missing",
				Severity: lint.Error,
				Message:  `service "db" (postgres:16) keeps its data in /var/lib/postgresql/data but nothing is mounted there; the data is lost when the container is removed`,
				Pos:      pos("compose.yaml", 2, 3, 6, 38),
				Service:  "db",
				Path:     "services.db",
				Fix: &lint.Fix{Title: "mount a named volume at /var/lib/postgresql/data", Applicability: lint.Unsafe, Edits: []transform.Edit{
					{File: dir + "/compose.yaml", Start: 117, End: 117, New: "    volumes:\n      - db-data:/var/lib/postgresql/data\n"},
					{File: dir + "/compose.yaml", Start: 158, End: 158, New: "  db-data:\n"},
				}},
			},
			{
				Rule:     "fixed-container-name",
				Severity: lint.Warning,
				Message:  `service "db" sets container_name "db"; it cannot be scaled and clashes with any other project using the name`,
				Pos:      pos("compose.yaml", 4, 5, 4, 23),
				Service:  "db",
				Path:     "services.db.container_name",
			},
			{
				Rule:     "secret-in-environment",
				Severity: lint.Error,
				Message:  `service "db" sets POSTGRES_PASSWORD to a literal value ("s3****") in the compose file`,
				Pos:      pos("compose.yaml", 6, 26, 6, 38),
				Service:  "db",
				Path:     "services.db.environment.POSTGRES_PASSWORD",
				Fix: &lint.Fix{
					Title:         "move POSTGRES_PASSWORD to a compose secret",
					Applicability: lint.Safe,
					// Out of order: SARIF sorts them by offset.
					Edits: []transform.Edit{
						{File: dir + "/compose.yaml", Start: 117, End: 117, New: "    secrets:\n      - db_postgres_password\n"},
						{File: dir + "/compose.yaml", Start: 85, End: 102, New: "POSTGRES_PASSWORD_FILE"},
						{File: dir + "/compose.yaml", Start: 104, End: 116, New: "/run/secrets/db_postgres_password"},
						{File: dir + "/compose.yaml", Start: 158, End: 158, New: "secrets:\n  db_postgres_password:\n    file: ./secrets/db_postgres_password\n"},
					},
					// Never printed.
					Writes: []lint.FileWrite{
						{Kind: lint.CreateSecret, Root: dir, Path: dir + "/secrets/db_postgres_password", Content: "s3cr3t-value", Secret: true},
						{Kind: lint.EnsureLine, Root: dir, Path: dir + "/.gitignore", Content: "/secrets/"},
					},
				},
				Redact: []string{"s3cr3t-value"},
			},
			{
				// Empty range at the end of the line: a lone caret after "nginx".
				Rule:     "image-no-tag",
				Severity: lint.Info,
				Message:  `service "web" uses image "nginx" without a tag; it changes whenever latest moves`,
				Pos:      pos("compose.yaml", 8, 17, 8, 17),
				Service:  "web",
				Path:     "services.web.image",
				Fix:      &lint.Fix{Title: "pin nginx to a version tag", Applicability: lint.DisplayOnly},
			},
			{
				// No service: omitted from JSON.
				Rule:     "unused-volume",
				Severity: lint.Info,
				Message:  `volume "data" is declared but no service mounts it`,
				Pos:      pos("compose.yaml", 10, 3, 10, 7),
				Path:     "volumes.data",
			},
		},
		Errors: []LoadError{
			{File: "broken.yaml", Line: 3, Column: 1, Message: "yaml: mapping values are not allowed in this context"},
			{File: "extends.yaml", Line: 7, Message: `service "api" extends "base", which base.yaml does not define`},
			{File: "missing.yaml", Message: "open missing.yaml: no such file or directory"},
		},
		Suppressed: []SuppressedFinding{
			{
				Finding: lint.Finding{
					Rule:     "fixed-container-name",
					Severity: lint.Warning,
					Message:  `service "café" sets container_name "café–1"; it cannot be scaled and clashes with any other project using the name`,
					Pos:      pos("dev env/compose.yaml", 3, 5, 3, 27),
					Service:  "café",
					Path:     "services.café.container_name",
				},
				Kind:          InSource,
				Justification: "démo locale – un seul conteneur",
			},
			{
				Finding: lint.Finding{
					Rule:     "anonymous-volume",
					Severity: lint.Warning,
					Message:  `service "cache" mounts an anonymous volume at /data; it is orphaned when the container is removed`,
					Pos:      pos("../shared/cache.yaml", 9, 9, 9, 14),
					Service:  "cache",
					Path:     "services.cache.volumes[0]",
				},
				Kind:          External,
				Justification: "scratch space, rebuilt on start",
			},
		},
	}
}

func render(t *testing.T, r Reporter, res *Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Report(&buf, res); err != nil {
		t.Fatalf("Report: %v", err)
	}
	return buf.String()
}

// goldens renders fixture() in every format.
var goldens = []struct {
	golden string
	r      Reporter
}{
	{"text.golden", NewText(Options{})},
	{"text_source.golden", NewText(Options{Source: source})},
	{"json.golden", NewJSON()},
	// A pinned catalogue: rule doc edits do not churn the golden.
	{"sarif.golden", &sarifReporter{opts: Options{Version: "1.4.0", Dir: dir}, catalogue: testCatalogue}},
	{"github.golden", NewGitHub()},
	{"junit.golden", NewJUnit()},
	{"checkstyle.golden", NewCheckstyle()},
	{"codeclimate.golden", NewCodeClimate()},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldens {
		t.Run(tc.golden, func(t *testing.T) {
			got := render(t, tc.r, fixture())
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	empty := &Result{Files: 2}
	if got, want := render(t, NewText(Options{Source: source}), empty), "no problems in 2 files\n"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	want := `{
  "version": 1,
  "findings": [],
  "errors": [],
  "summary": {
    "files": 2,
    "findings": 0,
    "errors": 0,
    "fixable": 0
  }
}
`
	if diff := cmp.Diff(want, render(t, NewJSON(), empty)); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
}

func TestSummary(t *testing.T) {
	f := func(s lint.Severity, fix *lint.Fix) lint.Finding {
		return lint.Finding{Rule: "r", Severity: s, Pos: pos("a.yaml", 1, 1, 1, 2), Fix: fix}
	}
	safe := &lint.Fix{Applicability: lint.Safe}
	unsafe := &lint.Fix{Applicability: lint.Unsafe}
	for _, tc := range []struct {
		res  Result
		want string
	}{
		{Result{Files: 0}, "no problems in 0 files"},
		{Result{Files: 1}, "no problems in 1 file"},
		{Result{Files: 2}, "no problems in 2 files"},
		{Result{Files: 1, Findings: []lint.Finding{f(lint.Error, nil)}}, "1 problem (1 error) in 1 file"},
		{Result{Files: 1, Findings: []lint.Finding{f(lint.Info, safe)}}, "1 problem (1 info) in 1 file, 1 fixable with 'composure fix'"},
		{Result{Files: 2, Findings: []lint.Finding{f(lint.Error, safe), f(lint.Error, safe), f(lint.Warning, unsafe)}},
			"3 problems (2 errors, 1 warning) in 2 files, 2 fixable with 'composure fix'"},
		{Result{Files: 5, Findings: []lint.Finding{f(lint.Warning, nil), f(lint.Warning, nil), f(lint.Info, nil), f(lint.Info, nil)}},
			"4 problems (2 warnings, 2 infos) in 5 files"},
		{Result{Files: 1, Errors: []LoadError{{File: "a.yaml"}}}, "no problems in 1 file, 1 file could not be loaded"},
		// Two errors in one file count one file.
		{Result{Files: 3, Findings: []lint.Finding{f(lint.Warning, safe)}, Errors: []LoadError{{File: "a.yaml", Line: 1}, {File: "a.yaml", Line: 9}, {File: "b.yaml"}}},
			"1 problem (1 warning) in 3 files, 1 fixable with 'composure fix', 2 files could not be loaded"},
	} {
		if got := summary(&tc.res); got != tc.want {
			t.Errorf("summary = %q, want %q", got, tc.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	for _, tc := range []struct {
		line      string
		p         lint.Position
		text, car string
	}{
		{"abc def", pos("f", 1, 5, 1, 8), "abc def", "    ^~~"},
		{"abc def", pos("f", 1, 5, 1, 5), "abc def", "    ^"},         // empty range
		{"abc def", pos("f", 1, 5, 3, 2), "abc def", "    ^"},         // multi-line
		{"abc def", pos("f", 1, 5, 0, 7), "abc def", "    ^~"},        // EndLine unknown: same line
		{"abc def", pos("f", 1, 5, 1, 99), "abc def", "    ^~~"},      // clamped to the line
		{"abc", pos("f", 1, 4, 1, 4), "abc", "   ^"},                  // just after the end
		{"abc", pos("f", 1, 6, 1, 6), "abc", "     ^"},                // beyond the end
		{"abc", pos("f", 1, 0, 0, 0), "abc", ""},                      // no column
		{"é–ü x", pos("f", 1, 5, 1, 6), "é–ü x", "    ^"},             // code points, not bytes
		{"\tk: v", pos("f", 1, 2, 1, 3), "        k: v", "        ^"}, // leading tab
		{"a\tb", pos("f", 1, 1, 1, 4), "a       b", "^~~~~~~~~"},      // tab inside the range
		{"abcdefg\tx", pos("f", 1, 8, 1, 9), "abcdefg x", "       ^"}, // tab to the next stop is one space
		{"a\t", pos("f", 1, 2, 1, 3), "a", " ^~~~~~~"},                // trailing blanks trimmed from the text only
	} {
		text, car := snippet(tc.line, tc.p)
		if text != tc.text || car != tc.car {
			t.Errorf("snippet(%q, %d:%d-%d:%d) = %q, %q; want %q, %q",
				tc.line, tc.p.Line, tc.p.Column, tc.p.EndLine, tc.p.EndColumn, text, car, tc.text, tc.car)
		}
	}
}

func TestLocation(t *testing.T) {
	for _, tc := range []struct {
		file      string
		line, col int
		want      string
	}{
		{"a.yaml", 3, 7, "a.yaml:3:7: "},
		{"a.yaml", 3, 0, "a.yaml:3: "},
		{"a.yaml", 0, 0, "a.yaml: "},
		{"a.yaml", 0, 5, "a.yaml: "},
		{"", 0, 0, ""},
	} {
		if got := location(tc.file, tc.line, tc.col); got != tc.want {
			t.Errorf("location(%q, %d, %d) = %q, want %q", tc.file, tc.line, tc.col, got, tc.want)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestColor(t *testing.T) {
	// The global switch must not matter: opts.Color decides.
	defer func(v bool) { color.NoColor = v }(color.NoColor)
	for _, global := range []bool{true, false} {
		color.NoColor = global
		opts := Options{Source: source}
		plain := render(t, NewText(opts), fixture())
		if strings.Contains(plain, "\x1b") {
			t.Errorf("NoColor=%v: colour off but output has escapes:\n%q", global, plain)
		}
		opts.Color = true
		coloured := render(t, NewText(opts), fixture())
		for _, want := range []string{
			"\x1b[1mcompose.yaml:6:26: \x1b[22m",     // position bold
			"\x1b[31;1merror\x1b[0;22m",              // error red bold
			"\x1b[33mwarning\x1b[0m",                 // warning yellow
			"\x1b[34minfo\x1b[0m",                    // info blue
			"\x1b[2m[secret-in-environment]\x1b[22m", // rule faint
		} {
			if !strings.Contains(coloured, want) {
				t.Errorf("NoColor=%v: colour output lacks %q:\n%s", global, want, coloured)
			}
		}
		// Colour changes nothing but the escapes.
		if diff := cmp.Diff(plain, ansi.ReplaceAllString(coloured, "")); diff != "" {
			t.Errorf("NoColor=%v: colour output without escapes differs (-plain +stripped):\n%s", global, diff)
		}
	}
}

// contract is the v1 JSON shape, written independently of json.go.
type contract struct {
	Version  int `json:"version"`
	Findings []struct {
		Rule      string `json:"rule"`
		Severity  string `json:"severity"`
		Message   string `json:"message"`
		File      string `json:"file"`
		Line      int    `json:"line"`
		Column    int    `json:"column"`
		EndLine   int    `json:"end_line"`
		EndColumn int    `json:"end_column"`
		Service   string `json:"service"`
		Path      string `json:"path"`
		Fix       *struct {
			Title         string `json:"title"`
			Applicability string `json:"applicability"`
		} `json:"fix"`
		URL string `json:"url"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
	Summary struct {
		Files    int `json:"files"`
		Findings int `json:"findings"`
		Errors   int `json:"errors"`
		Fixable  int `json:"fixable"`
	} `json:"summary"`
}

// secret is a secret value that no output may contain.
const secret = "hunter2-long-secret"
