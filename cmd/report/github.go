package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

type githubReporter struct{}

// NewGitHub returns the GitHub Actions reporter: one workflow command per
// finding, which the runner turns into an annotation on the file,
//
//	::error file=compose.yaml,line=6,col=26,endLine=6,endColumn=38,title=secret-in-environment::message
//
// (::warning for warnings, ::notice for infos), then one ::error per load
// error with its file, line and column when known, then the text
// reporter's summary line as plain text. Zero positions are left out.
// Property values escape % \r \n : and , and the message escapes % \r \n,
// as GitHub's toolkit does.
func NewGitHub() Reporter { return githubReporter{} }

func (githubReporter) Report(w io.Writer, r *Result) error {
	var b strings.Builder
	for _, f := range r.Findings {
		p := f.Pos
		props := githubPosition(p.File, p.Line, p.Column)
		if p.EndLine > 0 {
			props = append(props, "endLine="+strconv.Itoa(p.EndLine))
		}
		if p.EndColumn > 0 {
			props = append(props, "endColumn="+strconv.Itoa(p.EndColumn))
		}
		props = append(props, "title="+githubProperty(f.Rule))
		githubCommand(&b, githubLevel(f.Severity), props, f.Message)
	}
	for _, e := range r.Errors {
		githubCommand(&b, "error", githubPosition(e.File, e.Line, e.Column), e.Message)
	}
	b.WriteString(summary(r))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// githubPosition is the file, line and col properties, leaving out what is
// unknown.
func githubPosition(file string, line, col int) []string {
	var props []string
	if file != "" {
		props = append(props, "file="+githubProperty(file))
	}
	if line > 0 {
		props = append(props, "line="+strconv.Itoa(line))
	}
	if col > 0 {
		props = append(props, "col="+strconv.Itoa(col))
	}
	return props
}

func githubCommand(b *strings.Builder, cmd string, props []string, msg string) {
	b.WriteString("::")
	b.WriteString(cmd)
	if len(props) > 0 {
		b.WriteByte(' ')
		b.WriteString(strings.Join(props, ","))
	}
	b.WriteString("::")
	b.WriteString(githubData(msg))
	b.WriteByte('\n')
}

func githubLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

var (
	githubDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// githubData escapes a command's message.
func githubData(s string) string { return githubDataEscaper.Replace(s) }

// githubProperty escapes a command property's value.
func githubProperty(s string) string { return githubPropertyEscaper.Replace(s) }
