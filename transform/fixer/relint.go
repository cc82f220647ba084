package fixer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/composure-dev/composure/rules/lint"
)

// Why this file exists: when a pass's verification takes changes back
// (a file that would not load, a fix withheld), the pass's lint no longer
// describes the files, and the next pass must start from outcomes that
// do. Linting every project of the pass again cost a fifth of `fix`, yet
// a withholding changes a few files: a project is linted again only when
// it read one of them, or may now get another fix because of one.

// relintEvery makes relint and Remaining lint every project again, as
// they did before outcomeStale: TestRelintSameAsEvery compares the two on
// the corpus.
var relintEvery = false

// staleAfter lists the indexes of outs (linted with the files of from)
// whose outcome may differ with the files of to. It errs on the side of
// linting again.
func staleAfter(outs []lint.Outcome, from, to map[string][]byte, disk *diskReads) []int {
	ch := changesFrom(from, to, disk)
	if len(ch.files) == 0 {
		return nil
	}
	var out []int
	for j, o := range outs {
		if outcomeStale(o, ch) {
			out = append(out, j)
		}
	}
	return out
}

// fileChanges are the files changed from one state of the files to
// another; names, per changed .env file (.env, or a template such as
// .env.example), the names whose line changed (dotEnvChanges), and came
// those that came or went.
type fileChanges struct {
	files map[string]bool
	names map[string][]string
	came  map[string]bool
	// split are the changed files with their folders and base names,
	// which outcomeStale tests every outcome against.
	split []splitPath
}

type splitPath struct{ abs, dir, base string }

func changesFrom(from, to map[string][]byte, disk *diskReads) *fileChanges {
	ch := &fileChanges{files: changedFiles(from, to, disk), came: map[string]bool{}}
	ch.names = dotEnvChanges(from, to, ch.files)
	for abs := range ch.files {
		if exists(abs, from) != exists(abs, to) {
			ch.came[abs] = true
		}
		ch.split = append(ch.split, splitPath{abs, filepath.Dir(abs), filepath.Base(abs)})
	}
	return ch
}

