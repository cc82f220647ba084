package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/fingerprint"
	"github.com/composure-dev/composure/rules/lint"
)

// codeClimateIssue is one entry of GitLab's Code Quality report (the Code
// Climate issue format). Struct field order is the key order of the output.
type codeClimateIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Categories  []string            `json:"categories"`
	Severity    string              `json:"severity"`
	Fingerprint string              `json:"fingerprint"`
	Location    codeClimateLocation `json:"location"`
}

type codeClimateLocation struct {
	Path  string           `json:"path"`
	Lines codeClimateLines `json:"lines"`
}

type codeClimateLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

// codeClimateLoad is the check name of load errors.
const codeClimateLoad = "load"

type codeClimateReporter struct{}

// NewCodeClimate returns the GitLab Code Quality reporter: a JSON array of
// Code Climate issues, indented with two spaces, followed by a newline; []
// when there is nothing to report. check_name is the rule id, severity
// maps error, warning and info to critical, major and info, categories are
// Security for secret rules, Bug Risk for state rules and Style for the
// rest. Load errors are issues too, with check_name "load", severity
// critical and category Bug Risk: GitLab has no other place for them.
//
// The fingerprint, which GitLab uses to match an issue across pipelines, is
// the finding's identity (rule, file, service, model path: package
// fingerprint), never its line or message, so an edit above a finding or a
// reworded message (postgres:16 bumped to 17) does not re-open it. Findings
// with one identity are told apart by their order. A load error has no
// identity: its fingerprint hashes the file and the message with any line
// or column number taken out.
func NewCodeClimate() Reporter { return codeClimateReporter{} }

func (codeClimateReporter) Report(w io.Writer, r *Result) error {
	out := make([]codeClimateIssue, 0, len(r.Findings)+len(r.Errors))
	fp := fingerprinter{}
	ids := fingerprint.Counter{}
	for _, f := range r.Findings {
		id, n := ids.Next(f)
		out = append(out, codeClimateIssue{
			Type:        "issue",
			CheckName:   f.Rule,
			Description: f.Message,
			Categories:  []string{codeClimateCategory(f.Rule)},
			Severity:    codeClimateSeverity(f.Severity),
			Fingerprint: id.Hash(n),
			Location:    codeClimateLoc(f.Pos.File, f.Pos.Line, f.Pos.EndLine),
		})
	}
	for _, e := range r.Errors {
		out = append(out, codeClimateIssue{
			Type:        "issue",
			CheckName:   codeClimateLoad,
			Description: e.Message,
			Categories:  []string{"Bug Risk"},
			Severity:    "critical",
			Fingerprint: fp.next(codeClimateLoad, e.File, "", e.Message),
			Location:    codeClimateLoc(e.File, e.Line, e.Line),
		})
	}
	return writeIndentedJSON(w, out)
}

// codeClimateLoc is a file and line range; GitLab requires a begin line,
// so an unknown one is 1.
func codeClimateLoc(file string, line, endLine int) codeClimateLocation {
	begin := max(line, 1)
	return codeClimateLocation{
		Path:  filepath.ToSlash(file),
		Lines: codeClimateLines{Begin: begin, End: max(endLine, begin)},
	}
}

func codeClimateSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "critical"
	case lint.Warning:
		return "major"
	}
	return "info"
}

// codeClimateCategory files a rule under Security (secret-*), Bug Risk
// (stateful-*, state-*, anonymous-volume: data that can be lost) or Style.
func codeClimateCategory(id string) string {
	switch {
	case strings.HasPrefix(id, "secret-"):
		return "Security"
	case strings.HasPrefix(id, "stateful-"), strings.HasPrefix(id, "state-"), id == "anonymous-volume":
		return "Bug Risk"
	}
	return "Style"
}

// fingerprinter hands out load errors' fingerprints, counting repeats of
// one input.
type fingerprinter map[string]int

func (fp fingerprinter) next(rule, file, path, msg string) string {
	key := strings.Join([]string{rule, filepath.ToSlash(file), path, withoutPositions(msg)}, "\x00")
	fp[key]++
	if n := fp[key]; n > 1 {
		key += "\x00" + strconv.Itoa(n)
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

var (
	// "line 12", "column 3", "lines 4-7" (YAML and compose-go errors).
	wordPosition = regexp.MustCompile(`(?i)\b(lines?|columns?|col)(\s+)\d+(?:\s*[-:,]\s*\d+)?`)
	// "compose.yaml:12" or "compose.yaml:12:3".
	filePosition = regexp.MustCompile(`(\.ya?ml):\d+(?::\d+)?`)
)

// withoutPositions takes line and column numbers out of a message.
func withoutPositions(msg string) string {
	msg = wordPosition.ReplaceAllString(msg, "$1$2#")
	return filePosition.ReplaceAllString(msg, "$1")
}
