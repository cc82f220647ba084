package project

import (
	"context"
	"errors"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// Never blind (SPEC §4): a project compose-go refuses still has services
// that are well-formed on their own. degrade loads what can be read: it
// takes the files' YAML as plain data (compose tags dropped), cuts out the
// one thing each error names (a field that breaks the schema, a service
// that is not a mapping, an extends or include whose file is missing, a
// value that fails its type once variables are empty, a dependency
// cycle), and loads again without the consistency checks, until the load
// passes or nothing more can be cut. The error the user sees is always the
// first one; the model is Partial, so its findings carry no fix.
//
// Cutting never adds anything: each finding of the degraded model is one
// the full model would have too, at the same place in the files (the
// locator reads the files as written, not the cut copy).

// maxDegradeCuts bounds the loop: each pass re-loads the project.
const maxDegradeCuts = 8

func (l *projectLoader) degrade(ctx context.Context, dir string, env map[string]string, profiles []string, first error) *types.Project {
	raws, ok := l.plainData()
	if !ok {
		return nil
	}
	l.raw = raws
	defer func() { l.raw = nil }()
	if l.portTemplates == nil { // the placeholder load reads them
		l.portTemplates = l.collectPortTemplates()
	}
	if recurs(first) {
		// It would only come back: cut it before the first load, not
		// after one more load that fails the same way.
		l.cut(first.Error())
	}
	for range maxDegradeCuts {
		model, err := l.loadModel(ctx, dir, env, profiles, true, true)
		if err == nil {
			return model
		}
		if !l.cut(err.Error()) && !l.cutAtError(err) {
			return nil
		}
	}
	return nil
}

// plainData decodes each -f file's single document without its compose
// tags (!reset, !override): in a degraded load an approximate merge is
// better than none. A file of several documents is not cut.
func (l *projectLoader) plainData() (map[*File]map[string]any, bool) {
	out := map[*File]map[string]any{}
	for _, f := range l.Files {
		if len(f.Docs) != 1 {
			return nil, false
		}
		doc := f.Docs[0]
		if f.HasTags {
			doc = untagged(doc)
		}
		var raw map[string]any
		if err := doc.Decode(&raw); err != nil || raw == nil {
			return nil, false
		}
		out[f] = raw
	}
	return out, true
}

// untagged is a deep copy of n with compose's custom tags removed.
func untagged(n *yaml.Node) *yaml.Node {
	c := *n
	if strings.HasPrefix(c.Tag, "!") && !strings.HasPrefix(c.Tag, "!!") {
		c.Tag = ""
	}
	if c.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = untagged(k)
		}
	}
	return &c
}

var (
	// services.db.environment must be a mapping; services.x.depends false schema
	schemaPathRe = regexp.MustCompile(`^(services\.\S+) (?:must be|false schema|is |does not|has |additional properties)`)
	// error while interpolating services.x.read_only: failed to cast ...
	interpolatingRe = regexp.MustCompile(`error while interpolating (services\.\S+?):`)
	// additional properties 'cache', 'web' not allowed (top level)
	topLevelKeysRe = regexp.MustCompile(`^additional properties ((?:'[^']*'(?:, )?)+) not allowed`)
	missingFileRe  = regexp.MustCompile(`(?:open|stat) (.+?): no such file or directory`)
	cycleRe        = regexp.MustCompile(`dependency cycle detected: (\S+) ->`)
	// a field compose-go checks after interpolation, named by its service
	serviceNamedRe = regexp.MustCompile(`^service "([^"]+)"`)
)

// bareMessage is a load error's text without compose-go's "validating
// FILE: " prefix.
func bareMessage(msg string) string {
	return strings.TrimSpace(validatingRe.ReplaceAllString(strings.TrimSpace(msg), ""))
}

