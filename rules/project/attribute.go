package project

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

func (p *projectLoader) noteObsoleteVersion() {
	for _, f := range p.Files {
		root := f.Root()
		if root == nil {
			continue
		}
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "version" {
				p.addNote(Note{File: f.Path, Line: root.Content[i].Line, Msg: "the top-level `version` key is obsolete and ignored"})
			}
		}
	}
}

// modelPathRe finds a model path such as services.db.ports.0 in a
// compose-go message, so the error can point at that node.
var modelPathRe = regexp.MustCompile(`\b(?:services|volumes|networks|secrets|configs|include)(?:\.[A-Za-z0-9_.-]+)+`)

// attribute turns a compose-go error into an Error on the right file, with
// a position when the message names a model path, and with absolute paths
// replaced by the paths the user gave.
func (p *projectLoader) attribute(err error) error {
	var own *Error
	if errors.As(err, &own) {
		return own
	}
	msg := tidyDecodeError(hideValues(err.Error()))
	target := p.Files[0]
	all := p.AllFiles()
	for _, f := range all {
		if strings.Contains(msg, f.Abs) {
			target = f
		}
	}
	for _, f := range all {
		msg = strings.ReplaceAll(msg, f.Abs, f.Path)
	}
	msg = strings.ReplaceAll(msg, p.Dir+string(filepath.Separator), "")
	msg = validatingRe.ReplaceAllString(msg, "")
	msg = sortProperties(msg)
	msg = p.stableSchemaError(msg)
	msg = strings.TrimSpace(msg)
	e := &Error{File: target.Path, Msg: msg}
	if loc := p.errorLocation(msg); loc.Node != nil {
		e.File = loc.File.Path
		e.Line, e.Column = loc.Line(), loc.Column()
	}
	if m := openMissingRe.FindStringSubmatch(e.Msg); m != nil {
		// compose-go names one of the missing extends files, in map order;
		// name the one the position points at, the first in the file.
		if loc := p.missingReference(); loc.Node != nil && loc.Node.Kind == yaml.ScalarNode {
			e.Msg = strings.Replace(e.Msg, m[1], loc.Node.Value, 1)
		}
	}
	if len(p.unset) > 0 && emptyValueError(msg) {
		e.Msg += fmt.Sprintf(" (these variables are not set and were read as empty: %s; set them or pass --env-file)", strings.Join(p.unset, ", "))
	}
	noteLegacy(e, all)
	if strings.Contains(msg, "additional properties") && isLegacyV1(target) {
		e.Msg = "this is the legacy v1 compose format (services at the top level), which docker compose v2 no longer reads: move the services under a top-level `services:` key"
	}
	return e
}

var (
	serviceNameRe = regexp.MustCompile(`service "([^"]+)"`)
	propertyRe    = regexp.MustCompile(`additional propert(?:y|ies) ((?:'[^']*'(?:, )?)+)`)
	quotedRe      = regexp.MustCompile(`'([^']*)'`)
	validatingRe  = regexp.MustCompile(`^validating [^:]+: `)
	volumeSpecRe  = regexp.MustCompile(`invalid spec: [^:]*:([^:]+)`)
)

var openMissingRe = regexp.MustCompile(`^open (.+): no such file or directory`)

// stableConsistencyError makes compose-go's consistency errors ("service
// X refers to undefined volume Y") the same on every run: compose-go checks
// the services in map order and reports the first problem it meets. When
// the project loads without the check, the common checks are made here in
// compose-go's order over the services in name order, and the first
// problem found is reported instead; every one of them is a real error.
func (p *projectLoader) stableConsistencyError(ctx context.Context, dir string, env map[string]string, profiles []string, err error) error {
	if !errors.Is(err, errdefs.ErrInvalid) && !strings.Contains(err.Error(), errdefs.ErrInvalid.Error()) {
		return err
	}
	if !p.reference && !errors.As(err, new(modelError)) {
		// The consistency check is ModelToProject's; an error before it
		// would only come back.
		return err
	}
	model, lerr := p.uncheckedModel(ctx, dir, env, profiles)
	if lerr != nil {
		return err
	}
	if first := firstInconsistency(model, false); first != nil {
		return first
	}
	return err
}

