// Package config reads .composure.yaml: per-rule severities and typed
// options, ignore entries, and stateful images that extend the built-in
// knowledge. Anything unknown or malformed is an error naming the file,
// line, column and key, before any compose file is linted.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/imagefacts"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// FileName is the config file composure looks for.
const FileName = ".composure.yaml"

// Config is a validated config file.
type Config struct {
	Path     string
	Dir      string
	Severity map[string]lint.Severity
	// Options are the rule options by rule id, each checked against the
	// kind its rule declares.
	Options map[string]lint.Options
	Ignores []lint.Ignore
	// Exclude are the paths discovery never searches (globs relative to
	// Dir): vendored copies, generated or example files.
	Exclude []lint.Glob
	Images  []knowledge.Image
	// ImagesMode is `images:`, where unknown images' configs are read
	// from: off, local or registry ("" when not set).
	ImagesMode string
}

// Find returns the config file in dir or its nearest parent, or "".
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(abs, FileName)
		// Whatever it is: a directory, FIFO or device named
		// .composure.yaml is the user's config that cannot be read, an
		// error from Load, not a reason to take a parent's instead.
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

// Load reads a config file and validates it against the catalogue: the
// rules, their options and their kinds.
func Load(file string, catalogue []*lint.Rule) (*Config, error) {
	// Messages name the file as the user would: relative to the working
	// directory when it is inside it (Find returns absolute paths).
	file = project.RelToWorkingDir(file)
	content, perr := project.ReadBounded(file)
	if perr != nil {
		return nil, &project.Error{File: file, Msg: "cannot read config: " + perr.Msg}
	}
	return Parse(file, content, catalogue)
}

// Parse validates config content against the catalogue.
func Parse(file string, content []byte, catalogue []*lint.Rule) (*Config, error) {
	abs, _ := filepath.Abs(file)
	c := &Config{Path: file, Dir: filepath.Dir(abs), Severity: map[string]lint.Severity{}, Options: map[string]lint.Options{}}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(content)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // empty, or comments only
			return c, nil
		}
		return nil, project.YAMLError(file, err)
	}
	p := &parser{file: file, catalogue: catalogue}
	root := p.mapping(doc.Content[0], "the config")
	for _, kv := range root {
		switch kv.key.Value {
		case "rules":
			p.rules(kv.val, c)
		case "ignore":
			p.ignores(kv.val, c)
		case "exclude":
			p.exclude(kv.val, c)
		case "stateful-images":
			p.images(kv.val, c)
		case "images":
			c.ImagesMode = p.scalar(kv.val, "images")
			if _, err := imagefacts.ParseMode(c.ImagesMode); err != nil && kv.val.Kind == yaml.ScalarNode {
				p.fail(kv.val, "images: %v", err)
			}
		default:
			p.fail(kv.key, "unknown key %q%s (want rules, ignore, exclude, stateful-images or images)", kv.key.Value, didYouMean(kv.key.Value, []string{"rules", "ignore", "exclude", "stateful-images", "images"}))
		}
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return c, nil
}

// parser collects every error, each with its position, so one run names
// all that is wrong with a config instead of one per run.
type parser struct {
	file      string
	catalogue []*lint.Rule
	errs      Errors
}

// rule finds a rule of the catalogue by id.
func (p *parser) rule(id string) *lint.Rule {
	for _, r := range p.catalogue {
		if r.ID == id {
			return r
		}
	}
	return nil
}

type pair struct{ key, val *yaml.Node }

// maxErrors bounds what a config that is not one at all (a compose file
// passed as --config) prints.
const maxErrors = 20

func (p *parser) fail(n *yaml.Node, format string, a ...any) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, &project.Error{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, a...)})
	}
}

func (p *parser) mapping(n *yaml.Node, what string) []pair {
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return nil
		}
		p.fail(n, "%s must be a mapping", what)
		return nil
	}
	var out []pair
	seen := map[string]*yaml.Node{}
	for key, val := range transform.Pairs(n) {
		// yaml reports a duplicate key only when it decodes into a Go
		// map; the second one would silently win here.
		if first, dup := seen[key.Value]; dup && key.Kind == yaml.ScalarNode {
			p.fail(key, "key %q is given twice in %s (first at line %d): keep one", key.Value, what, first.Line)
			continue
		}
		seen[key.Value] = key
		out = append(out, pair{key, val})
	}
	return out
}

func (p *parser) strings(n *yaml.Node, what string) []string {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "%s must be a list of strings", what)
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			p.fail(it, "%s must be a list of strings", what)
			return nil
		}
		out = append(out, it.Value)
	}
	return out
}

