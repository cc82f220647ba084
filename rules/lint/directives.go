package lint

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/composure-dev/composure/rules/project"
)

// directive is one `# composure:ignore rule[,rule] -- reason` comment.
type directive struct {
	File     string
	Line     int
	Column   int
	FileWide bool
	// OwnLine: the comment is alone on its line, so it covers the next
	// line; a trailing comment covers its own line.
	OwnLine bool
	Rules   []string
	Reason  string
	used    bool
	usedBy  map[string]bool // the rules it silenced a finding of
}

var directiveRe = regexp.MustCompile(`#\s*composure:(ignore-file|ignore)\b(.*)$`)

// directives finds the suppression comments of a file. A cheap byte
// check skips files without any.
func directives(f *project.File) []*directive {
	if !strings.Contains(string(f.Content), "composure:ignore") {
		return nil
	}
	var out []*directive
	for i, line := range strings.Split(string(f.Content), "\n") {
		line = strings.TrimRight(line, "\r")
		loc := directiveRe.FindStringSubmatchIndex(line)
		if loc == nil {
			continue
		}
		m := directiveRe.FindStringSubmatch(line)
		d := &directive{
			File:     f.Path,
			Line:     i + 1,
			Column:   utf8.RuneCountInString(line[:loc[0]]) + 1,
			FileWide: m[1] == "ignore-file",
			OwnLine:  strings.TrimSpace(line[:loc[0]]) == "",
		}
		spec, reason, _ := strings.Cut(m[2], "--")
		d.Reason = strings.TrimSpace(reason)
		for _, r := range strings.Split(strings.TrimSpace(spec), ",") {
			if r = strings.TrimSpace(r); r != "" {
				d.Rules = append(d.Rules, r)
			}
		}
		out = append(out, d)
	}
	return out
}

// covers reports whether d suppresses f.
func (d *directive) covers(f Finding) bool {
	if d.File != f.Pos.File || !slices.Contains(d.Rules, f.Rule) {
		return false
	}
	if d.FileWide {
		return true
	}
	return f.Pos.Line == d.Line || (d.OwnLine && f.Pos.Line == d.Line+1)
}

// applyDirectives moves the findings that inline comments suppress to
// suppressed, and reports the comments themselves when they lack a reason,
// name an unknown rule, or suppress nothing.
func applyDirectives(p *project.Project, fs []Finding, known func(string) bool) (kept []Finding, suppressed []Suppressed, meta []Finding) {
	var ds []*directive
	seen := map[string]bool{}
	for _, f := range p.AllFiles() {
		if !seen[f.Abs] {
			seen[f.Abs] = true
			ds = append(ds, directives(f)...)
		}
	}
	if len(ds) == 0 {
		return fs, nil, nil
	}
	for _, f := range fs {
		var by *directive
		for _, d := range ds {
			if d.covers(f) {
				by = d
				break
			}
		}
		if by == nil {
			kept = append(kept, f)
			continue
		}
		by.used = true
		if by.usedBy == nil {
			by.usedBy = map[string]bool{}
		}
		by.usedBy[f.Rule] = true
		suppressed = append(suppressed, Suppressed{Finding: f, Kind: InSource, Justification: by.Reason})
	}
	for _, d := range ds {
		pos := Position{File: d.File, Line: d.Line, Column: d.Column, EndLine: d.Line, EndColumn: d.Column}
		kind := "composure:ignore"
		if d.FileWide {
			kind = "composure:ignore-file"
		}
		if d.Reason == "" {
			meta = append(meta, Finding{Rule: IgnoreWithoutReason.ID, Severity: IgnoreWithoutReason.Severity, Pos: pos,
				Message: kind + " needs a reason: add ` -- why this is acceptable` after the rule ids"})
		}
		if len(d.Rules) == 0 {
			meta = append(meta, Finding{Rule: UnusedIgnore.ID, Severity: UnusedIgnore.Severity, Pos: pos,
				Message: kind + " names no rule: write the rule ids it silences, e.g. `# composure:ignore fixed-container-name -- reason`"})
			continue
		}
		for _, r := range d.Rules {
			if !known(r) {
				meta = append(meta, Finding{Rule: UnusedIgnore.ID, Severity: UnusedIgnore.Severity, Pos: pos,
					Message: kind + " names unknown rule " + r + ": see `composure rules` for the ids"})
			}
		}
		if !d.used {
			meta = append(meta, Finding{Rule: UnusedIgnore.ID, Severity: UnusedIgnore.Severity, Pos: pos,
				Message: kind + " " + strings.Join(d.Rules, ",") + " suppresses nothing: remove it"})
			continue
		}
		for _, r := range d.Rules {
			if known(r) && !d.usedBy[r] {
				meta = append(meta, Finding{Rule: UnusedIgnore.ID, Severity: UnusedIgnore.Severity, Pos: pos,
					Message: kind + " names " + r + ", which reports nothing here: remove " + r + " from it"})
			}
		}
	}
	return kept, suppressed, meta
}