// firstInconsistency is the first of compose-go's common consistency
// problems, in service name order; placeholders forgives a volume named
// by a placeholder that is declared nowhere.
func firstInconsistency(project *types.Project, placeholders bool) error {
	invalid := func(format string, a ...any) error {
		return fmt.Errorf(format+": %w", append(a, errdefs.ErrInvalid)...)
	}
	for _, name := range slices.Sorted(maps.Keys(project.Services)) {
		s := project.Services[name]
		if s.Build == nil && s.Image == "" && s.Provider == nil {
			return invalid("service %q has neither an image nor a build context specified", name)
		}
		if s.NetworkMode != "" && len(s.Networks) > 0 {
			return invalid("service %s declares mutually exclusive `network_mode` and `networks`", name)
		}
		for _, network := range slices.Sorted(maps.Keys(s.Networks)) {
			if _, ok := project.Networks[network]; !ok {
				return invalid("service %q refers to undefined network %s", name, network)
			}
		}
		for _, v := range s.Volumes {
			if placeholders && strings.HasPrefix(v.Source, PlaceholderPrefix) {
				continue
			}
			if _, ok := project.Volumes[v.Source]; v.Type == types.VolumeTypeVolume && v.Source != "" && !ok {
				return invalid("service %q refers to undefined volume %s", name, v.Source)
			}
		}
		if s.Build != nil {
			for _, secret := range s.Build.Secrets {
				if _, ok := project.Secrets[secret.Source]; !ok {
					return invalid("service %q refers to undefined build secret %s", name, secret.Source)
				}
			}
		}
		for _, c := range s.Configs {
			if _, ok := project.Configs[c.Source]; !ok {
				return invalid("service %q refers to undefined config %s", name, c.Source)
			}
		}
		for _, secret := range s.Secrets {
			if _, ok := project.Secrets[secret.Source]; !ok {
				return invalid("service %q refers to undefined secret %s", name, secret.Source)
			}
		}
	}
	return nil
}

var schemaTypeRe = regexp.MustCompile(`^services\.([^.\s]+)\.(\S+) must be a `)

// stableSchemaError makes a schema type error that several services share
// ("services.b.image must be a string" for three services whose image is a
// mapping) name the first of them in the file: compose-go validates in map
// order. Only a mapping, a sequence or a null where another type is
// wanted is rewritten: the same kind of collection, or a null (which
// interpolation cannot change), is then the same error.
func (p *projectLoader) stableSchemaError(msg string) string {
	m := schemaTypeRe.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	rest := strings.Split(m[2], ".")
	at := func(svc string) *yaml.Node {
		segs := append([]string{"services", svc}, rest...)
		if l := p.Locate(segs...); l.Depth == len(segs) {
			return resolve(l.Node)
		}
		return nil
	}
	reported := at(m[1])
	if reported != nil && transform.IsNull(reported) && len(p.AllFiles()) == 1 && len(p.Files[0].Extends) == 0 {
		return p.firstNullSchemaError(msg, len(rest))
	}
	if reported == nil || reported.Kind != yaml.MappingNode && reported.Kind != yaml.SequenceNode && !transform.IsNull(reported) {
		return msg
	}
	for _, f := range p.Files {
		services := mapValue(f.Root(), "services")
		if services == nil {
			continue
		}
		for key := range transform.Pairs(services) {
			name := key.Value
			if n := at(name); n != nil && n.Kind == reported.Kind && transform.IsNull(n) == transform.IsNull(reported) {
				return strings.Replace(msg, "services."+m[1]+".", "services."+name+".", 1)
			}
		}
	}
	return msg
}

// firstNullSchemaError handles a null reported where the schema wants
// another type, in a project of one file without extends: the file may
// have other such nulls at the same depth (`environment:` and `volumes:`
// left empty in a template), each as specific an error as the one
// compose-go happened to meet first. Each null service key path of that
// depth is checked alone, in file order, with compose-go's own schema,
// and the first that fails is reported. Nothing merges into the file and
// interpolation does not change a null, so that error is the project's.
func (p *projectLoader) firstNullSchemaError(msg string, depth int) string {
	var found string
	var walk func(n *yaml.Node, path []string) bool
	walk = func(n *yaml.Node, path []string) bool {
		n = resolve(n)
		if n == nil {
			return false
		}
		if len(path) == depth+2 {
			if !transform.IsNull(n) {
				return false
			}
			if e := nullSchemaError(path); e != "" {
				found = e
				return true
			}
			return false
		}
		if n.Kind != yaml.MappingNode {
			return false
		}
		for k, val := range transform.Pairs(n) {
			if k.Kind != yaml.ScalarNode || k.Value == "<<" || strings.Contains(k.Value, ".") {
				continue
			}
			if walk(val, append(path[:len(path):len(path)], k.Value)) {
				return true
			}
		}
		return false
	}
	for _, f := range p.Files {
		if services := mapValue(f.Root(), "services"); services != nil {
			for key, val := range transform.Pairs(services) {
				if walk(val, []string{"services", key.Value}) {
					return found
				}
			}
		}
	}
	return msg
}