// checkItems refuses the items of a list option that the option's own
// check refuses (allow-names: a glob path.Match cannot read, "a[b",
// would silently match nothing).
func (p *parser) checkItems(n *yaml.Node, what string, check func(string) error) {
	items := n.Content
	if n.Kind == yaml.ScalarNode {
		items = []*yaml.Node{n}
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			continue
		}
		if err := check(it.Value); err != nil {
			p.fail(it, "%s: %q %v", what, it.Value, err)
		}
	}
}

func (p *parser) scalar(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode {
		p.fail(n, "%s must be a string", what)
		return ""
	}
	return n.Value
}

func (p *parser) rules(n *yaml.Node, c *Config) {
	for _, kv := range p.mapping(n, "rules") {
		r := p.rule(kv.key.Value)
		if r == nil {
			p.fail(kv.key, "unknown rule %q%s (see 'composure rules')", kv.key.Value, didYouMean(kv.key.Value, p.ruleIDs()))
			continue
		}
		if kv.val.Kind == yaml.ScalarNode && kv.val.Tag != "!!null" {
			// shorthand: rule-id: warning
			p.severity(kv.val, r, c)
			continue
		}
		for _, opt := range p.mapping(kv.val, "rules."+r.ID) {
			name := opt.key.Value
			if name == "severity" {
				p.severity(opt.val, r, c)
				continue
			}
			spec := r.Option(name)
			if spec == nil {
				p.fail(opt.key, "unknown option %q for rule %s%s (%s)", name, r.ID, didYouMean(name, optionNames(r)), knownOptions(r))
				continue
			}
			o := c.Options[r.ID]
			switch spec.Kind {
			case lint.StringList:
				_ = o.SetStringList(r, name, p.strings(opt.val, "rules."+r.ID+"."+name))
				if spec.CheckItem != nil {
					p.checkItems(opt.val, "rules."+r.ID+"."+name, spec.CheckItem)
				}
			case lint.Bool:
				var b bool
				if opt.val.Decode(&b) != nil || opt.val.Tag != "!!bool" {
					p.fail(opt.val, "rules.%s.%s must be true or false", r.ID, name)
				}
				_ = o.SetBool(r, name, b)
			}
			c.Options[r.ID] = o
		}
	}
}

func (p *parser) severity(n *yaml.Node, r *lint.Rule, c *Config) {
	sev, err := lint.ParseSeverity(p.scalar(n, "severity"))
	if err != nil {
		p.fail(n, "rules.%s.severity: %v", r.ID, err)
		return
	}
	c.Severity[r.ID] = sev
}

func optionNames(r *lint.Rule) []string {
	names := []string{"severity"}
	for _, o := range r.Options {
		names = append(names, o.Name)
	}
	return names
}

func knownOptions(r *lint.Rule) string {
	return "known: " + strings.Join(optionNames(r), ", ")
}

func (p *parser) ruleIDs() []string {
	var ids []string
	for _, r := range p.catalogue {
		ids = append(ids, r.ID)
	}
	return ids
}

func (p *parser) ignores(n *yaml.Node, c *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "ignore must be a list of {rule, path-glob, service, reason}")
		return
	}
	for _, item := range n.Content {
		var rule, glob, service, reason string
		var globNode *yaml.Node
		for _, kv := range p.mapping(item, "an ignore entry") {
			switch kv.key.Value {
			case "rule":
				rule = p.scalar(kv.val, "ignore.rule")
				if p.rule(rule) == nil {
					p.fail(kv.val, "unknown rule %q in ignore%s (see 'composure rules')", rule, didYouMean(rule, p.ruleIDs()))
				}
			case "path-glob", "path":
				// path-glob is SPEC §5's name; path, the name the first
				// releases documented, still works. Not both.
				if glob != "" {
					p.fail(kv.key, "ignore entry gives both path-glob and path: keep path-glob")
				}
				glob = p.scalar(kv.val, "ignore."+kv.key.Value)
				globNode = kv.val
			case "service":
				service = p.scalar(kv.val, "ignore.service")
			case "reason":
				reason = strings.TrimSpace(p.scalar(kv.val, "ignore.reason"))
			default:
				p.fail(kv.key, "unknown key %q in ignore entry%s (want rule, path-glob, service, reason)", kv.key.Value, didYouMean(kv.key.Value, []string{"rule", "path-glob", "service", "reason"}))
			}
		}
		if reason == "" {
			p.fail(item, "ignore entry needs a reason: say why these findings are acceptable")
		}
		if rule == "" && glob == "" && service == "" {
			p.fail(item, "ignore entry matches everything: give a rule, a path-glob or a service")
		}
		ig, err := lint.NewIgnore(rule, glob, service, reason)
		if err != nil {
			at := item
			if globNode != nil {
				at = globNode
			}
			p.fail(at, "ignore.path-glob %q: %v", glob, err)
		}
		c.Ignores = append(c.Ignores, ig)
	}
}

