package fixer

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Why this file exists: after fixing, the command reports what is left.
// Linting every project again costs as much as the first pass, yet the fix
// passes already hold an outcome for every project, made from the files as
// they are now for most of them. Remaining reuses an outcome when nothing
// that matters to it has changed since the pass it describes
// (outcomeStale, relint.go), and lints only the others.

// Overlay is every file the fixes change, with its new content: what a
// lint must see to report on the files as if the fixes were written.
func (r *Result) Overlay() map[string][]byte {
	return r.overlay
}

// Remaining returns the outcome of each of specs (the specs given to Run,
// in the same order) after the fixes: reused from the fix passes when
// still current, else linted with cfg. cfg.Load.Overlay must hold the
// files as the fixes leave them (Overlay); when they were written instead
// (written), every project is linted again.
func (r *Result) Remaining(ctx context.Context, specs []project.Spec, cfg lint.Config, written bool) []lint.Outcome {
	out := make([]lint.Outcome, len(specs))
	var stale []int
	r.Reused = 0
	since := map[int]*fileChanges{}
	for i := range specs {
		if i < len(r.latest) && r.fresh(i, since, written, len(cfg.Load.EnvFiles) > 0) {
			out[i] = r.latest[i]
			r.Reused++
			continue
		}
		stale = append(stale, i)
	}
	if len(stale) == 0 {
		return out
	}
	again := make([]project.Spec, len(stale))
	for k, i := range stale {
		again[k] = specs[i]
	}
	for k, o := range lint.Run(ctx, again, cfg) {
		out[stale[k]] = o
	}
	return out
}

// fresh reports whether latest[i] still describes the files as the fixes
// leave them: by what changed since the pass it is current with
// (outcomeStale) when it loaded, else as current says.
func (r *Result) fresh(i int, since map[int]*fileChanges, written, envFiles bool) bool {
	o := r.latest[i]
	if relintEvery {
		return false
	}
	if written || envFiles || o.Project == nil || i >= len(r.linted) || r.linted[i] >= len(r.snapshots) {
		return r.current(o, written, envFiles)
	}
	k := r.linted[i]
	ch, ok := since[k]
	if !ok {
		ch = changesFrom(r.snapshots[k], r.overlay, r.disk)
		since[k] = ch
	}
	return !outcomeStale(o, ch)
}

// current reports whether o was made from the files as the fixes leave
// them: its compose and env files unchanged, and no .env variable it reads
// changed. It errs on the side of linting again.
func (r *Result) current(o lint.Outcome, written, envFiles bool) bool {
	if o.Spec.Files == nil && o.Project == nil {
		return false // never linted
	}
	if len(r.overlay) == 0 {
		return true
	}
	if written {
		// Written files change more than the overlay shows: git sees the
		// new .gitignore lines, rules see the secret files created.
		return false
	}
	var sources [][]byte
	if p := o.Project; p != nil {
		for _, f := range p.AllFiles() {
			if !r.same(f.Abs, f.Content) {
				return false
			}
			sources = append(sources, f.Content)
		}
		for abs, ef := range p.EnvFiles {
			if ef.Content != nil && !r.same(abs, ef.Content) {
				return false
			}
			sources = append(sources, ef.Content)
		}
		// An env or label file the fixes create or change (a .env that
		// did not exist when the project was linted).
		for _, abs := range p.FileRefs {
			if _, changed := r.overlay[abs]; changed {
				return false
			}
		}
		for _, f := range o.Findings {
			if f.Fix != nil && writesTo(f.Fix.Writes, filepath.Join(p.Dir, ".env")) {
				if _, changed := r.overlay[filepath.Join(p.Dir, ".env")]; changed {
					return false
				}
			}
			// A secret file the fixes create beside the one a fix
			// proposes may take its name: the rule picks the next free one.
			if f.Fix != nil && r.createsBeside(f.Fix.Writes) {
				return false
			}
		}
		return r.envCurrent(filepath.Join(p.Dir, ".env"), p.DotEnv, nil, sources, envFiles)
	}
	// It did not load: its files are the spec's, unless it pulls in others.
	for _, name := range o.Spec.Files {
		abs, err := filepath.Abs(name)
		if err != nil {
			return false
		}
		content, err := os.ReadFile(abs)
		if err != nil || !r.same(abs, content) {
			return false
		}
		if (bytes.Contains(content, []byte("include")) || bytes.Contains(content, []byte("extends"))) && !r.pullsInNothingChanged(o, content) {
			return false
		}
		sources = append(sources, content)
	}
	dir, err := filepath.Abs(o.Spec.Dir)
	if err != nil {
		return false
	}
	return r.envCurrent(filepath.Join(dir, ".env"), nil, sources, sources, envFiles)
}

// pullsInNothingChanged reports whether o, a project that did not load
// with a file of content among its own, reads no file the fixes change
// or create through what content pulls in (include, extends), which its
// failed load did not list: the load failed in one of its own files (not
// in one it pulled in); its degraded model read files (PartlyRead: what
// it pulls in is known), all as they were; and in none of those texts is
// a name interpolated (an included file is interpolated with a .env too,
// its own folder's among them) or a file the fixes change or create named.
func (r *Result) pullsInNothingChanged(o lint.Outcome, content []byte) bool {
	var pe *project.Error
	if !errors.As(o.Err, &pe) || !slices.ContainsFunc(o.Spec.Files, func(f string) bool { return samePath(f, pe.File) }) {
		return false
	}
	if len(o.PartlyRead) == 0 {
		return false
	}
	texts := [][]byte{content}
	for _, f := range o.PartlyRead {
		if !r.same(f.Abs, f.Content) {
			return false
		}
		texts = append(texts, f.Content)
	}
	for _, text := range texts {
		if bytes.IndexByte(text, '$') >= 0 {
			return false
		}
		for abs := range r.overlay {
			if bytes.Contains(text, []byte(filepath.Base(abs))) {
				return false
			}
		}
	}
	return true
}