// outcomeStale reports whether o may read a changed file: one of its
// compose, env or secret files; a .gitignore above or below its folder
// (what git ignores is what rules see); its .env or a .env template
// (.env.example) beside it, when a name that matters to it changed there
// (dotEnvMatters), or another template came or went; a file a fix of its
// writes, or a file in a folder a fix of its creates a file in (the fix
// picks the next free name).
func outcomeStale(o lint.Outcome, ch *fileChanges) bool {
	changed := ch.files
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
	for _, sp := range ch.split {
		abs, base, dir := sp.abs, sp.base, sp.dir
		if base == ".gitignore" {
			// Rules read what git ignores only through git (a .gitignore
			// line not yet written counts where git would be asked):
			// outside a work tree, no .gitignore changes an outcome.
			if (within(p.Dir, dir) || within(dir, p.Dir)) && inWorkTree(p.Dir) {
				return true
			}
			continue
		}
		if dir == p.Dir && strings.HasPrefix(base, ".env") {
			// .env, or a template a fix lists variables in: by name; a
			// template that comes or goes may be the one a fix picks
			// instead of the one it writes to (rules' envTemplate).
			vs, ok := ch.names[abs]
			if !ok || dotEnvMatters(o, sources, vs) || base != ".env" && ch.came[abs] && writesTemplateBut(o, abs) {
				return true
			}
			continue
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
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writesBeside reports whether ws writes abs, or creates a secret file
// whose name abs may take: the fix picks the first free one of NAME,
// NAME-2, NAME-3... in its folder (rules' names.getFree).
func writesBeside(ws []lint.FileWrite, abs string) bool {
	for _, w := range ws {
		if w.Path == abs {
			return true
		}
		if w.Kind == lint.CreateSecret && filepath.Dir(w.Path) == filepath.Dir(abs) &&
			strings.HasPrefix(filepath.Base(abs), nameStem(filepath.Base(w.Path))) {
			return true
		}
	}
	return false
}

// nameStem is a picked name without the -N a taken name gets.
func nameStem(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 || strings.Trim(name[i+1:], "0123456789") != "" {
		return name
	}
	return name[:i]
}

// dotEnvMatters reports whether an outcome made from sources (its files'
// text) may change when the .env variables vars change: one of them is
// a COMPOSE_* setting, or the files may read it (readWords: not a key
// given a value of its own), or a fix of a finding may give a variable
// its name (findingNames).
func dotEnvMatters(o lint.Outcome, sources [][]byte, vars []string) bool {
	if len(vars) == 0 {
		return false
	}
	read := map[string]bool{}
	for _, src := range sources {
		readWords(src, read)
	}
	picks := findingNames(o)
	for _, v := range vars {
		if strings.HasPrefix(v, "COMPOSE_") || read[v] || picks[v] {
			return true
		}
	}
	return false
}

// findingNames are the .env names the fixes of o's findings may give a
// secret, found taken or free (rules' envVar): the entry's key, and the
// key prefixed with the service's name (SERVICE_KEY).
func findingNames(o lint.Outcome) map[string]bool {
	out := map[string]bool{}
	for _, f := range o.Findings {
		key := f.Path[strings.LastIndexByte(f.Path, '.')+1:]
		if key == "" {
			continue
		}
		out[key] = true
		for _, svc := range append([]string{f.Service}, f.Services...) {
			if svc != "" {
				out[strings.ToUpper(envName(svc))+"_"+key] = true
			}
		}
	}
	return out
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

// writesTemplateBut reports whether a fix of o writes to a .env template
// beside it other than abs.
func writesTemplateBut(o lint.Outcome, abs string) bool {
	for _, f := range o.Findings {
		if f.Fix == nil {
			continue
		}
		for _, w := range f.Fix.Writes {
			b := filepath.Base(w.Path)
			if w.Path != abs && filepath.Dir(w.Path) == filepath.Dir(abs) && b != ".env" && strings.HasPrefix(b, ".env") {
				return true
			}
		}
	}
	return false
}

// dotEnvChanges are, per changed .env file (.env, or a template such as
// .env.example), the names whose line changed: for .env, the variables
// whose value changed; for a template, the names it sets or no longer
// sets (a file that is not there sets none). A .env that does not parse,
// before or after, has no entry (every project beside it is stale).
func dotEnvChanges(from, to map[string][]byte, changed map[string]bool) map[string][]string {
	out := map[string][]string{}
	for abs := range changed {
		base := filepath.Base(abs)
		if !strings.HasPrefix(base, ".env") {
			continue
		}
		parse := templateNames
		if base == ".env" {
			parse = dotEnvValues
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

// dotEnvValues parses a .env as compose does, without a lookup.
func dotEnvValues(b []byte) (map[string]string, error) {
	return dotenv.ParseWithLookup(bytes.NewReader(b), func(string) (string, bool) { return "", false })
}

// templateNames are the names a .env template sets, as the fixes read it
// (rules' templateSets: NAME=..., export NAME=..., a bare NAME).
func templateNames(b []byte) (map[string]string, error) {
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimPrefix(string(b), "\ufeff"), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "export ")
		k, _, _ := strings.Cut(line, "=")
		out[strings.TrimSpace(k)] = ""
	}
	return out, nil
}

// exists reports whether abs is in overlay or on the disk.
func exists(abs string, overlay map[string][]byte) bool {
	if _, ok := overlay[abs]; ok {
		return true
	}
	_, err := os.Lstat(abs)
	return err == nil
}

// inWorkTree reports whether a .git is in dir or a folder above it, as
// git looks for one (project.AlreadyIgnored asks git only then too).
func inWorkTree(dir string) bool {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return false
		}
		dir = up
	}
}
