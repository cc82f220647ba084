package rules

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
)

// rawEntry is one KEY=value of a mapping-or-list section (environment,
// build.args) as written in the file, before interpolation: secret rules
// must see `${VAR}` and `$$`, which the merged model has already replaced.
type rawEntry struct {
	Key  string
	Raw  string
	Loc  project.Loc
	Path []string
	// Repeated: a KEY=value list sets the key more than once; Loc is the
	// last item, which compose uses, and no fix may move it (the other
	// would come back to life).
	Repeated bool
}

// rawEntries returns the entries of section (e.g. services.db.environment)
// for the keys the merged model has, in key order. Keys without a value
// (`- KEY`, `KEY:`) are skipped: they hold no literal.
func rawEntries(p *project.Project, keys map[string]*string, section ...string) []rawEntry {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []rawEntry
	for _, k := range names {
		path := append(append([]string{}, section...), k)
		loc := p.Locate(path...)
		if loc.Depth != len(path) || loc.Node == nil {
			continue
		}
		n := loc.Node
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			continue
		}
		raw := n.Value
		if loc.Key == nil { // list form KEY=value
			var ok bool
			if _, raw, ok = strings.Cut(raw, "="); !ok {
				continue
			}
		}
		out = append(out, rawEntry{Key: k, Raw: raw, Loc: loc, Path: path, Repeated: loc.Key == nil && p.Repeats(k, section...) > 1})
	}
	return out
}

// envEntry is one environment entry of a service and what the secret
// check makes of it.
type envEntry struct {
	rawEntry
	Verdict secrets.Verdict
}

// envEntries are the service's environment entries as written (rawEntries)
// with their secret verdicts, computed on first use: the secret rules of
// one project share one scan. Each rule still applies its own allow-names.
func (s *service) envEntries(p *project.Project) []envEntry {
	if !s.envDone {
		s.envDone = true
		h := hints(s)
		for _, e := range rawEntries(p, s.Config.Environment, "services", s.Name, "environment") {
			s.env = append(s.env, envEntry{rawEntry: e, Verdict: secrets.Check(e.Key, e.Raw, h)})
		}
	}
	return s.env
}

// hints turns the image knowledge into secret-detection hints.
func hints(s *service) secrets.Hints {
	if s.Image == nil {
		return secrets.Hints{}
	}
	return secrets.Hints{SecretNames: s.Image.SecretEnv, NotSecretNames: s.Image.NotSecret}
}
