// Package fixer applies the fixes findings carry: it merges them per file,
// applies them to the original bytes, re-loads every result with
// compose-go, and repeats until nothing is left to fix. It computes;
// Write puts the result on disk.
package fixer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// DefaultPasses caps the fix-and-relint loop. Fixes that append to one
// list insert at the same offset, so only one of them lands per pass; the
// next pass re-lints only the projects that changed, which is cheap.
const DefaultPasses = 32

// Options choose which fixes apply.
type Options struct {
	// Unsafe also applies fixes marked unsafe.
	Unsafe bool
	// MaxPasses caps the loop; 0 means DefaultPasses.
	MaxPasses int
}

// Change is one compose file's original and fixed bytes.
type Change struct {
	Path     string // as the user sees it
	Abs      string
	Root     string // the project directory
	Original []byte
	Fixed    []byte
	// Writes are the files the applied fixes of this file create or
	// append to; the compose file is written only when they all succeed.
	Writes []rules.FileWrite
	// Steps are the passes that changed the file: the bytes before and
	// the merged edits applied to them, so tests can replay them.
	Steps []Step
}

// Step is one pass over one file.
type Step struct {
	Before []byte
	Edits  []transform.Edit
	pass   int
}

// Refusal is a file left untouched, and why.
type Refusal struct {
	File   string
	Reason string
}

// Result is what fixing would do.
type Result struct {
	Changes []*Change
	Writes  []rules.FileWrite
	// Applied counts applied fixes per rule.
	Applied map[string]int
	// Left counts fixes that could not be applied in the last pass
	// (conflicts), to be picked up by another run.
	Left    int
	Notes   []string
	Refused []Refusal
	Passes  int
	// Redact are the secret texts of every finding the run saw, fixed or
	// not: whatever shows original lines (a diff's context) masks them.
	Redact []string
	// Standalone are the writes of fixes that edit no compose file (a
	// .gitignore line for a committed secret file).
	Standalone []rules.FileWrite
	// Lines are the final contents of the files fixes append lines to or
	// delete lines from (.env, .gitignore, env files), as Apply leaves them.
	Lines map[string][]byte
}

// Total is the number of fixes applied.
func (r *Result) Total() int {
	n := 0
	for _, v := range r.Applied {
		n += v
	}
	return n
}

// group is one fix of one finding.
type group struct {
	finding rules.Finding
	fix     *rules.Fix
}

// Run lints the projects, applies every eligible fix in memory, and loops
// until a pass changes nothing.
func Run(ctx context.Context, specs []project.Spec, cfg rules.Config, opts Options) *Result {
	passes := opts.MaxPasses
	if passes <= 0 {
		passes = DefaultPasses
	}
	res := &Result{Applied: map[string]int{}}
	changes := map[string]*Change{}
	overlay := map[string][]byte{}
	for k, v := range cfg.Load.Overlay { // a caller's starting point
		overlay[k] = v
	}
	refused := map[string]bool{}
	wrote := map[string]bool{}
	active := specs
	cfg.Load.VerifyEdits = true
	for res.Passes < passes && len(active) > 0 {
		res.Passes++
		cfg.Load.Overlay = overlay
		outs := rules.LintSpecs(ctx, active, cfg)
		byFile, files, standalone := collect(outs, opts, refused, res)
		for _, g := range standalone {
			if !linesChange(g.fix.Writes, overlay) {
				continue
			}
			addLines(g.fix.Writes, overlay)
			res.Applied[g.finding.Rule]++
			res.Notes = append(res.Notes, g.fix.Notes...)
			res.Standalone = append(res.Standalone, g.fix.Writes...)
			res.Writes = append(res.Writes, g.fix.Writes...)
		}
		if len(byFile) == 0 {
			break
		}
		changed := false
		res.Left = 0
		for _, abs := range sortedKeys(byFile) {
			gs := byFile[abs]
			edits := make([][]transform.Edit, len(gs))
			for i, g := range gs {
				edits[i] = g.fix.Edits
			}
			merged, applied, dropped := transform.Merge(edits)
			applied, later := acceptLines(gs, applied, overlay)
			dropped = append(dropped, later...)
			if len(applied) < len(gs) {
				keep := make([][]transform.Edit, 0, len(applied))
				for _, i := range applied {
					keep = append(keep, edits[i])
				}
				merged, _, _ = transform.Merge(keep)
			}
			f, root := files[abs].file, files[abs].root
			cur := f.Content
			next, err := transform.Apply(cur, merged)
			if err != nil {
				refused[abs] = true
				res.Refused = append(res.Refused, Refusal{File: f.Path, Reason: "the fixes do not apply: " + err.Error()})
				continue
			}
			if err := verify(ctx, active, outs, abs, overlay, next, cfg); err != nil {
				refused[abs] = true
				res.Refused = append(res.Refused, Refusal{File: f.Path, Reason: "the fixed file would not load: " + err.Error()})
				continue
			}
			if _, ok := changes[abs]; !ok {
				changes[abs] = &Change{Path: f.Path, Abs: abs, Root: root, Original: cur}
			}
			changes[abs].Fixed = next
			changes[abs].Steps = append(changes[abs].Steps, Step{Before: cur, Edits: merged, pass: res.Passes})
			overlay[abs] = next
			changed = true
			for _, i := range applied {
				addLines(gs[i].fix.Writes, overlay)
			}
			res.Left += len(dropped)
			for _, i := range applied {
				g := gs[i]
				res.Applied[g.finding.Rule]++
				res.Notes = append(res.Notes, g.fix.Notes...)
				for _, w := range g.fix.Writes {
					key := fmt.Sprint(w.Kind, w.Path, w.Content)
					changes[abs].Writes = append(changes[abs].Writes, w)
					if !wrote[key] {
						wrote[key] = true
						res.Writes = append(res.Writes, w)
					}
				}
			}
		}
		if !changed {
			break
		}
		active = touched(active, outs, overlay, changes, res.Passes)
	}
	for _, abs := range sortedKeys(changes) {
		res.Changes = append(res.Changes, changes[abs])
	}
	for _, w := range res.Writes {
		if w.Kind == rules.EnsureLine || w.Kind == rules.DeleteLine {
			if res.Lines == nil {
				res.Lines = map[string][]byte{}
			}
			res.Lines[w.Path] = overlay[w.Path]
		}
	}
	return res
}

