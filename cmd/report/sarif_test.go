package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
)

// testCatalogue pins the rule list of the SARIF golden: a rule with every
// doc field (and multi-byte text), one off by default without a fix, and
// one the fixture never names.
func testCatalogue() []*lint.Rule {
	return []*lint.Rule{
		{
			ID:       "stateful-volume-missing",
			Title:    "stateful service with nothing mounted on its data path",
			Severity: lint.Error,
			Fix:      lint.Safe,
			Doc: lint.Doc{
				What:       "Finds services whose image keeps data with no mount on its data path.",
				Why:        "The writable layer is deleted with the container – the data goes with it.",
				Bad:        "services:\n  db:\n    image: postgres:16\n",
				Good:       "services:\n  db:\n    image: postgres:16\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
				FixText:    "Mount a named volume on the data path (safe).",
				References: []string{"https://docs.docker.com/engine/storage/volumes/"},
			},
		},
		{
			ID:         "fixed-container-name",
			Title:      "container_name set",
			Severity:   lint.Warning,
			DefaultOff: true,
			Fix:        lint.NoFix,
			Doc: lint.Doc{
				What: "Finds services that set `container_name`.",
				Why:  "A fixed name cannot be scaled.",
				Bad:  "services:\n  db:\n    container_name: db\n",
				Good: "services:\n  db: {}\n",
			},
		},
		{
			ID:       "secret-in-command",
			Title:    "secret in a command",
			Severity: lint.Info,
			Fix:      lint.NoFix,
			Doc: lint.Doc{
				What: "Finds credentials in `command` and `entrypoint`.",
				Bad:  "services:\n  app:\n    command: --password=x\n",
				Good: "services:\n  app:\n    command: --password-file=/run/secrets/x\n",
			},
		},
	}
}

// sarifSchemaURL is the id of the vendored schema.
const sarifSchemaURL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// compileSARIFSchema loads the vendored SARIF 2.1.0 schema (OASIS errata01),
// asserting formats (uri, uri-reference) too.
func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(sarifSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, what, out string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate against the SARIF 2.1.0 schema:\n%v", what, err)
	}
}

func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	n := 0
	for _, tc := range goldens {
		if !strings.HasPrefix(tc.golden, "sarif") {
			continue
		}
		n++
		validateSARIF(t, sch, tc.golden, render(t, tc.r, fixture()))
	}
	if n == 0 {
		t.Fatal("no SARIF golden")
	}
	validateSARIF(t, sch, "the real catalogue", render(t, NewSARIF(Options{Dir: dir, Catalogue: rules.All()}), fixture()))
	validateSARIF(t, sch, "an empty result", render(t, NewSARIF(Options{Dir: dir, Catalogue: rules.All()}), &Result{Files: 1}))
	validateSARIF(t, sch, "the secrets result", render(t, NewSARIF(Options{Dir: dir, Catalogue: rules.All()}), secretResult()))

	// The validator does reject what the schema forbids.
	bad := strings.Replace(render(t, NewSARIF(Options{Dir: dir, Catalogue: rules.All()}), fixture()), `"unicodeCodePoints"`, `"bytes"`, 1)
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if sch.Validate(inst) == nil {
		t.Error(`columnKind "bytes" validates`)
	}
}

// sarifOut is the part of the output the tests below read.
type sarifOut struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription *struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription *struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help *struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration *struct {
						Enabled *bool  `json:"enabled"`
						Level   string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool              `json:"executionSuccessful"`
			Notifications       []json.RawMessage `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID       string            `json:"ruleId"`
			RuleIndex    int               `json:"ruleIndex"`
			Suppressions []json.RawMessage `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out string) sarifOut {
	t.Helper()
	var s sarifOut
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Runs) != 1 {
		t.Fatalf("%d runs", len(s.Runs))
	}
	return s
}

// TestSARIFCatalogue checks the driver's rules against the real catalogue.
func TestSARIFCatalogue(t *testing.T) {
	res := fixture()
	run := decodeSARIF(t, render(t, NewSARIF(Options{Dir: dir, Catalogue: rules.All()}), res)).Runs[0]
	all := rules.All()
	got := run.Tool.Driver.Rules
	if len(got) < len(all) {
		t.Fatalf("%d rules, want at least the %d of the catalogue", len(got), len(all))
	}
	for i, r := range all {
		g := got[i]
		if g.ID != r.ID || g.Name != camelCase(r.ID) ||
			g.ShortDescription == nil || g.ShortDescription.Text != r.Title ||
			g.FullDescription == nil || g.FullDescription.Text != r.Doc.What ||
			g.Help == nil || g.Help.Markdown != r.Markdown() || !strings.Contains(g.Help.Text, r.Doc.What) ||
			g.HelpURI != "https://github.com/composure-dev/composure/blob/main/docs/rules/"+r.ID+".md" ||
			g.DefaultConfiguration == nil || g.DefaultConfiguration.Level != sarifLevel(r.Severity) ||
			(g.DefaultConfiguration.Enabled != nil) != r.DefaultOff {
			t.Errorf("rule %d (%s) = %+v", i, r.ID, g)
		}
	}
	// Rules outside the catalogue follow, each once, so every result has
	// a ruleIndex.
	if len(run.Results) != len(res.Findings)+len(res.Suppressed) {
		t.Fatalf("%d results, want %d", len(run.Results), len(res.Findings)+len(res.Suppressed))
	}
	ids := map[string]bool{}
	for _, g := range got {
		if ids[g.ID] {
			t.Errorf("rule %s listed twice", g.ID)
		}
		ids[g.ID] = true
	}
	for i, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(got) || got[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleIndex %d does not name %s", i, r.RuleIndex, r.RuleID)
		}
		if suppressed := i >= len(res.Findings); suppressed != (len(r.Suppressions) == 1) {
			t.Errorf("result %d: suppressions %v", i, r.Suppressions)
		}
	}
	if inv := run.Invocations; len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].Notifications) != len(res.Errors) {
		t.Errorf("invocations = %+v", inv)
	}
}

