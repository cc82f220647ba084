package fixer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Why this file exists: when a pass's verification takes changes back
// (a file that would not load, a fix withheld), the pass's lint no longer
// describes the files, and the next pass must start from outcomes that
// do. Linting every project of the pass again cost a fifth of `fix`, yet
// a withholding changes a few files: a project is linted again only when
// it read one of them, or may now get another fix because of one.

// relintEvery makes relint lint every project again, as it did before
// staleAfter: TestRelintSameAsEvery compares the two on the corpus.
var relintEvery = false

// staleAfter lists the indexes of outs (linted with the files of from)
// whose outcome may differ with the files of to. It errs on the side of
// linting again.
func staleAfter(outs []lint.Outcome, from, to map[string][]byte) []int {
	changed := changedFiles(from, to)
	if len(changed) == 0 {
		return nil
	}
	vars := dotEnvChanges(from, to, changed)
	var out []int
	for j, o := range outs {
		if outcomeStale(o, changed, vars) {
			out = append(out, j)
		}
	}
	return out
}

// outcomeStale reports whether o may read a changed file: one of its
// compose, env or secret files; a .gitignore above or below its folder
// (what git ignores is what rules see); a file in a folder a fix of its
// creates a file in (the fix picks the next free name); its .env, when a
// variable its files name changed, or a fix of its writes there.
func outcomeStale(o lint.Outcome, changed map[string]bool, vars map[string][]string) bool {
	p := o.Project
	if p == nil {
		return true // what a project that did not load reads is not known
	}
	var sources [][]byte
	for _, f := range p.AllFiles() {
		if changed[f.Abs] {
			return true
		}
		sources = append(sources, f.Content)
	}
	for abs, ef := range p.EnvFiles {
		if changed[abs] {
			return true
		}
		sources = append(sources, ef.Content)
	}
	for _, abs := range p.FileRefs {
		if changed[abs] {
			return true
		}
	}
	dot := filepath.Join(p.Dir, ".env")
	for abs := range changed {
		switch {
		case filepath.Base(abs) == ".gitignore":
			dir := filepath.Dir(abs)
			if within(p.Dir, dir) || within(dir, p.Dir) {
				return true
			}
		case abs == dot:
			if vs, ok := vars[abs]; !ok || names(sources, vs) || servicesName(p, vs) {
				return true
			}
		}
		for _, f := range o.Findings {
			if f.Fix != nil && writesBeside(f.Fix.Writes, abs) {
				return true
			}
		}
	}
	return false
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// writesBeside reports whether ws writes abs, or creates a file in its
// folder.
func writesBeside(ws []lint.FileWrite, abs string) bool {
	for _, w := range ws {
		if w.Path == abs || w.Kind == lint.CreateSecret && filepath.Dir(w.Path) == filepath.Dir(abs) {
			return true
		}
	}
	return false
}

// names reports whether one of sources names one of vars whole (an
// interpolation, or an environment entry without a value), or a vars is a
// COMPOSE_* setting.
func names(sources [][]byte, vars []string) bool {
	for _, v := range vars {
		if strings.HasPrefix(v, "COMPOSE_") {
			return true
		}
		for _, src := range sources {
			if containsName(src, v) {
				return true
			}
		}
	}
	return false
}

// servicesName reports whether one of vars is a name the secret fixes of
// a service of p may give a variable (SERVICE_VAR, rules' envVar): a fix
// that found it taken may now find it free.
func servicesName(p *project.Project, vars []string) bool {
	if p.Model == nil {
		return true
	}
	for name := range p.Model.Services {
		prefix := strings.ToUpper(envName(name)) + "_"
		for _, v := range vars {
			if strings.HasPrefix(v, prefix) {
				return true
			}
		}
	}
	return false
}

// envName is a service name as a variable name part: what is not a
// letter or digit becomes an underscore (rules' sanitizeEnv).
func envName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

// dotEnvChanges are, per changed .env, the variables whose value changed;
// a .env that does not parse, before or after, or that appears or goes
// away, has no entry (every project beside it is stale).
func dotEnvChanges(from, to map[string][]byte, changed map[string]bool) map[string][]string {
	out := map[string][]string{}
	parse := func(b []byte) (map[string]string, error) {
		return dotenv.ParseWithLookup(bytes.NewReader(b), func(string) (string, bool) { return "", false })
	}
	for abs := range changed {
		if filepath.Base(abs) != ".env" {
			continue
		}
		if exists(abs, from) != exists(abs, to) {
			continue
		}
		old, err1 := parse(currentContent(abs, from))
		now, err2 := parse(currentContent(abs, to))
		if err1 != nil || err2 != nil {
			continue
		}
		var vs []string
		for k, v := range now {
			if o, ok := old[k]; !ok || o != v {
				vs = append(vs, k)
			}
		}
		for k := range old {
			if _, ok := now[k]; !ok {
				vs = append(vs, k)
			}
		}
		out[abs] = vs
	}
	return out
}

// exists reports whether abs is in overlay or on the disk.
func exists(abs string, overlay map[string][]byte) bool {
	if _, ok := overlay[abs]; ok {
		return true
	}
	_, err := os.Lstat(abs)
	return err == nil
}
