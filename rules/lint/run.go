package lint

import (
	"cmp"
	"fmt"
	"runtime/debug"
	"slices"

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
	RuleOptions map[string]Options
	// SecretsDir is where secret fixes put secret files, relative to the
	// project directory (default "secrets").
	SecretsDir string
	// External makes volume fixes declare external: true volumes with
	// fixed names (fix --external).
	External bool
	// VerifyFixes makes the rules' fix helpers check every edit they
	// compute by re-parsing the result: the fixer sets it; lint, which
	// only reports fixes, does not pay for it.
	VerifyFixes bool
}

func (o RunOptions) secretsDir() string {
	if o.SecretsDir == "" {
		return "secrets"
	}
	return o.SecretsDir
}

// Check runs the checks of rs on one project and returns every finding
// each rule reported, sorted, before any post-processing. The rules run
// in checkOrder whatever the order of rs, so what they share (a name a fix
// allocates first) never depends on how the catalogue is listed.
func Check(p *project.Project, k *knowledge.Knowledge, rs []*Rule, opts RunOptions) ([]Finding, error) {
	ordered := slices.SortedFunc(slices.Values(rs), checkOrder)
	var shared *facts
	var out []Finding
	for _, r := range ordered {
		pass := NewPass(r, p, k, opts)
		if shared != nil {
			pass.facts = shared
		}
		shared = pass.facts
		if err := checkOne(r, pass); err != nil {
			return nil, err
		}
		out = append(out, pass.findings...)
	}
	dropLegacyFixes(p, out)
	Sort(out)
	return out, nil
}

func checkOne(r *Rule, pass *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &InternalError{Rule: r.ID, Value: v, Stack: debug.Stack()}
		}
	}()
	r.Check(pass)
	return nil
}

// checkOrder runs the rules of higher default severity first, then by
// id: when two fixes want one name (a data volume and an anonymous
// volume of one service), the more important problem's fix gets it
// unsuffixed.
func checkOrder(a, b *Rule) int {
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
