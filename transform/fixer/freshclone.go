package fixer

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// FreshClone is what a fresh clone of the repository, or a CI job that
// runs the compose files, needs in one project directory after the fixes:
// the secrets they moved out of git are in gitignored files that only
// this checkout has.
type FreshClone struct {
	Dir string // the project directory (absolute)
	// EnvFile is the gitignored .env the fixes put Vars in (absolute; ""
	// when none).
	EnvFile string
	Vars    []string
	// Files are the secret files the fixes create (absolute).
	Files []string
	// Template is the committed template that lists them (absolute; ""
	// when none was written).
	Template string
}

// FreshClones collects, per project directory, what a fresh clone needs
// from the writes of the changes that are (or would be) written: a change
// refused is left out, nothing of it reaches the disk.
func (r *Result) FreshClones() []FreshClone {
	byDir := map[string]*FreshClone{}
	at := func(w lint.FileWrite) *FreshClone {
		fc, ok := byDir[w.Root]
		if !ok {
			fc = &FreshClone{Dir: w.Root}
			byDir[w.Root] = fc
		}
		return fc
	}
	add := func(w lint.FileWrite) {
		switch {
		case w.Kind == lint.CreateSecret:
			if fc := at(w); !slices.Contains(fc.Files, w.Path) {
				fc.Files = append(fc.Files, w.Path)
			}
		case w.Kind == lint.EnsureLine && w.Secret && filepath.Base(w.Path) == ".env":
			fc := at(w)
			name, _, _ := strings.Cut(w.Content, "=")
			if fc.EnvFile = w.Path; !slices.Contains(fc.Vars, name) {
				fc.Vars = append(fc.Vars, name)
			}
		case w.Kind == lint.EnsureLine && !w.Secret && isTemplate(w.Path):
			at(w).Template = w.Path
		}
	}
	for _, c := range r.Changes {
		if slices.ContainsFunc(r.Refused, func(x Refusal) bool { return x.File == c.Path }) {
			continue
		}
		for _, w := range c.Writes {
			add(w)
		}
	}
	for _, w := range r.Standalone {
		add(w)
	}
	var out []FreshClone
	for _, fc := range byDir {
		if len(fc.Vars) == 0 && len(fc.Files) == 0 {
			continue
		}
		slices.Sort(fc.Vars)
		slices.Sort(fc.Files)
		out = append(out, *fc)
	}
	slices.SortFunc(out, func(a, b FreshClone) int { return cmp.Compare(a.Dir, b.Dir) })
	return out
}

// isTemplate: a committed .env template the secret fixes extend
// (rules/fresh_clone.go).
func isTemplate(path string) bool {
	switch filepath.Base(path) {
	case ".env.example", ".env.sample", ".env.dist":
		return true
	}
	return false
}
