package rules

import (
	"strings"

	"github.com/composure-dev/composure/rules/project"
)

// composeCommand is the docker compose invocation that runs the project
// as it was linted: every file with -f, as the user spells it. A note's
// commands name the files because the directory may hold other compose
// files (docker-compose.dev.yml beside docker-compose.yml) whose notes
// would read the same, and `docker compose up` with no -f runs the
// default file, not the one fixed (issue 13, point 9).
func composeCommand(p *project.Project) string {
	var b strings.Builder
	b.WriteString("docker compose")
	for _, f := range p.Files {
		b.WriteString(" -f " + shellQuote(f.Path))
	}
	return b.String()
}

// projectFiles names the project's files for a note: the first, and the
// others it runs with.
func projectFiles(p *project.Project) string {
	if len(p.Files) == 0 {
		return p.Name
	}
	out := p.Files[0].Path
	if len(p.Files) > 1 {
		var rest []string
		for _, f := range p.Files[1:] {
			rest = append(rest, f.Path)
		}
		out += " (with " + strings.Join(rest, ", ") + ")"
	}
	return out
}

// shellQuote quotes s for a POSIX shell unless it is plain.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+=:@%,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
