package fixer

import (
	"context"
	"path/filepath"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// withoutCoveredIgnores is fix without the .gitignore lines that a
// .gitignore already covers (project.AlreadyIgnored): no nested
// .gitignore for a path the root one ignores, no ".env" under ".env*".
// git is asked once per line and file in a run.
func (r *Result) withoutCoveredIgnores(fix *lint.Fix) *lint.Fix {
	var kept []lint.FileWrite
	dropped := false
	for _, w := range fix.Writes {
		if w.Kind == lint.EnsureLine && filepath.Base(w.Path) == ".gitignore" && r.coveredIgnore(w.Path, w.Content) {
			dropped = true
			continue
		}
		kept = append(kept, w)
	}
	if !dropped {
		return fix
	}
	c := *fix
	c.Writes = kept
	return &c
}

func (r *Result) coveredIgnore(gitignore, line string) bool {
	key := gitignore + "\x00" + line
	if v, ok := r.covered[key]; ok {
		return v
	}
	if r.covered == nil {
		r.covered = map[string]bool{}
	}
	v := project.AlreadyIgnored(context.Background(), gitignore, line)
	r.covered[key] = v
	return v
}
