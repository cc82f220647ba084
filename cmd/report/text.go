package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/fatih/color"
)

// tabWidth is the tab stop used to expand tabs in source lines. Positions
// count a tab as one code point; the printed line has its tabs expanded to
// spaces (stops every tabWidth columns, counted from the start of the line's
// text) and the caret is computed on the expanded line, so it stays aligned
// whatever the terminal's tab settings are.
const tabWidth = 8

type textReporter struct {
	opts Options
}

// NewText returns the human reporter:
//
//	file:line:col: severity: message [rule-id]
//
// one line per finding, followed, when opts.Source is set, by the source line
// and a caret line marking [Column, EndColumn):
//
//	compose.yaml:7:5: warning: service "db" sets container_name [...] [fixed-container-name]
//	  7 |     container_name: db
//	    |     ^~~~~~~~~~~~~~~~~~
//
// The caret is a lone ^ when the range is empty or spans several lines. Load
// errors follow the findings as "file:line:col: error: message" (zero line
// and column omitted) and a summary line ends the output. Column widths
// assume one terminal cell per code point: wide (East Asian) and combining
// characters before the range shift the caret.
func NewText(opts Options) Reporter { return &textReporter{opts: opts} }

// paint colours s when the caller asked for colour. EnableColor overrides
// fatih/color's global NoColor (set from stdout's TTY state): opts.Color is
// the only switch.
func (t *textReporter) paint(s string, attrs ...color.Attribute) string {
	if !t.opts.Color || s == "" {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor()
	return c.Sprint(s)
}

func severityAttrs(s lint.Severity) []color.Attribute {
	switch s {
	case lint.Error:
		return []color.Attribute{color.FgRed, color.Bold}
	case lint.Warning:
		return []color.Attribute{color.FgYellow}
	case lint.Info:
		return []color.Attribute{color.FgBlue}
	}
	return nil
}

func (t *textReporter) Report(w io.Writer, r *Result) error {
	var b strings.Builder
	lines := map[string][]string{} // source lines per file, read once
	for _, f := range r.Findings {
		t.finding(&b, f, lines)
	}
	for _, e := range r.Errors {
		b.WriteString(t.paint(location(printable(e.File), e.Line, e.Column), color.Bold))
		b.WriteString(t.paint("error", severityAttrs(lint.Error)...))
		b.WriteString(": ")
		b.WriteString(printable(e.Message))
		b.WriteByte('\n')
	}
	t.ruleLinks(&b, r)
	b.WriteString(summary(r))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleLinks names each reported rule's page once, in order of first
// appearance, after the findings: the lines above stay one per finding.
func (t *textReporter) ruleLinks(b *strings.Builder, r *Result) {
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if seen[f.Rule] {
			continue
		}
		seen[f.Rule] = true
		b.WriteString(t.paint("["+f.Rule+"]", color.Faint))
		b.WriteByte(' ')
		b.WriteString(RuleURL(t.opts.DocsRef, f.Rule))
		b.WriteByte('\n')
	}
}

func (t *textReporter) finding(b *strings.Builder, f lint.Finding, cache map[string][]string) {
	sev := severityAttrs(f.Severity)
	b.WriteString(t.paint(location(printable(f.Pos.File), f.Pos.Line, f.Pos.Column), color.Bold))
	b.WriteString(t.paint(f.Severity.String(), sev...))
	b.WriteString(": ")
	b.WriteString(printable(f.Message))
	b.WriteByte(' ')
	b.WriteString(t.paint("["+f.Rule+"]", color.Faint))
	b.WriteByte('\n')

	if t.opts.Source == nil || f.Pos.Line < 1 {
		return
	}
	lines, ok := cache[f.Pos.File]
	if !ok {
		lines = splitLines(t.opts.Source(f.Pos.File))
		cache[f.Pos.File] = lines
	}
	if f.Pos.Line > len(lines) {
		return
	}
	text, caret := snippet(lines[f.Pos.Line-1], f.Pos)
	num := strconv.Itoa(f.Pos.Line)
	gutter := strings.Repeat(" ", len(num))
	b.WriteString(t.paint("  "+num+" |", color.Faint))
	if text != "" {
		b.WriteByte(' ')
		b.WriteString(printable(text))
	}
	b.WriteByte('\n')
	if caret != "" {
		b.WriteString(t.paint("  "+gutter+" |", color.Faint))
		b.WriteByte(' ')
		b.WriteString(t.paint(caret, sev...))
		b.WriteByte('\n')
	}
}

// printable escapes control characters (ESC, NUL, line breaks, C1) that a
// compose file can smuggle into a key, a path or a source line: a terminal
// must not run escape sequences from linted input, and a finding must not
// forge extra output lines. Tabs stay.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// location renders "file:line:col: ", leaving out a zero line or column (a
// zero line also drops the column) and the whole prefix when file is empty.
func location(file string, line, col int) string {
	if file == "" {
		return ""
	}
	s := file
	if line > 0 {
		s += ":" + strconv.Itoa(line)
		if col > 0 {
			s += ":" + strconv.Itoa(col)
		}
	}
	return s + ": "
}

// splitLines splits src into lines without their "\n" or "\r\n".
func splitLines(src []byte) []string {
	if len(src) == 0 {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// snippet returns line with its tabs expanded and the caret line for p, with
// trailing blanks removed. caret is "" when p has no column.
func snippet(line string, p lint.Position) (text, caret string) {
	var out strings.Builder
	var cols []int // cols[i] is the display column where code point i starts
	col := 0
	for _, r := range line {
		cols = append(cols, col)
		if r == '\t' {
			n := tabWidth - col%tabWidth
			out.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		out.WriteRune(r)
		col++
	}
	cols = append(cols, col) // just past the last code point
	text = strings.TrimRight(out.String(), " ")
	if p.Column < 1 {
		return text, ""
	}

	n := len(cols) - 1 // code points in the line
	start := min(p.Column-1, n)
	// A column past the end of the line points after its last character.
	pad := cols[start] + max(p.Column-1-n, 0)
	width := 1
	if (p.EndLine == p.Line || p.EndLine == 0) && p.EndColumn > p.Column {
		end := min(p.EndColumn-1, n)
		width = max(cols[end]-cols[start], 1)
	}
	return text, strings.Repeat(" ", pad) + "^" + strings.Repeat("~", width-1)
}

// summary is the last line of the text output, e.g.
// "3 problems (2 errors, 1 warning) in 2 files, 2 fixable with 'composure fix'"
// or "no problems in 1 file, 1 file could not be loaded".
func summary(r *Result) string {
	var s string
	if len(r.Findings) == 0 {
		s = "no problems"
	} else {
		var errs, warns, infos int
		for _, f := range r.Findings {
			switch f.Severity {
			case lint.Error:
				errs++
			case lint.Warning:
				warns++
			case lint.Info:
				infos++
			}
		}
		var parts []string
		if errs > 0 {
			parts = append(parts, count(errs, "error", "errors"))
		}
		if warns > 0 {
			parts = append(parts, count(warns, "warning", "warnings"))
		}
		if infos > 0 {
			parts = append(parts, count(infos, "info", "infos"))
		}
		s = count(len(r.Findings), "problem", "problems")
		if len(parts) > 0 {
			s += " (" + strings.Join(parts, ", ") + ")"
		}
	}
	s += " in " + count(r.Files, "file", "files")
	if n := r.Fixable(); n > 0 {
		s += fmt.Sprintf(", %d fixable with 'composure fix'", n)
	}
	if len(r.Errors) > 0 {
		failed := map[string]bool{}
		for _, e := range r.Errors {
			failed[e.File] = true
		}
		s += ", " + count(len(failed), "file", "files") + " could not be loaded"
	}
	return s
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
