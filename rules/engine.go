package rules

import (
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// InternalError is a rule that panicked: a bug in composure, exit code 3.
type InternalError struct {
	Rule  string
	Value any
	Stack []byte
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in rule %s: %v", e.Rule, e.Value)
}

// RunOptions are the settings every rule of a run shares.
type RunOptions struct {
	// RuleOptions are each rule's validated options, by rule id.
	RuleOptions map[string]map[string]any
	// SecretsDir is where secret fixes put secret files, relative to the
	// project directory (default "secrets").
	SecretsDir string
	// External makes volume fixes declare external: true volumes with
	// fixed names (fix --external).
	External bool
}

func (o RunOptions) secretsDir() string {
	if o.SecretsDir == "" {
		return "secrets"
	}
	return o.SecretsDir
}

// Run checks one project with the given rules and returns its findings,
// sorted by file, line, column and rule. Findings at the same place from
// the same rule (a shared anchor or extends base used by several services)
// are reported once: it is one problem to fix, in one place.
func Run(p *project.Project, k *knowledge.Knowledge, rs []*Rule, opts RunOptions) ([]Finding, error) {
	out, err := runAll(p, k, rs, opts)
	if err != nil {
		return nil, err
	}
	return Unique(out, samePlace), nil
}

// runAll is Run without merging findings at the same place: suppression
// must see each service's finding, since a config ignore scoped to one
// service that shares an anchor must not silence the others.
func runAll(p *project.Project, k *knowledge.Knowledge, rs []*Rule, opts RunOptions) (out []Finding, err error) {
	sh := newShared(p, k)
	for _, r := range rs {
		pass := &Pass{Project: p, Knowledge: k, Options: ruleOptions(opts.RuleOptions[r.ID]), SecretsDir: opts.secretsDir(), External: opts.External, rule: r, shared: sh}
		if err := runOne(r, pass); err != nil {
			return nil, err
		}
		out = append(out, pass.findings...)
	}
	Sort(out)
	return out, nil
}

func runOne(r *Rule, pass *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &InternalError{Rule: r.ID, Value: v, Stack: debug.Stack()}
		}
	}()
	r.Check(pass)
	return nil
}

// Sort orders findings by file, line, column, then rule and message, so
// output is the same on every run.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return findingLess(fs[i], fs[j]) })
}

func findingLess(a, b Finding) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Column != b.Pos.Column {
		return a.Pos.Column < b.Pos.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

// uniqueSuppressed keeps one suppressed finding per rule and place, as
// Unique does for reported ones; ss must be sorted by finding.
func uniqueSuppressed(ss []Suppressed) []Suppressed {
	out := ss[:0]
	for i, s := range ss {
		if i > 0 && sameProblem(out[len(out)-1].Finding, s.Finding) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Unique drops each finding that same reports as a repeat of the one
// kept before it; fs must be sorted (Sort).
func Unique(fs []Finding, same func(a, b Finding) bool) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && same(out[len(out)-1], f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// samePlace: one rule at one position is one problem to fix.
func samePlace(a, b Finding) bool { return a.Rule == b.Rule && a.Pos == b.Pos }

// sameProblem is samePlace for checked findings; the suppression
// comments' own findings are each a different problem with one comment
// (an unknown rule id, and an ignore that silenced nothing).
func sameProblem(a, b Finding) bool {
	return samePlace(a, b) && a.Rule != UnusedIgnore.ID && a.Rule != IgnoreWithoutReason.ID
}

// ruleOptions keeps Pass.Options nil (not a typed nil map) when a rule
// has none.
func ruleOptions(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}
