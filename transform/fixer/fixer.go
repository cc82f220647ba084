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

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// DefaultPasses caps the fix-and-relint loop: a fix that makes another
// possible (two volumes declared at one spot) lands in the next pass.
const DefaultPasses = 4

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
	for res.Passes < passes {
		res.Passes++
		cfg.Load.Overlay = overlay
		outs := rules.LintSpecs(ctx, specs, cfg)
		byFile, files := collect(outs, opts, refused, res)
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
			f, root := files[abs].file, files[abs].root
			cur := f.Content
			next, err := transform.Apply(cur, merged)
			if err != nil {
				refused[abs] = true
				res.Refused = append(res.Refused, Refusal{File: f.Path, Reason: "the fixes do not apply: " + err.Error()})
				continue
			}
			if err := verify(ctx, specs, outs, abs, overlay, next, cfg); err != nil {
				refused[abs] = true
				res.Refused = append(res.Refused, Refusal{File: f.Path, Reason: "the fixed file would not load: " + err.Error()})
				continue
			}
			if _, ok := changes[abs]; !ok {
				changes[abs] = &Change{Path: f.Path, Abs: abs, Root: root, Original: cur}
			}
			changes[abs].Fixed = next
			overlay[abs] = next
			changed = true
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
	}
	for _, abs := range sortedKeys(changes) {
		res.Changes = append(res.Changes, changes[abs])
	}
	return res
}

// source is a file as the last pass read it and its project directory.
type source struct {
	file *project.File
	root string
}

// collect gathers the eligible fixes of a pass per compose file. A file's
// fixes come once even when several projects include it.
func collect(outs []rules.Outcome, opts Options, refused map[string]bool, res *Result) (map[string][]group, map[string]source) {
	byFile := map[string][]group{}
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
			fix := f.Fix
			if fix == nil || len(fix.Edits) == 0 || !eligible(fix, opts) {
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
	return byFile, files
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
// that exists with other content is never overwritten.
func blocked(ws []rules.FileWrite) string {
	for _, w := range ws {
		if w.Kind != rules.CreateSecret {
			continue
		}
		old, err := os.ReadFile(w.Path)
		if err == nil && !bytes.Equal(old, []byte(w.Content)) {
			return fmt.Sprintf("%s already exists with other content; it is never overwritten", w.Path)
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
