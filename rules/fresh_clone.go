package rules

import (
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// A secret moved out of git is not in a fresh clone, nor in a CI job that
// runs the compose file: the fixes that move one leave a committed
// template that names what is needed (never a value), and the fix command
// says once what a fresh clone needs (transform/fixer/freshclone.go).

// envTemplates are the names of a committed .env template, in the order
// one is picked when a project has several; .env.example is created when
// it has none.
var envTemplates = []string{".env.example", ".env.sample", ".env.dist"}

// envTemplate is the project's .env template, as a fix pass of this run
// leaves it or on disk: the first of envTemplates that is there, else
// .env.example.
func envTemplate(p *lint.Pass) string {
	for _, name := range envTemplates {
		abs := filepath.Join(p.Project.Dir, name)
		if _, ok := p.Project.Existing(abs); ok {
			return abs
		}
	}
	return filepath.Join(p.Project.Dir, envTemplates[0])
}

// templateVarWrites list variable in the template as `VAR=`, without its
// value; nothing when the template sets it already (a placeholder value
// there stays as it is).
func templateVarWrites(p *lint.Pass, variable string) []lint.FileWrite {
	path := envTemplate(p)
	if content, _ := p.Project.Existing(path); templateSets(content, variable) {
		return nil
	}
	return []lint.FileWrite{{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: path, Content: variable + "="}}
}

// templateFileWrites name a secret file in the template, as a comment: a
// template of variables cannot hold a file, but it is where a teammate
// looks for what to provide.
func templateFileWrites(p *lint.Pass, secretPath string) []lint.FileWrite {
	rel := filepath.ToSlash(mustRel(p.Project.Dir, secretPath))
	return []lint.FileWrite{{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: envTemplate(p),
		Content: "# " + rel + ": a compose secret file, not in git: create it holding the value"}}
}

// templateSets reports a line of content that sets name (`NAME=...`,
// `export NAME=...`, or a bare `NAME`).
func templateSets(content []byte, name string) bool {
	for _, line := range strings.Split(strings.TrimPrefix(string(content), "\ufeff"), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "export ")
		if k, _, _ := strings.Cut(line, "="); strings.TrimSpace(k) == name {
			return true
		}
	}
	return false
}