// nullSchemaError validates a project holding only a null at path with
// compose-go's schema and returns its "must be a" error, or "".
func nullSchemaError(path []string) string {
	doc := map[string]any{}
	cur := doc
	for _, seg := range path[:len(path)-1] {
		next := map[string]any{}
		cur[seg] = next
		cur = next
	}
	cur[path[len(path)-1]] = nil
	err := schema.Validate(doc)
	if err == nil {
		return ""
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, strings.Join(path, ".")+" must be a ") {
		return ""
	}
	return msg
}

// sortProperties sorts the names in compose-go's "additional properties
// 'b', 'a' not allowed", which come in map order: the same file gives the
// same message on every run.
func sortProperties(msg string) string {
	return propertyRe.ReplaceAllStringFunc(msg, func(m string) string {
		list := propertyRe.FindStringSubmatch(m)[1]
		names := quotedRe.FindAllString(list, -1)
		sort.Strings(names)
		return strings.TrimSuffix(m, list) + strings.Join(names, ", ")
	})
}

// emptyValueError reports whether a compose-go message is about a value
// that came out empty, which an unset variable explains.
func emptyValueError(msg string) bool {
	for _, s := range []string{"empty", "''", "neither an image nor a build", "failed to cast", "Invalid hostPort", "invalid hostPort"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// findVolume locates the first service volume with the given target.
func (p *projectLoader) findVolume(target string) Loc {
	for _, f := range p.AllFiles() {
		services := mapValue(f.Root(), "services")
		if services == nil {
			continue
		}
		for key := range transform.Pairs(services) {
			if loc := lookupFile(f, []string{"services", key.Value, "volumes", target}); loc.Depth == 4 {
				return loc
			}
		}
	}
	return Loc{}
}

// errorLocation finds the node a compose-go message is about: a model path
// it names, a service it names, an unknown top-level key, or a missing
// extends/include file.
func (p *projectLoader) errorLocation(msg string) Loc {
	if m := topLevelShapeRe.FindStringSubmatch(msg); m != nil {
		if loc := p.Locate(m[1]); loc.Node != nil {
			return loc
		}
	}
	if m := modelPathRe.FindString(msg); m != "" {
		if loc := p.Locate(strings.Split(m, ".")...); loc.Node != nil {
			return loc
		}
	}
	if strings.Contains(msg, "no such file or directory") {
		if loc := p.missingReference(); loc.Node != nil {
			return loc
		}
	}
	if m := volumeSpecRe.FindStringSubmatch(msg); m != nil {
		if loc := p.findVolume(path.Clean(m[1])); loc.Node != nil {
			return loc
		}
	}
	if portErrorRe.MatchString(msg) {
		if loc := p.findPortError(msg); loc.Node != nil {
			return loc
		}
	}
	if m := serviceNameRe.FindStringSubmatch(msg); m != nil {
		if loc := p.Locate("services", m[1]); loc.Node != nil {
			return loc
		}
	}
	if m := propertyRe.FindStringSubmatch(msg); m != nil {
		// The first of them in the file: compose-go lists them in map
		// order, which changes from run to run.
		var first Loc
		for _, q := range quotedRe.FindAllStringSubmatch(m[1], -1) {
			if loc := p.Locate(q[1]); loc.Node != nil && (first.Node == nil || loc.File == first.File &&
				(loc.Line() < first.Line() || loc.Line() == first.Line() && loc.Column() < first.Column())) {
				first = loc
			}
		}
		if first.Node != nil {
			return first
		}
	}
	return Loc{}
}

// missingReference points at the first extends `file:` or include path
// that could not be read.
func (p *projectLoader) missingReference() Loc {
	for _, f := range p.AllFiles() {
		// In the order of the file, not of the Extends map: the same
		// error points at the same place on every run.
		var order []string
		if services := mapValue(f.Root(), "services"); services != nil {
			for key := range transform.Pairs(services) {
				order = append(order, key.Value)
			}
		}
		for _, svc := range order {
			if ref, ok := f.Extends[svc]; ok && ref.Missing {
				if loc := lookupFile(f, []string{"services", svc, "extends", "file"}); loc.Depth == 4 {
					return loc
				}
			}
		}
		if root := f.Root(); root != nil && len(f.Includes) < len(includePaths(root)) {
			if loc := lookupFile(f, []string{"include"}); loc.Depth == 1 {
				return loc
			}
		}
	}
	return Loc{}
}

// isLegacyV1 reports whether a file has no `services:` but top-level
// mappings that look like services (image or build keys).
func isLegacyV1(f *File) bool {
	root := f.Root()
	if root == nil || mapValue(root, "services") != nil {
		return false
	}
	for i := 1; i < len(root.Content); i += 2 {
		v := resolve(root.Content[i])
		if mapValue(v, "image") != nil || mapValue(v, "build") != nil {
			return true
		}
	}
	return false
}
