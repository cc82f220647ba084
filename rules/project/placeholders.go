package project

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"
)

// PlaceholderPrefix starts the value given to unset variables when a
// project only loads with them set.
const PlaceholderPrefix = "unset-"

// PlaceholderPortBase is the first port number given to unset variables
// in a `ports` entry, which must be numeric: the Nth unset variable of the
// project (in name order) is PlaceholderPortBase+N, in the dynamic range.
const PlaceholderPortBase = 49152

// loadWithPlaceholders loads with unset variables read as placeholders.
// The only consistency error it forgives is a placeholder volume name
// that is declared nowhere (${DATA}:/data becomes unset-data:/data); a
// service with no image at all is still an error.
//
// A `ports` value (a short-syntax entry, or a long-syntax published or
// target) needs numbers: an unset variable there is read as a port number
// (see portPlaceholder), and one that has a default there takes it.
func (p *projectLoader) loadWithPlaceholders(ctx context.Context, dir string, env map[string]string, profiles []string) (*types.Project, error) {
	p.portTemplates = p.collectPortTemplates()
	m, err := p.loadModel(ctx, dir, env, profiles, true, false)
	if err != nil && strings.Contains(err.Error(), "refers to undefined volume "+PlaceholderPrefix) {
		// compose-go stops at the first problem, in map order: the others
		// are looked for here, in name order, so that a service with no
		// image fails the load on every run.
		if m, err = p.loadModel(ctx, dir, env, profiles, true, true); err == nil {
			if err := firstInconsistency(m, true); err != nil {
				return nil, err
			}
		}
	}
	return m, err
}

// lenientSubstitute interpolates like docker compose but turns a missing
// `${VAR:?err}` into a note: the variable is set where the stack is
// deployed, and the rest of the file can still be linted.
func (p *projectLoader) lenientSubstitute(s string, m template.Mapping) (string, error) {
	lookup := func(name string) (string, bool) {
		v, ok := m(name)
		if !ok {
			p.addUnset(name)
		}
		return v, ok
	}
	out, err := template.Substitute(s, lookup)
	var missing *template.MissingRequiredError
	if errors.As(err, &missing) {
		p.addNote(Note{File: p.Files[0].Path, Msg: fmt.Sprintf("required variable %s is not set; linted as empty", missing.Variable), Unchecked: true})
		return out, nil
	}
	return out, err
}

// placeholderSubstitute interpolates with every unset variable read as
// unset-<name>, or in a ports value as a port number.
func (p *projectLoader) placeholderSubstitute(s string, m template.Mapping) (string, error) {
	defaults, port := p.portTemplates[s]
	return template.Substitute(s, func(name string) (string, bool) {
		if v, ok := m(name); ok {
			return v, true
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if !port {
			if p.heldStr == nil {
				p.heldStr = map[string]bool{}
			}
			p.heldStr[name] = true
			return PlaceholderPrefix + strings.ToLower(name), true
		}
		if defaults[name] {
			return "", false
		}
		n := p.portPlaceholder(name)
		if p.heldPort == nil {
			p.heldPort = map[string]int{}
		}
		p.heldPort[name] = n
		return strconv.Itoa(n), true
	})
}

// portPlaceholder is the port number an unset variable is read as: by its
// place among the unset variables, so that two variables get different
// ports and the same project the same ones on every run.
func (p *projectLoader) portPlaceholder(name string) int {
	if i := slices.Index(p.unset, name); i >= 0 && i < 65536-PlaceholderPortBase {
		return PlaceholderPortBase + i
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return PlaceholderPortBase + int(h.Sum32()%(65536-PlaceholderPortBase))
}

// portValues calls fn with every scalar of the files' `ports` that a port
// is parsed from: the short-syntax entries and the long syntax's
// published and target.
func (p *projectLoader) portValues(fn func(f *File, n *yaml.Node, short bool)) {
	for _, f := range p.AllFiles() {
		for _, d := range f.Docs {
			if len(d.Content) == 0 {
				continue
			}
			services := resolve(mapValue(resolve(d.Content[0]), "services"))
			if services == nil || services.Kind != yaml.MappingNode {
				continue
			}
			for i := 1; i < len(services.Content); i += 2 {
				ports := resolve(mapValue(resolve(services.Content[i]), "ports"))
				if ports == nil || ports.Kind != yaml.SequenceNode {
					continue
				}
				for _, item := range ports.Content {
					switch item = resolve(item); item.Kind {
					case yaml.ScalarNode:
						fn(f, item, true)
					case yaml.MappingNode:
						for _, key := range []string{"published", "target"} {
							if v := resolve(mapValue(item, key)); v != nil && v.Kind == yaml.ScalarNode {
								fn(f, v, false)
							}
						}
					}
				}
			}
		}
	}
}

// collectPortTemplates lists the ports values that interpolate, each with
// the variables it gives a non-empty default.
func (p *projectLoader) collectPortTemplates() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	p.portValues(func(_ *File, n *yaml.Node, _ bool) {
		if !strings.Contains(n.Value, "$") {
			return
		}
		if _, ok := out[n.Value]; ok {
			return
		}
		defaults := map[string]bool{}
		for name, v := range template.ExtractVariables(map[string]any{"v": n.Value}, nil) {
			if v.DefaultValue != "" {
				defaults[name] = true
			}
		}
		out[n.Value] = defaults
	})
	return out
}

// portErrorRe matches the errors of parsing a short-syntax port, in either
// case: docker/go-connections 0.7 lower-cased them ("invalid hostPort").
var portErrorRe = regexp.MustCompile(`(?i)^(?:no port specified|Invalid (?:ip address|containerPort|hostPort|proto|ranges? specified)|Empty string specified for ports)`)

// findPortError locates the first short-syntax port entry, in file order,
// that gives msg once interpolated as the load did.
func (p *projectLoader) findPortError(msg string) Loc {
	var found Loc
	p.portValues(func(f *File, n *yaml.Node, short bool) {
		if found.Node != nil || !short {
			return
		}
		spec, err := template.Substitute(n.Value, func(name string) (string, bool) {
			v, ok := p.env[name]
			return v, ok
		})
		var missing *template.MissingRequiredError
		if err != nil && !errors.As(err, &missing) {
			return
		}
		if _, err := types.ParsePortConfig(spec); err != nil && hideValues(err.Error()) == msg {
			found = Loc{File: f, Node: n}
		}
	})
	return found
}

func (p *projectLoader) addUnset(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.unset {
		if n == name {
			return
		}
	}
	p.unset = append(p.unset, name)
	sort.Strings(p.unset) // interpolation order is map order
}

// placeholderCasts wraps each type cast so that a value that is only a
// placeholder (an unset variable in `read_only: ${RO}`, `cpus: ${CPUS}`)
// takes the type's zero value instead of failing the cast: the field's
// real value is set where the stack is deployed, and the rest of the
// project can be linted.
func placeholderCasts(all map[tree.Path]interpolation.Cast) map[tree.Path]interpolation.Cast {
	out := make(map[tree.Path]interpolation.Cast, len(all))
	for path, cast := range all {
		out[path] = func(v string) (any, error) {
			if !strings.HasPrefix(v, PlaceholderPrefix) || strings.ContainsAny(v, " :/") {
				return cast(v)
			}
			for _, zero := range []string{"0", "false"} {
				if r, err := cast(zero); err == nil {
					return r, nil
				}
			}
			return cast(v)
		}
	}
	return out
}
