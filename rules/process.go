package rules

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/composure-dev/composure/rules/project"
)

// Suppressed is a finding that a comment or the config silenced. It is
// not reported, but SARIF keeps it with the reason as justification.
type Suppressed struct {
	Finding Finding
	// Kind is SARIF's: "inSource" for comments, "external" for config.
	Kind          string
	Justification string
}

// Ignore is one `ignore:` entry of the config file. Empty fields match
// everything; Reason is required by the config loader.
type Ignore struct {
	Rule    string
	Path    string // glob on the file path relative to BaseDir; ** crosses folders
	Service string
	Reason  string
	re      *regexp.Regexp
}

// NewIgnore validates an ignore entry's glob.
func NewIgnore(rule, path, service, reason string) (Ignore, error) {
	ig := Ignore{Rule: rule, Path: path, Service: service, Reason: reason}
	if path != "" {
		re, err := regexp.Compile("^" + globToRegexp(filepath.ToSlash(path)) + "$")
		if err != nil {
			return ig, err
		}
		ig.re = re
	}
	return ig, nil
}

// globToRegexp turns a path glob into a regexp: ** matches across
// folders, * and ? within one.
func globToRegexp(g string) string {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		switch c := g[i]; {
		case c == '*' && i+1 < len(g) && g[i+1] == '*':
			b.WriteString(".*")
			i++
			if i+1 < len(g) && g[i+1] == '/' {
				i++
				b.WriteString("/?")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

func (ig Ignore) matches(f Finding, base string) bool {
	if ig.Rule != "" && ig.Rule != f.Rule || ig.Service != "" && ig.Service != f.Service {
		return false
	}
	if ig.re == nil {
		return true
	}
	p := f.Pos.File
	if abs, err := filepath.Abs(p); err == nil && base != "" {
		if rel, err := filepath.Rel(base, abs); err == nil {
			p = rel
		}
	}
	return ig.re.MatchString(filepath.ToSlash(p))
}

// process is the post-processing after the checks, in this order:
//  1. inline comments: they are the most specific decision, and they must
//     see every finding to know whether they are used;
//  2. config ignores, matched on rule, path and service;
//  3. severities from the config and the command line; "off" drops.
//
// Sorting and de-duplication across projects happen when results are
// collected.
func process(p *project.Project, fs []Finding, cfg Config) (kept []Finding, suppressed []Suppressed) {
	enabled := map[string]bool{}
	for _, r := range cfg.Rules {
		enabled[r.ID] = true
	}
	kept, suppressed, meta := applyDirectives(p, fs, func(id string) bool { return ByID(id) != nil })
	for _, m := range meta {
		if enabled[m.Rule] {
			kept = append(kept, m)
		}
	}
	if len(cfg.Ignores) > 0 {
		var rest []Finding
		for _, f := range kept {
			var by *Ignore
			for i := range cfg.Ignores {
				if cfg.Ignores[i].matches(f, cfg.BaseDir) {
					by = &cfg.Ignores[i]
					break
				}
			}
			if by == nil {
				rest = append(rest, f)
				continue
			}
			suppressed = append(suppressed, Suppressed{Finding: f, Kind: "external", Justification: by.Reason})
		}
		kept = rest
	}
	out := kept[:0]
	for _, f := range kept {
		if sev, ok := cfg.Severity[f.Rule]; ok {
			f.Severity = sev
		}
		if f.Severity != Off {
			out = append(out, f)
		}
	}
	return out, suppressed
}
