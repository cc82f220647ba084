package lint

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// Pass is what a rule's check function gets: the loaded project, the
// image knowledge, the rule's options, and a way to report. One Pass per
// rule and project.
type Pass struct {
	Project   *project.Project
	Knowledge *knowledge.Knowledge
	// Options are the rule's options from the config file, validated
	// against the kinds the rule declares (empty when none were given).
	Options Options
	// SecretsDir is where secret fixes put secret files, relative to the
	// project directory.
	SecretsDir string
	// External makes volume fixes declare external stores with fixed names.
	External bool
	// VerifyFixes asks fix builders to check their edits (RunOptions).
	VerifyFixes bool

	rule     *Rule
	facts    *facts
	findings []Finding
}

// Report records a finding of the pass's rule at loc. The rule id and
// default severity are filled in; severity can be lowered or raised by the
// rule itself (e.g. conditional images) before post-processing applies the
// user's config.
func (p *Pass) Report(loc project.Loc, f Finding) {
	f.Redact = withSourceForm(loc, f.Redact)
	p.ReportAt(Pos(loc), f)
}

// withSourceForm adds the value's text as the file spells it when a secret
// to mask is not in it as such: a quoted scalar writes it with escapes
// (a single quote doubled, "\u0064"), and a diff or a source line shows
// those bytes.
func withSourceForm(loc project.Loc, redact []string) []string {
	if len(redact) == 0 || loc.File == nil || loc.Node == nil || loc.Node.Kind != yaml.ScalarNode {
		return redact
	}
	f, n := loc.File, loc.Node
	start, end := f.Offset(n.Line, n.Column), f.End(n)
	if start < 0 || end > len(f.Content) || start >= end {
		return redact
	}
	raw := string(f.Content[start:end])
	for _, r := range redact {
		if !strings.Contains(raw, r) {
			return append(slices.Clip(redact), raw)
		}
	}
	return redact
}

// ReportAt is Report at a position no YAML node has (a line of an env
// file).
func (p *Pass) ReportAt(pos Position, f Finding) {
	f.Rule = p.rule.ID
	if f.Severity == Off {
		f.Severity = p.rule.Severity
	}
	f.Pos = pos
	p.findings = append(p.findings, f)
}

// Pos converts a location to a finding position: from the key (or item) to
// the end of its value.
func Pos(loc project.Loc) Position {
	if loc.File == nil || loc.Node == nil {
		return Position{}
	}
	f := loc.File
	startLine, startCol := loc.Line(), loc.Column()
	start := f.Offset(startLine, startCol)
	// A key whose value is a whole block (a service, a list) is reported
	// on the key alone: the block may be many lines long.
	end := f.End(loc.Node)
	if loc.Key != nil && (loc.Node.Kind == yaml.MappingNode || loc.Node.Kind == yaml.SequenceNode) {
		end = f.End(loc.Key)
	}
	if end < start {
		end = start
	}
	endLine, endCol := f.LineCol(end)
	return Position{
		File: f.Path, Line: startLine, Column: startCol,
		EndLine: endLine, EndColumn: endCol,
		Offset: start, EndOffset: end,
	}
}

// NewPass prepares a pass of rule r on a loaded project, as Check does,
// for a driver or a test that runs one check function itself.
func NewPass(r *Rule, p *project.Project, k *knowledge.Knowledge, opts RunOptions) *Pass {
	return &Pass{Project: p, Knowledge: k, Options: opts.RuleOptions[r.ID], SecretsDir: opts.secretsDir(), External: opts.External, VerifyFixes: opts.VerifyFixes, rule: r, facts: &facts{}}
}

// Findings are what the pass's rule reported so far.
func (p *Pass) Findings() []Finding { return p.findings }
