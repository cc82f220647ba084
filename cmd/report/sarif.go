package report

import (
	"cmp"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform"
)

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// homepage is the tool's informationUri; rule pages live under it.
	homepage = "https://github.com/composure-dev/composure"
	// srcRoot is the uriBaseId every relative artifact URI is based on.
	srcRoot = "%SRCROOT%"
)

// The SARIF output's shape. Struct field order is the key order of the
// output. Results carry no source snippet: the offending line may hold a
// secret.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     *sarifText      `json:"shortDescription,omitempty"`
	FullDescription      *sarifText      `json:"fullDescription,omitempty"`
	Help                 *sarifHelp      `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifConfig    `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	// Enabled is set (to false) only for rules that are off by default.
	Enabled *bool  `json:"enabled,omitempty"`
	Level   string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
	// SecuritySeverity ranks a security rule's alerts in GitHub code
	// scanning (a score from 0.0 to 10.0: 7.0 and up is high).
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Fixes        []sarifFix         `json:"fixes,omitempty"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	// PartialFingerprints match an alert across runs (GitHub code
	// scanning): the finding's identity, not its line or message.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

// sarifResultProps carries what the JSON contract has and SARIF has no
// place for: the model path, the service and the fix (also when it has no
// edits, e.g. a display-only fix).
type sarifResultProps struct {
	Path    string   `json:"path,omitempty"`
	Service string   `json:"service,omitempty"`
	Fix     *jsonFix `json:"fix,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	Properties      sarifFixProps         `json:"properties"`
}

