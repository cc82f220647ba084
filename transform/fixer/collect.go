package fixer

import (
	"bytes"
	"fmt"
	"os"
	"slices"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
	"github.com/composure-dev/composure/transform/write"
)

// source is a file as the last pass read it and its project directory.
type source struct {
	file *project.File
	root string
}

// collect gathers the eligible fixes of a pass per compose file. A file's
// fixes come once even when several projects include it.
// waiting gets the files whose fixes wait for a secret file name another
// takes this pass: their projects are linted again next pass.
func collect(outs []lint.Outcome, opts Options, refused map[string]bool, withheld func(lint.Finding) bool, res *Result, waiting map[string]bool, overlay map[string][]byte) (map[string][]group, map[string]source, []group) {
	byFile := map[string][]group{}
	var standalone []group
	files := map[string]source{}
	seen := map[string]bool{}
	// claimed: the secret files this pass's fixes create, with their
	// bytes. Two compose files of one folder may name one secret file for
	// two passwords; the second waits for the next run, which sees the
	// first written (its rule then picks the next free name), instead of
	// being refused when it is written.
	claimed := map[string]string{}
	for _, o := range outs {
		if o.Project == nil {
			continue
		}
		for _, pf := range o.Project.AllFiles() {
			if _, ok := files[pf.Abs]; !ok {
				files[pf.Abs] = source{file: pf, root: o.Project.Dir}
			}
		}
		for _, f := range o.Findings {
			for _, secret := range f.Redact {
				if !slices.Contains(res.Redact, secret) {
					res.Redact = append(res.Redact, secret)
				}
			}
			fix := f.Fix
			if fix == nil || !eligible(fix, opts) || withheld(f) {
				continue
			}
			if fix = res.withoutCoveredIgnores(fix); len(fix.Edits) == 0 && len(fix.Writes) == 0 {
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
				// Every pass finds it again: say it once.
				if r := (Refusal{File: f.Pos.File, Reason: reason}); !slices.Contains(res.Refused, r) {
					res.Refused = append(res.Refused, r)
				}
				continue
			}
			if claimsTaken(fix.Writes, claimed) {
				renamed := renamedClaim(fix, claimed, declaredSecrets(o.Project), overlay)
				if renamed == nil || claimsTaken(renamed.Writes, claimed) {
					waiting[abs] = true
					continue
				}
				fix = renamed
			}
			byFile[abs] = append(byFile[abs], group{finding: f, fix: fix})
		}
	}
	return byFile, files, standalone
}

// claimsTaken reports a secret file ws creates that claimed holds with
// other bytes; otherwise it claims ws's secret files.
func claimsTaken(ws []lint.FileWrite, claimed map[string]string) bool {
	for _, w := range ws {
		if old, ok := claimed[w.Path]; w.Kind == lint.CreateSecret && ok && old != w.Content {
			return true
		}
	}
	for _, w := range ws {
		if w.Kind == lint.CreateSecret {
			claimed[w.Path] = w.Content
		}
	}
	return false
}

func eligible(fix *lint.Fix, opts Options) bool {
	return fix.Applicability == lint.Safe || (opts.Unsafe && fix.Applicability == lint.Unsafe)
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
func blocked(ws []lint.FileWrite) string {
	for _, w := range ws {
		switch w.Kind {
		case lint.CreateSecret:
			old, err := write.ReadRegular(w.Path)
			if err == nil && !bytes.Equal(old, []byte(w.Content)) {
				return fmt.Sprintf("%s already exists with other content; it is never overwritten", w.Path)
			}
			if _, lerr := os.Lstat(w.Path); err != nil && lerr == nil {
				return fmt.Sprintf("%s exists and is not a regular file; it is never overwritten", w.Path)
			}
		case lint.DeleteLine:
			old, _ := write.ReadRegular(w.Path)
			if n := bytes.Count(old, []byte(w.Content)); n != 1 {
				return fmt.Sprintf("the line to move out of %s is there %d times, not once", w.Path, n)
			}
		}
	}
	return ""
}

// declaredSecrets are the secret names p declares.
func declaredSecrets(p *project.Project) map[string]bool {
	out := map[string]bool{}
	if p != nil && p.Model != nil {
		for name := range p.Model.Secrets {
			out[name] = true
		}
	}
	return out
}
