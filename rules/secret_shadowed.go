package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
)

// reportShadowedLiterals reports the literal secrets of a service's
// environment written in a compose file whose entry a later file replaces
// (compose.override.yaml sets the key to ${API_TOKEN}, or !override's the
// section): the merged model never holds them, but the file that holds
// them is committed all the same. live are the entries the service's
// model has, already reported where they are written; these get no fix,
// since the value compose uses is elsewhere.
func reportShadowedLiterals(p *lint.Pass, s *service, live []envEntry) {
	seen := map[*yaml.Node]bool{}
	for _, e := range live {
		seen[e.Loc.Node] = true
	}
	files := p.Project.Files
	if len(files) < 2 {
		return
	}
	h := hints(s)
	for _, f := range files {
		loc := p.Project.LocateIn(f, "services", s.Name, "environment")
		if loc.Node == nil || loc.Depth != 3 {
			continue
		}
		for _, it := range envItems(f, loc.Node) {
			if seen[it.Node] || allowedName(p, it.key) {
				continue
			}
			v := secrets.Check(it.key, it.raw, h)
			if v.Kind != secrets.Literal && v.Kind != secrets.DefaultLiteral {
				continue
			}
			msg := fmt.Sprintf("service %q sets %s to a literal secret (%q: %s) in %s, which a later compose file replaces; the committed file still gives it away: remove it from %s (and rotate it)",
				s.Name, it.key, secrets.Mask(v.Secret), v.Reason, filepath.Base(f.Path), filepath.Base(f.Path))
			p.Report(it.Loc, lint.Finding{Service: s.Name, Path: dotted([]string{"services", s.Name, "environment", it.key}), Message: msg, Redact: []string{v.Secret}})
		}
	}
}

// envItem is one KEY=value of an environment section as one file writes
// it.
type envItem struct {
	project.Loc
	key, raw string
}

// envItems lists the KEY=value entries of an environment mapping or list
// in f (entries without a value hold no literal).
func envItems(f *project.File, n *yaml.Node) []envItem {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var out []envItem
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			for v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				out = append(out, envItem{Loc: project.Loc{File: f, Key: k, Node: n.Content[i+1], Depth: 4}, key: k.Value, raw: v.Value})
			}
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it.Kind != yaml.ScalarNode {
				continue
			}
			if k, raw, ok := strings.Cut(it.Value, "="); ok {
				out = append(out, envItem{Loc: project.Loc{File: f, Node: it, Depth: 4}, key: k, raw: raw})
			}
		}
	}
	return out
}
