package lint

import (
	"slices"

	"github.com/composure-dev/composure/rules/project"
)

// Post-processing is one ordered list of small steps, like
// golangci-lint's processors. The order matters, and is why each step
// sits where it does:
//
//  1. inline directives: the most specific decision, and they must see
//     every finding to know whether they are used;
//  2. meta findings: the directives' own problems (no reason, unknown
//     rule, suppresses nothing), for the meta rules that are enabled,
//     added before the config's ignores and severities so that those
//     apply to them as to any finding;
//  3. config ignores, matched on rule, path and service;
//  4. severities from the config and the command line; "off" drops;
//  5. merge within the project: one rule at one place is one problem to
//     fix (an anchor or extends base several services share), merged only
//     now, after each service's finding met the suppressions, since an
//     ignore scoped to one service must not silence the others;
//
// and, over every project's result (Combine):
//
//  6. merge across projects: a file several projects read (a shared .env,
//     a base under two overlays) reports each problem once, with the
//     services of every project;
//  7. sort by file, line, column, rule and message.
//
// The fixture tests run through the same steps (Process and Combine).

// Processed is one project's findings after steps 1 to 5.
type Processed struct {
	Findings []Finding
	// Suppressed are the findings comments or the config silenced.
	Suppressed []Suppressed
}

// Process runs steps 1 to 5 on one project's findings.
func Process(p *project.Project, fs []Finding, cfg *Config) Processed {
	kept, suppressed, meta := applyDirectives(p, fs, cfg.known)
	kept = append(kept, enabledMeta(meta, cfg.Rules)...)
	kept, byConfig := applyIgnores(kept, cfg.Ignores, cfg.BaseDir)
	suppressed = append(suppressed, byConfig...)
	kept = applySeverities(kept, cfg.Severity)
	Sort(kept)
	suppressed = sortedSuppressed(suppressed)
	return Processed{Findings: Unique(kept, sameProblem), Suppressed: uniqueSuppressed(suppressed)}
}

// Combine runs steps 6 and 7 over the findings of several projects.
func Combine(fs []Finding) []Finding {
	Sort(fs)
	return mergeAcrossProjects(fs)
}

// enabledMeta keeps the meta findings of the meta rules the run enables.
func enabledMeta(meta []Finding, enabled []*Rule) []Finding {
	var out []Finding
	for _, m := range meta {
		if slices.ContainsFunc(enabled, func(r *Rule) bool { return r.ID == m.Rule }) {
			out = append(out, m)
		}
	}
	return out
}

// applySeverities sets the configured severity of each finding's rule
// and drops the findings turned off.
func applySeverities(fs []Finding, sev map[string]Severity) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if s, ok := sev[f.Rule]; ok {
			f.Severity = s
		}
		if f.Severity != Off {
			out = append(out, f)
		}
	}
	return out
}

// mergeAcrossProjects keeps one finding per rule and place; fs must be
// sorted. The kept one gains the services of the ones merged into it and
// names them all when its message has a services slot. The directives'
// own findings merge only when they say the same thing: one comment can
// have several different problems.
func mergeAcrossProjects(fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 && sameAcrossProjects(out[n-1], f) {
			out[n-1] = withServicesOf(out[n-1], f)
			continue
		}
		out = append(out, f)
	}
	return out
}

func sameAcrossProjects(a, b Finding) bool {
	if a.Rule != b.Rule || a.Pos.File != b.Pos.File || a.Pos.Line != b.Pos.Line || a.Pos.Column != b.Pos.Column {
		return false
	}
	return !isMeta(a.Rule) || a.Message == b.Message
}
