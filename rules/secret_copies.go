package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform"
)

// Issue 13, point 9: a secret written in several places (a service's
// environment, an anchor other services share, six healthchecks) that a
// fix moves from one of them is still committed in the others, and the
// next rotation breaks the services that kept the old copy. A move is
// made only when every other copy is one a fix can move too: a plain
// environment entry of a service in one of the project's own files. Any
// other copy (an anchor, an extends base, a command, an entrypoint or a
// healthcheck, a variable of extra arguments) withholds it, and the
// message says where the copies are, by line, never by value.

// stuckCopies lists the places, other than self, where the project's
// services hold value as a literal secret that no fix moves: file:line,
// in file order.
func stuckCopies(p *lint.Pass, value string, self *yaml.Node) []string {
	seen := map[string]bool{}
	var out []string
	add := func(file string, line int) {
		at := fmt.Sprintf("%s:%d", filepath.ToSlash(file), line)
		if !seen[at] {
			seen[at] = true
			out = append(out, at)
		}
	}
	for _, s := range servicesOf(p) {
		for _, e := range s.envEntries(p.Project) {
			if e.Loc.Node == self || e.Loc.File == nil {
				continue
			}
			if isArgsVar(e.Key) {
				for _, hit := range secrets.CheckCommand([]string{e.Raw}) {
					if sameSecret(hit.Secret, value) {
						add(e.Loc.File.Path, e.Loc.Line())
					}
				}
			}
			if v := e.Verdict; (v.Kind == secrets.Literal || v.Kind == secrets.DefaultLiteral) && sameSecret(v.Secret, value) && !movable(p, e.rawEntry) {
				add(e.Loc.File.Path, e.Loc.Line())
			}
		}
		for _, key := range [][]string{{"command"}, {"entrypoint"}, {"healthcheck", "test"}} {
			path := append([]string{"services", s.Name}, key...)
			loc := p.Project.Locate(path...)
			if loc.Depth != len(path) || loc.Node == nil || loc.File == nil {
				continue
			}
			items := []*yaml.Node{loc.Node}
			if loc.Node.Kind == yaml.SequenceNode {
				items = loc.Node.Content
			}
			var args []string
			for _, it := range items {
				args = append(args, it.Value)
			}
			for _, hit := range secrets.CheckCommand(args) {
				if !sameSecret(hit.Secret, value) {
					continue
				}
				line := loc.Line()
				if hit.Index >= 0 && hit.Index < len(items) {
					line = items[hit.Index].Line
				}
				add(loc.File.Path, line)
			}
		}
	}
	slices.Sort(out)
	return out
}

// sameSecret compares a detected secret with a value to move, as written
// or with compose's $$ escapes read.
func sameSecret(found, value string) bool {
	return found != "" && (found == value || secrets.Unescape(found) == value)
}

// movable reports an environment entry a fix of its own can move: in one
// of the project's own files, written under the service itself, not in an
// anchor others share.
func movable(p *lint.Pass, e rawEntry) bool {
	f := e.Loc.File
	if !slices.Contains(p.Project.Files, f) || transform.IsAliased(f.Source(), e.Loc.Node) {
		return false
	}
	return p.Project.LocateIn(f, e.Path...).Node == e.Loc.Node && !e.Repeated
}

// copiesNote is the message's end when a move is withheld for copies.
func copiesNote(copies []string) string {
	return "; it is not moved, because the same value is also at " + strings.Join(copies, ", ") +
		", where no fix moves it (an anchor, a command or a healthcheck): move every copy together by hand, or the next rotation breaks the services that keep the old one"
}