// touched keeps the specs whose projects contain a file changed in this
// pass: no other project can have new fixes.
func touched(specs []project.Spec, outs []rules.Outcome, _ map[string][]byte, changes map[string]*Change, pass int) []project.Spec {
	var out []project.Spec
	for i, o := range outs {
		if o.Project == nil {
			continue
		}
		for abs, c := range changes {
			if len(c.Steps) > 0 && c.Steps[len(c.Steps)-1].pass == pass && contains(o.Project, abs) {
				out = append(out, specs[i])
				break
			}
		}
	}
	return out
}

// source is a file as the last pass read it and its project directory.
type source struct {
	file *project.File
	root string
}

// collect gathers the eligible fixes of a pass per compose file. A file's
// fixes come once even when several projects include it.
func collect(outs []rules.Outcome, opts Options, refused map[string]bool, res *Result) (map[string][]group, map[string]source, []group) {
	byFile := map[string][]group{}
	var standalone []group
	files := map[string]source{}
	seen := map[string]bool{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, pf := range append(append([]*project.File{}, o.Project.Files...), o.Project.Extra...) {
			if _, ok := files[pf.Abs]; !ok {
				files[pf.Abs] = source{file: pf, root: o.Project.Dir}
			}
		}
		for _, f := range o.Findings {
			res.Redact = append(res.Redact, f.Redact...)
			fix := f.Fix
			if fix == nil || !eligible(fix, opts) || len(fix.Edits) == 0 && len(fix.Writes) == 0 {
				continue
			}
			if len(fix.Edits) == 0 {
				key := fmt.Sprint(f.Rule, f.Pos, f.Path)
				if !seen[key] {
					seen[key] = true
					standalone = append(standalone, group{finding: f, fix: fix})
				}
				continue
			}
			abs := fix.Edits[0].File
			if refused[abs] || !sameFile(fix.Edits, abs) {
				continue
			}
			key := fmt.Sprint(f.Rule, f.Pos, f.Path)
			if seen[key] {
				continue
			}
			seen[key] = true
			if reason := blocked(fix.Writes); reason != "" {
				res.Refused = append(res.Refused, Refusal{File: f.Pos.File, Reason: reason})
				continue
			}
			byFile[abs] = append(byFile[abs], group{finding: f, fix: fix})
		}
	}
	return byFile, files, standalone
}

func eligible(fix *rules.Fix, opts Options) bool {
	return fix.Applicability == rules.Safe || (opts.Unsafe && fix.Applicability == rules.Unsafe)
}

func sameFile(edits []transform.Edit, abs string) bool {
	for _, e := range edits {
		if e.File != abs {
			return false
		}
	}
	return true
}