// recurs reports whether the plain copy would fail with err again: a
// field or a top-level key the schema refuses, or a missing file, are in
// the copy as they are in the files whatever the variables. Errors that
// may be gone there (an empty variable, which the copy's placeholders
// fill; a consistency check, which it skips) are not cut before a load.
func recurs(err error) bool {
	if err == nil {
		return false
	}
	msg := bareMessage(err.Error())
	return schemaPathRe.MatchString(msg) || topLevelKeysRe.MatchString(msg) || missingFileRe.MatchString(msg)
}

// cut removes from the plain data what msg names, and reports whether it
// removed anything (if not, the loop ends).
func (l *projectLoader) cut(msg string) bool {
	msg = bareMessage(msg)
	switch {
	case schemaPathRe.MatchString(msg):
		return l.cutPath(schemaPathRe.FindStringSubmatch(msg)[1])
	case interpolatingRe.MatchString(msg):
		return l.cutPath(interpolatingRe.FindStringSubmatch(msg)[1])
	case topLevelKeysRe.MatchString(msg):
		cut := false
		for _, q := range quotedRe.FindAllStringSubmatch(topLevelKeysRe.FindStringSubmatch(msg)[1], -1) {
			for f, raw := range l.raw {
				v, ok := raw[q[1]]
				if !ok {
					continue
				}
				delete(raw, q[1])
				cut = true
				// `service:` or `sevices:` holding service mappings is
				// what the author meant by services: lint them as such.
				if _, has := raw["services"]; !has && misspeltServices(q[1]) {
					raw["services"] = v
					f.servicesKey = q[1]
				}
			}
		}
		return cut
	case missingFileRe.MatchString(msg):
		return l.cutMissing(missingFileRe.FindStringSubmatch(msg)[1])
	case cycleRe.MatchString(msg):
		return l.cutField(cycleRe.FindStringSubmatch(msg)[1], "depends_on")
	case serviceNamedRe.MatchString(msg):
		// A service whose values fail after interpolation (a port, a
		// volume spec emptied by an unset variable): lint the others.
		return l.cutService(serviceNamedRe.FindStringSubmatch(msg)[1])
	}
	return false
}

// cutAtError cuts the service whose entry holds the place the error is
// attributed to (a port or volume spec compose-go refuses names no path,
// but the loader finds its line).
func (l *projectLoader) cutAtError(err error) bool {
	var e *Error
	if !errors.As(l.attribute(err), &e) || e.Line == 0 {
		return false
	}
	for _, f := range l.Files {
		if f.Path != e.File {
			continue
		}
		services := mapValue(f.Root(), "services")
		if services == nil || services.Kind != yaml.MappingNode {
			return false
		}
		name := ""
		for key := range transform.Pairs(services) {
			if key.Line <= e.Line {
				name = key.Value
			}
		}
		return name != "" && l.cutService(name)
	}
	return false
}

// cutPath removes services.<name>.<field...>; a service name may itself
// contain dots (peer0.org1.example.com), so the longest service key that
// prefixes the path is taken.
func (l *projectLoader) cutPath(p string) bool {
	rest := strings.TrimPrefix(p, "services.")
	cut := false
	for _, raw := range l.raw {
		services, _ := raw["services"].(map[string]any)
		name := ""
		for k := range services {
			if (rest == k || strings.HasPrefix(rest, k+".")) && len(k) > len(name) {
				name = k
			}
		}
		if name == "" {
			continue
		}
		field := strings.TrimPrefix(strings.TrimPrefix(rest, name), ".")
		if field == "" {
			delete(services, name)
			cut = true
			continue
		}
		node := services[name]
		keys := strings.Split(field, ".")
		for i, k := range keys {
			m, ok := node.(map[string]any)
			if !ok {
				break
			}
			if i == len(keys)-1 {
				if _, ok := m[k]; ok {
					delete(m, k)
					cut = true
				}
				break
			}
			node = m[k]
		}
	}
	return cut
}