// samePath reports whether two paths name the same file, by their
// absolute forms.
func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// same reports whether content is what the fixes leave at abs.
func (r *Result) same(abs string, content []byte) bool {
	now, changed := r.overlay[abs]
	return !changed || bytes.Equal(now, content)
}

// envCurrent: a .env the fixes changed matters only through the variables
// that changed and that the sources name (interpolated, or passed through
// by an environment entry without a value), or COMPOSE_* settings, or as
// a file the project reads: the loaded projects' FileRefs say which, for
// the others any mention of ".env" in unknown counts. seen is the .env
// the outcome read (nil: none, or unknown). With --env-file the
// project's .env is not read, but the files given may be the ones that
// changed: any line change then counts.
func (r *Result) envCurrent(dot string, seen map[string]string, unknown, sources [][]byte, envFiles bool) bool {
	if envFiles {
		for path := range r.overlay {
			if !strings.HasSuffix(path, ".yml") && !strings.HasSuffix(path, ".yaml") {
				return false
			}
		}
		return true
	}
	now, changed := r.overlay[dot]
	if !changed {
		return true
	}
	for _, src := range unknown {
		if bytes.Contains(src, []byte(".env")) {
			return false // maybe read as an env_file too
		}
	}
	vars, ok := r.dotEnv(dot, now)
	if !ok {
		return false
	}
	ch := r.changedNames(dot, seen, vars)
	if ch.compose {
		return false
	}
	for _, src := range sources {
		// Not only $NAME: an environment entry with no value
		// (`- NAME`) takes it from .env too.
		if ch.in(src) {
			return false
		}
	}
	return true
}

// envChange is the set of .env variables whose value differs between what
// an outcome read and what the fixes leave.
type envChange struct {
	seen    map[string]string
	words   map[string]bool // names made of name bytes only
	others  []string        // names with other bytes (a.b): searched for
	compose bool            // a COMPOSE_* setting changed
}

// changedNames computes the changed set once per .env and per distinct
// .env an outcome read: the outcomes of one pass all read the same one.
func (r *Result) changedNames(dot string, seen, vars map[string]string) *envChange {
	for _, c := range r.changes[dot] {
		if maps.Equal(c.seen, seen) {
			return c
		}
	}
	c := &envChange{seen: seen, words: map[string]bool{}}
	add := func(name string) {
		if strings.HasPrefix(name, "COMPOSE_") {
			c.compose = true
		}
		if name != "" && strings.IndexFunc(name, func(r rune) bool { return r > 0x7f || !nameByte(byte(r)) }) < 0 {
			c.words[name] = true
		} else {
			c.others = append(c.others, name)
		}
	}
	for k, v := range vars {
		if old, ok := seen[k]; !ok || old != v {
			add(k)
		}
	}
	for k := range seen {
		if _, ok := vars[k]; !ok {
			add(k)
		}
	}
	if r.changes == nil {
		r.changes = map[string][]*envChange{}
	}
	r.changes[dot] = append(r.changes[dot], c)
	return c
}

// in reports whether src names one of the changed variables whole (see
// containsName): one pass over src's words, whatever the number of names.
func (c *envChange) in(src []byte) bool {
	for i, j := range nameRuns(src) {
		if c.words[string(src[i:j])] {
			return true
		}
	}
	for _, name := range c.others {
		if containsName(src, name) {
			return true
		}
	}
	return false
}

// dotEnv parses a .env as the fixes leave it, once per run: every
// project of a directory shares it.
func (r *Result) dotEnv(path string, content []byte) (map[string]string, bool) {
	if vars, ok := r.dotEnvs[path]; ok {
		return vars, vars != nil
	}
	vars, err := dotenv.ParseWithLookup(bytes.NewReader(content), func(string) (string, bool) { return "", false })
	if err != nil {
		vars = nil
	}
	if r.dotEnvs == nil {
		r.dotEnvs = map[string]map[string]string{}
	}
	r.dotEnvs[path] = vars
	return vars, vars != nil
}

// containsName reports whether name occurs in src as a whole name: not
// inside a longer one (PASS in MYSQL_PASSWORD). Every way a compose file
// reads a variable ($NAME, ${NAME:-x}, an environment entry NAME or NAME:)
// writes the name whole, so this errs only towards linting again.
func containsName(src []byte, name string) bool {
	if name == "" {
		return false
	}
	for off := 0; ; {
		i := bytes.Index(src[off:], []byte(name))
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(name)
		if (start == 0 || !nameByte(src[start-1])) && (end == len(src) || !nameByte(src[end])) {
			return true
		}
		off = start + 1
	}
}

// nameRuns yields the start and end of each maximal run of name bytes in
// s: the whole names containsName finds.
func nameRuns[S ~string | ~[]byte](s S) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; i < len(s); {
			if !nameByte(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && nameByte(s[j]) {
				j++
			}
			if !yield(i, j) {
				return
			}
			i = j
		}
	}
}

func nameByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

func writesTo(ws []lint.FileWrite, path string) bool {
	for _, w := range ws {
		if w.Path == path {
			return true
		}
	}
	return false
}

// createsBeside reports whether the overlay holds a file in the folder of
// a secret file ws would create.
func (r *Result) createsBeside(ws []lint.FileWrite) bool {
	for _, w := range ws {
		if w.Kind != lint.CreateSecret {
			continue
		}
		for abs := range r.overlay {
			if filepath.Dir(abs) == filepath.Dir(w.Path) {
				return true
			}
		}
	}
	return false
}