// exclude reads `exclude:`, a list of path globs.
func (p *parser) exclude(n *yaml.Node, c *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "exclude must be a list of path globs, e.g. [vendor/**, examples/**/compose.yaml]")
		return
	}
	for _, item := range n.Content {
		pattern := p.scalar(item, "exclude")
		if pattern == "" {
			continue
		}
		g, err := lint.NewGlob(pattern)
		if err != nil {
			p.fail(item, "exclude %q: %v", pattern, err)
			continue
		}
		c.Exclude = append(c.Exclude, g)
	}
}

func (p *parser) images(n *yaml.Node, c *Config) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "stateful-images must be a list of {image, data-paths, ...}")
		return
	}
	for _, item := range n.Content {
		img := knowledge.Image{Stateful: knowledge.Stateful}
		var declared bool
		var paths []string
		for _, kv := range p.mapping(item, "a stateful-images entry") {
			switch kv.key.Value {
			case "image":
				pattern := p.scalar(kv.val, "stateful-images.image")
				if err := knowledge.CheckPattern(pattern); err != nil || pattern == "" {
					p.fail(kv.val, "stateful-images.image %q is not a valid image name or glob", pattern)
				}
				img.ID, img.Images = "config:"+pattern, []string{pattern}
			case "data-paths":
				paths = p.strings(kv.val, "stateful-images.data-paths")
				for _, dp := range paths {
					if !strings.HasPrefix(dp, "/") {
						p.fail(kv.val, "stateful-images.data-paths: %q is not an absolute container path", dp)
					}
				}
			case "volume-declared":
				if kv.val.Decode(&declared) != nil || kv.val.Tag != "!!bool" {
					p.fail(kv.val, "stateful-images.volume-declared must be true or false")
				}
			case "secret-env":
				img.SecretEnv = p.strings(kv.val, "stateful-images.secret-env")
			case "file-env":
				img.FileEnv = knowledge.FileEnv{Supported: true, Suffix: "_FILE", Vars: p.strings(kv.val, "stateful-images.file-env")}
			default:
				p.fail(kv.key, "unknown key %q in stateful-images entry%s (want image, data-paths, volume-declared, secret-env, file-env)", kv.key.Value, didYouMean(kv.key.Value, []string{"image", "data-paths", "volume-declared", "secret-env", "file-env"}))
			}
		}
		if len(img.Images) == 0 {
			p.fail(item, "stateful-images entry needs an image")
		}
		if len(paths) == 0 {
			p.fail(item, "stateful-images entry needs data-paths")
		}
		for _, dp := range paths {
			img.DataPaths = append(img.DataPaths, knowledge.DataPath{Path: path.Clean(dp), VolumeDeclared: declared})
		}
		c.Images = append(c.Images, img)
	}
}

// Starter renders the config `composure init` writes: every rule of the
// catalogue with its default severity and options, commented, and an
// example ignore.
func Starter(catalogue []*lint.Rule) string {
	var b strings.Builder
	b.WriteString("# composure configuration. Every rule is listed with its default;\n")
	b.WriteString("# uncomment a line to change it. Severities: off, info, warning, error.\n")
	b.WriteString("rules:\n")
	all := slices.Clone(catalogue)
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, r := range all {
		def := r.Severity.String()
		if r.DefaultOff {
			def = "off"
		}
		fmt.Fprintf(&b, "  # %s: # %s\n  #   severity: %s\n", r.ID, r.Title, def)
		for _, o := range r.Options {
			fmt.Fprintf(&b, "  #   %s: [] # %s (%s)\n", o.Name, o.Doc, o.Kind)
		}
	}
	b.WriteString(`
# Findings to accept, each with the reason someone will read later.
ignore: []
#  - rule: fixed-container-name
#    path-glob: "legacy/**"
#    service: db
#    reason: the backup job addresses the container by name

# Images composure does not know that keep state.
stateful-images: []
#  - image: registry.example.com/team/*-db
#    data-paths: [/var/lib/app]
#    volume-declared: false
#    secret-env: [APP_DB_PASSWORD]
#    file-env: [APP_DB_PASSWORD]

# Where to read the configs (declared VOLUMEs, user) of images none of the
# above knows: off, local (the Docker engine, never pulling) or registry
# (the engine, then a cache under the user cache directory, then the
# registry). --images on the command line wins.
images: off
`)
	return b.String()
}