// blocked reports why a fix's file writes cannot happen: a secret file
// that exists with other content is never overwritten, and a line to
// delete must be in its file exactly once.
func blocked(ws []rules.FileWrite) string {
	for _, w := range ws {
		switch w.Kind {
		case rules.CreateSecret:
			old, err := os.ReadFile(w.Path)
			if err == nil && !bytes.Equal(old, []byte(w.Content)) {
				return fmt.Sprintf("%s already exists with other content; it is never overwritten", w.Path)
			}
		case rules.DeleteLine:
			old, _ := os.ReadFile(w.Path)
			if n := bytes.Count(old, []byte(w.Content)); n != 1 {
				return fmt.Sprintf("the line to move out of %s is there %d times, not once", w.Path, n)
			}
		}
	}
	return ""
}

// verify re-loads every project that contains abs with the new content.
func verify(ctx context.Context, specs []project.Spec, outs []rules.Outcome, abs string, overlay map[string][]byte, next []byte, cfg rules.Config) error {
	trial := make(map[string][]byte, len(overlay)+1)
	for k, v := range overlay {
		trial[k] = v
	}
	trial[abs] = next
	load := cfg.Load
	load.Overlay = trial
	for i, o := range outs {
		if o.Project == nil || !contains(o.Project, abs) {
			continue
		}
		if _, err := project.Load(ctx, specs[i], load); err != nil {
			return err
		}
	}
	return nil
}

func contains(p *project.Project, abs string) bool {
	for _, f := range append(append([]*project.File{}, p.Files...), p.Extra...) {
		if f.Abs == abs {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lines fixes append to or delete from files (.env, .gitignore, env
// files) go into the overlay so later passes see them; acceptLines
// refuses two fixes that would give one .env variable two values.

// acceptLines filters applied group indexes: a group whose .env line sets a
// variable that the overlay or an earlier group of this pass sets to
// another value waits for the next pass (it will pick another name).
func acceptLines(gs []group, applied []int, overlay map[string][]byte) (ok, later []int) {
	claimed := map[string]string{} // path + variable -> line
	for _, i := range applied {
		clash := false
		for _, w := range gs[i].fix.Writes {
			if w.Kind != rules.EnsureLine || !w.Secret {
				continue
			}
			name, _, _ := strings.Cut(w.Content, "=")
			key := w.Path + "\x00" + name
			if prev, ok := claimed[key]; ok && prev != w.Content {
				clash = true
			}
			if existing := envLine(currentContent(w.Path, overlay), name); existing != "" && existing != w.Content {
				clash = true
			}
		}
		if clash {
			later = append(later, i)
			continue
		}
		for _, w := range gs[i].fix.Writes {
			if w.Kind == rules.EnsureLine && w.Secret {
				name, _, _ := strings.Cut(w.Content, "=")
				claimed[w.Path+"\x00"+name] = w.Content
			}
		}
		ok = append(ok, i)
	}
	return ok, later
}

// linesChange reports whether writes would change anything given the
// overlay (a write-only fix already applied in an earlier pass does not).
func linesChange(ws []rules.FileWrite, overlay map[string][]byte) bool {
	for _, w := range ws {
		cur := currentContent(w.Path, overlay)
		switch w.Kind {
		case rules.EnsureLine:
			if !hasLine(cur, w.Content) {
				return true
			}
		case rules.DeleteLine:
			if bytes.Contains(cur, []byte(w.Content)) {
				return true
			}
		}
	}
	return false
}

// addLines puts appended and deleted lines into the overlay, so later passes
// (and the loader's view of .env, env files and .gitignore) see them.
func addLines(ws []rules.FileWrite, overlay map[string][]byte) {
	for _, w := range ws {
		if w.Kind == rules.DeleteLine {
			overlay[w.Path] = bytes.Replace(currentContent(w.Path, overlay), []byte(w.Content), nil, 1)
			continue
		}
		if w.Kind != rules.EnsureLine {
			continue
		}
		cur := currentContent(w.Path, overlay)
		if hasLine(cur, w.Content) {
			continue
		}
		next := append([]byte{}, cur...)
		if len(next) > 0 && next[len(next)-1] != '\n' {
			next = append(next, '\n')
		}
		overlay[w.Path] = append(next, w.Content+"\n"...)
	}
}

func currentContent(path string, overlay map[string][]byte) []byte {
	if b, ok := overlay[path]; ok {
		return b
	}
	b, _ := os.ReadFile(path)
	return b
}

func hasLine(content []byte, line string) bool {
	for _, l := range strings.Split(string(content), "\n") {
		if strings.TrimRight(l, "\r") == line {
			return true
		}
	}
	return false
}

// envLine returns the line of content that sets name, or "".
func envLine(content []byte, name string) string {
	for _, l := range strings.Split(string(content), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.HasPrefix(strings.TrimPrefix(l, "export "), name+"=") {
			return l
		}
	}
	return ""
}