func (l *projectLoader) cutField(service, field string) bool {
	return l.cutPath("services." + service + "." + field)
}

func (l *projectLoader) cutService(service string) bool {
	return l.cutPath("services." + service)
}

// cutMissing removes the extends, include entries and env_file entries
// that name a file that is not there.
func (l *projectLoader) cutMissing(name string) bool {
	same := func(f *File, ref string) bool {
		if ref == "" {
			return false
		}
		if ref == name || path.Clean(ref) == path.Clean(name) {
			return true
		}
		abs := ref
		if !filepath.IsAbs(ref) {
			abs = filepath.Join(filepath.Dir(f.Abs), ref)
		}
		return abs == name || filepath.Clean(abs) == filepath.Clean(name)
	}
	cut := false
	for f, raw := range l.raw {
		if inc, ok := raw["include"].([]any); ok {
			kept := inc[:0]
			for _, item := range inc {
				if includeNames(item, func(p string) bool { return same(f, p) }) {
					cut = true
					continue
				}
				kept = append(kept, item)
			}
			raw["include"] = kept
		}
		services, _ := raw["services"].(map[string]any)
		for _, s := range services {
			svc, ok := s.(map[string]any)
			if !ok {
				continue
			}
			if ext, ok := svc["extends"].(map[string]any); ok {
				if file, _ := ext["file"].(string); same(f, file) {
					delete(svc, "extends")
					cut = true
				}
			}
			if cutEnvFile(svc, func(p string) bool { return same(f, p) }) {
				cut = true
			}
		}
	}
	return cut
}

// includeNames says whether an include entry (a path, or path: string or list)
// names a file match accepts.
func includeNames(item any, match func(string) bool) bool {
	switch v := item.(type) {
	case string:
		return match(v)
	case map[string]any:
		switch p := v["path"].(type) {
		case string:
			return match(p)
		case []any:
			for _, e := range p {
				if s, ok := e.(string); ok && match(s) {
					return true
				}
			}
		}
	}
	return false
}

// cutEnvFile drops the env_file entries match accepts.
func cutEnvFile(svc map[string]any, match func(string) bool) bool {
	switch v := svc["env_file"].(type) {
	case string:
		if match(v) {
			delete(svc, "env_file")
			return true
		}
	case []any:
		kept := v[:0]
		cut := false
		for _, e := range v {
			p, _ := e.(string)
			if m, ok := e.(map[string]any); ok {
				p, _ = m["path"].(string)
			}
			if match(p) {
				cut = true
				continue
			}
			kept = append(kept, e)
		}
		svc["env_file"] = kept
		return cut
	}
	return false
}

// misspeltServices: a key one edit (or one transposition) from services.
func misspeltServices(k string) bool {
	const want = "services"
	if k == want || len(k) < len(want)-1 || len(k) > len(want)+1 {
		return false
	}
	// the common prefix and suffix leave at most one character each side
	i := 0
	for i < len(k) && i < len(want) && k[i] == want[i] {
		i++
	}
	j := 0
	for j < len(k)-i && j < len(want)-i && k[len(k)-1-j] == want[len(want)-1-j] {
		j++
	}
	a, b := k[i:len(k)-j], want[i:len(want)-j]
	if len(a) <= 1 && len(b) <= 1 {
		return true
	}
	return len(a) == 2 && len(b) == 2 && a[0] == b[1] && a[1] == b[0]
}

// fragmentNote is said of a file isFragment accepts.
const fragmentNote = "no service here has an image or a build context, so this file runs only through " +
	"extends or on top of another file: linted as a fragment, for what it declares, and nothing in it is fixed"

// isFragment: a file no service of which can run alone (none has an
// image or a build), an extends source or an overlay without its base.
func isFragment(m *types.Project) bool {
	if len(m.Services) == 0 {
		return false
	}
	for _, s := range m.Services {
		if s.Image != "" || s.Build != nil {
			return false
		}
	}
	return true
}