func TestSARIFDefaults(t *testing.T) {
	run := decodeSARIF(t, render(t, NewSARIF(Options{Catalogue: rules.All()}), &Result{})).Runs[0]
	if v := run.Tool.Driver.Version; v != "dev" {
		t.Errorf("version = %q, want dev", v)
	}
	if inv := run.Invocations; len(inv) != 1 || !inv[0].ExecutionSuccessful || inv[0].Notifications != nil {
		t.Errorf("invocations = %+v", inv)
	}
	if run.Results == nil {
		t.Error("results is not an array")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := run.OriginalURIBaseIDs[srcRoot].URI, fileURI(wd)+"/"; got != want {
		t.Errorf("%%SRCROOT%% = %q, want %q", got, want)
	}
	run = decodeSARIF(t, render(t, NewSARIF(Options{Version: "2.0.1", Catalogue: rules.All()}), &Result{})).Runs[0]
	if v := run.Tool.Driver.Version; v != "2.0.1" {
		t.Errorf("version = %q, want 2.0.1", v)
	}
}

func TestSARIFPaths(t *testing.T) {
	p := sarifPaths{dir: "/work/project"}
	for _, tc := range []struct {
		file string
		want sarifArtifactLocation
	}{
		{"compose.yaml", sarifArtifactLocation{"compose.yaml", srcRoot}},
		{"./deploy/../compose.yaml", sarifArtifactLocation{"compose.yaml", srcRoot}},
		{"deploy/prod/compose.yaml", sarifArtifactLocation{"deploy/prod/compose.yaml", srcRoot}},
		{"dev env/compose.ü.yaml", sarifArtifactLocation{"dev%20env/compose.%C3%BC.yaml", srcRoot}},
		// A colon in a relative reference could read as a scheme.
		{"a:b.yaml", sarifArtifactLocation{"a%3Ab.yaml", srcRoot}},
		{"100%#?.yaml", sarifArtifactLocation{"100%25%23%3F.yaml", srcRoot}},
		{"/work/project/compose.yaml", sarifArtifactLocation{"compose.yaml", srcRoot}},
		{"/work/project-b/compose.yaml", sarifArtifactLocation{URI: "file:///work/project-b/compose.yaml"}},
		{"../shared/x y.yaml", sarifArtifactLocation{URI: "file:///work/shared/x%20y.yaml"}},
		{"/etc/compose.yaml", sarifArtifactLocation{URI: "file:///etc/compose.yaml"}},
		{"..foo.yaml", sarifArtifactLocation{"..foo.yaml", srcRoot}},
	} {
		if got := p.artifact(tc.file); got != tc.want {
			t.Errorf("artifact(%q) = %+v, want %+v", tc.file, got, tc.want)
		}
	}
	for _, tc := range []struct{ dir, want string }{
		{"/work/project", "file:///work/project/"},
		{"/work/my project", "file:///work/my%20project/"},
		{"/", "file:///"},
	} {
		if got := (sarifPaths{dir: tc.dir}).rootURI(); got != tc.want {
			t.Errorf("rootURI(%q) = %q, want %q", tc.dir, got, tc.want)
		}
	}
	// Without a directory, relative names stay relative, with no base.
	if got, want := (sarifPaths{}).artifact("a b.yaml"), (sarifArtifactLocation{URI: "a%20b.yaml"}); got != want {
		t.Errorf("artifact without dir = %+v, want %+v", got, want)
	}
}

func TestSARIFRegion(t *testing.T) {
	p := sarifPaths{dir: "/p"}
	for _, tc := range []struct {
		line, col, endLine, endCol int
		want                       *sarifRegion
	}{
		{3, 5, 3, 9, &sarifRegion{3, 5, 3, 9}},
		{3, 5, 3, 5, &sarifRegion{3, 5, 3, 5}},   // empty: an insertion point
		{3, 5, 6, 2, &sarifRegion{3, 5, 6, 2}},   // multi-line
		{3, 5, 0, 9, &sarifRegion{3, 5, 3, 9}},   // unknown end line: the same line
		{3, 5, 3, 2, &sarifRegion{3, 5, 3, 0}},   // end before start: to the end of the line
		{3, 5, 0, 0, &sarifRegion{3, 5, 0, 0}},   // no end
		{3, 0, 0, 0, &sarifRegion{StartLine: 3}}, // no column
		{3, 0, 4, 0, &sarifRegion{StartLine: 3, EndLine: 4}},
		{0, 5, 0, 0, nil}, // no line: the whole file
	} {
		got := p.location("a.yaml", tc.line, tc.col, tc.endLine, tc.endCol).PhysicalLocation.Region
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("location(%d:%d-%d:%d) region (-want +got):\n%s", tc.line, tc.col, tc.endLine, tc.endCol, diff)
		}
	}
}

func TestCamelCase(t *testing.T) {
	for id, want := range map[string]string{
		"stateful-volume-missing": "StatefulVolumeMissing",
		"anonymous-volume":        "AnonymousVolume",
		"x":                       "X",
		"a--b-":                   "AB",
	} {
		if got := camelCase(id); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", id, got, want)
		}
	}
}