type sarifFixProps struct {
	Applicability string `json:"applicability"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent *sarifText      `json:"insertedContent,omitempty"`
}

// sarifByteRegion is a replacement's range: both keys always present, an
// insertion has length 0.
type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifReporter struct {
	opts Options
	// catalogue is opts.Catalogue; tests pin their own.
	catalogue func() []*lint.Rule
}

// NewSARIF returns the SARIF 2.1.0 reporter (GitHub code scanning, IDEs):
// one run whose driver lists every rule of the catalogue (then any other
// rule a finding names), results with line/column regions in code points
// (columnKind unicodeCodePoints) relative to %SRCROOT% (opts.Dir), fixes
// with byte-offset replacements, suppressed findings as results with
// suppressions, and load errors as tool execution notifications.
//
// Fix edits' inserted text is printed: secret fixes insert only
// /run/secrets references. A fix's file writes (secret files, .gitignore
// lines) are never printed, and neither are source snippets.
func NewSARIF(opts Options) Reporter {
	return &sarifReporter{opts: opts, catalogue: func() []*lint.Rule { return opts.Catalogue }}
}

func (s *sarifReporter) Report(w io.Writer, r *Result) error {
	paths := newSARIFPaths(s.opts.Dir)
	version := s.opts.Version
	if version == "" {
		version = "dev"
	}
	ruleList, index := sarifRules(s.catalogue(), r, s.opts.DocsRef)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "composure",
			InformationURI: homepage,
			Version:        version,
			Rules:          ruleList,
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(r.Errors) == 0}},
		ColumnKind:  "unicodeCodePoints",
		Results:     make([]sarifResult, 0, len(r.Findings)+len(r.Suppressed)),
	}
	ids := fingerprint.Counter{}
	if paths.dir != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: paths.rootURI()}}
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifFinding(f, index, paths, ids))
	}
	for _, sf := range r.Suppressed {
		res := sarifFinding(sf.Finding, index, paths, ids)
		res.Suppressions = []sarifSuppression{{Kind: sf.Kind, Justification: sf.Justification}}
		run.Results = append(run.Results, res)
	}
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{e.Message}}
		if e.File != "" {
			n.Locations = []sarifLocation{paths.location(e.File, e.Line, e.Column, 0, 0)}
		}
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, n)
	}
	return writeIndentedJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRules is the driver's rule list: the catalogue in its order, then
// any rule a finding names that the catalogue lacks (a descriptor with just
// id and name), so that every result has a ruleIndex.
func sarifRules(catalogue []*lint.Rule, r *Result, docsRef string) ([]sarifRule, map[string]int) {
	var list []sarifRule
	index := map[string]int{}
	for _, rule := range catalogue {
		index[rule.ID] = len(list)
		list = append(list, sarifCatalogueRule(rule, docsRef))
	}
	add := func(id string) {
		if _, ok := index[id]; !ok {
			index[id] = len(list)
			list = append(list, sarifRule{ID: id, Name: camelCase(id)})
		}
	}
	for _, f := range r.Findings {
		add(f.Rule)
	}
	for _, sf := range r.Suppressed {
		add(sf.Finding.Rule)
	}
	return list, index
}

func sarifCatalogueRule(rule *lint.Rule, docsRef string) sarifRule {
	fix := rule.Doc.FixText
	if fix == "" {
		fix = "No automatic fix."
	}
	var text []string
	for _, s := range []string{rule.Doc.What, rule.Doc.Why, fix} {
		if s != "" {
			text = append(text, s)
		}
	}
	cfg := &sarifConfig{Level: sarifLevel(rule.Severity)}
	if rule.DefaultOff {
		off := false
		cfg.Enabled = &off
	}
	return sarifRule{
		ID:                   rule.ID,
		Name:                 camelCase(rule.ID),
		ShortDescription:     &sarifText{rule.Title},
		FullDescription:      &sarifText{rule.Doc.What},
		Help:                 &sarifHelp{Text: strings.Join(text, "\n\n"), Markdown: rule.Markdown()},
		HelpURI:              RuleURL(docsRef, rule.ID),
		DefaultConfiguration: cfg,
		Properties:           &sarifRuleProps{Tags: sarifTags(rule.ID), SecuritySeverity: securitySeverity[rule.ID]},
	}
}

// securitySeverity ranks the secret rules for GitHub code scanning, which
// otherwise shows every security alert as a generic warning. A secret
// committed in the clear is high (8.0); one in a command line or a
// tracked file that could be ignored is high too (7.0); a secret passed
// from the environment into an environment variable is exposure, not
// disclosure: medium (5.0).
var securitySeverity = map[string]string{
	"secret-in-environment":           "8.0",
	"secret-in-build-args":            "8.0",
	"secret-in-env-file":              "8.0",
	"secret-in-command":               "7.0",
	"secret-file-tracked":             "7.0",
	"secret-interpolated-environment": "5.0",
}

// sarifTags puts secret rules under GitHub's "security" tag, state rules
// under "reliability" and the rest under "maintainability", following the
// Code Quality categories.
func sarifTags(id string) []string {
	switch codeClimateCategory(id) {
	case "Security":
		return []string{"security"}
	case "Bug Risk":
		return []string{"reliability"}
	}
	return []string{"maintainability"}
}

// sarifFingerprint is the partialFingerprints key: versioned, so a later
// change of what identifies a finding can use a new key.
const sarifFingerprint = "composureIdentity/v1"

func sarifFinding(f lint.Finding, index map[string]int, paths sarifPaths, ids fingerprint.Counter) sarifResult {
	p := f.Pos
	id, n := ids.Next(f)
	res := sarifResult{
		PartialFingerprints: map[string]string{sarifFingerprint: id.Hash(n)},
		RuleID:              f.Rule,
		RuleIndex:           index[f.Rule],
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{f.Message},
		Locations:           []sarifLocation{paths.location(p.File, p.Line, p.Column, p.EndLine, p.EndColumn)},
		Properties:          sarifResultProps{Path: f.Path, Service: f.Service},
	}
	if f.Fix != nil {
		res.Properties.Fix = &jsonFix{Title: f.Fix.Title, Applicability: f.Fix.Applicability.String()}
		if len(f.Fix.Edits) > 0 {
			res.Fixes = []sarifFix{{
				Description:     sarifText{f.Fix.Title},
				ArtifactChanges: sarifChanges(f.Fix.Edits, paths),
				Properties:      sarifFixProps{Applicability: f.Fix.Applicability.String()},
			}}
		}
	}
	return res
}

// sarifChanges groups edits by file, files in the order they first appear,
// each file's replacements by start offset (stable, so insertions at one
// offset keep their order).
func sarifChanges(edits []transform.Edit, paths sarifPaths) []sarifArtifactChange {
	var files []string
	byFile := map[string][]transform.Edit{}
	for _, e := range edits {
		if _, ok := byFile[e.File]; !ok {
			files = append(files, e.File)
		}
		byFile[e.File] = append(byFile[e.File], e)
	}
	changes := make([]sarifArtifactChange, 0, len(files))
	for _, file := range files {
		es := byFile[file]
		slices.SortStableFunc(es, func(a, b transform.Edit) int { return cmp.Compare(a.Start, b.Start) })
		c := sarifArtifactChange{ArtifactLocation: paths.artifact(file)}
		for _, e := range es {
			rep := sarifReplacement{DeletedRegion: sarifByteRegion{ByteOffset: e.Start, ByteLength: max(e.End-e.Start, 0)}}
			if e.New != "" {
				rep.InsertedContent = &sarifText{e.New}
			}
			c.Replacements = append(c.Replacements, rep)
		}
		changes = append(changes, c)
	}
	return changes
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	case lint.Info:
		return "note"
	}
	return "none"
}

// camelCase turns a rule id into SARIF's rule name: stateful-volume-missing
// becomes StatefulVolumeMissing.
func camelCase(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}

// sarifPaths turns file names into artifact locations. dir is the absolute
// base directory, "" when it is unknown.
type sarifPaths struct {
	dir string
}

func newSARIFPaths(dir string) sarifPaths {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return sarifPaths{}
		}
		dir = wd
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return sarifPaths{}
	}
	return sarifPaths{dir: abs}
}

// rootURI is %SRCROOT%: dir's file URI with a trailing slash, as SARIF
// requires of a base URI.
func (p sarifPaths) rootURI() string {
	u := fileURI(p.dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// artifact locates a file: relative to %SRCROOT% when it is under dir, an
// absolute file URI otherwise.
func (p sarifPaths) artifact(file string) sarifArtifactLocation {
	if p.dir == "" {
		if filepath.IsAbs(file) {
			return sarifArtifactLocation{URI: fileURI(file)}
		}
		return sarifArtifactLocation{URI: escapeURIPath(filepath.ToSlash(filepath.Clean(file)), false)}
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(p.dir, file)
	}
	rel, err := filepath.Rel(p.dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarifArtifactLocation{URI: fileURI(abs)}
	}
	return sarifArtifactLocation{URI: escapeURIPath(filepath.ToSlash(rel), false), URIBaseID: srcRoot}
}

// location is a physical location with a line/column region; a zero line
// leaves the region out (the whole file), a zero column the columns. An
// unknown end line with an end column means the same line.
func (p sarifPaths) location(file string, line, col, endLine, endCol int) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: p.artifact(file)}}
	if line < 1 {
		return loc
	}
	reg := &sarifRegion{StartLine: line}
	if col >= 1 {
		reg.StartColumn = col
		if endLine == 0 && endCol >= 1 {
			endLine = line
		}
		if endLine >= line {
			reg.EndLine = endLine
			if endCol >= 1 && (endLine > line || endCol >= col) {
				reg.EndColumn = endCol
			}
		}
	} else if endLine >= line {
		reg.EndLine = endLine
	}
	loc.PhysicalLocation.Region = reg
	return loc
}

// fileURI is the file URI of an absolute path: file:///a/b, file:///C:/a.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + escapeURIPath(p, true)
}

// escapeURIPath percent-encodes every byte of a slash-separated path but
// the unreserved characters and "/" (and ":" when keepColon: a drive letter
// in an absolute file URI; in a relative reference a colon could read as a
// scheme).
func escapeURIPath(p string, keepColon bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/', keepColon && c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
