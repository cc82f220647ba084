package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// MaxFileSize bounds what is read into memory; real compose files are a
// few kilobytes, and a larger file is almost surely not one.
const MaxFileSize = 16 << 20

// Options are the command-line choices that change how a project loads.
type Options struct {
	// Profiles to enable; empty means every profile, since a finding in a
	// disabled profile is still a finding.
	Profiles []string
	// EnvFiles replace the project's .env for interpolation.
	EnvFiles []string
	// ProjectDir overrides the directory relative paths resolve from.
	ProjectDir string
	// Environ is the process environment (KEY=VALUE); nil means os.Environ.
	Environ []string
	// Overlay replaces the content of files (by absolute path) without
	// touching the disk: the fixer re-checks its results through it.
	Overlay map[string][]byte
	// ReferenceLoad loads exactly as compose-go does by default: it parses
	// the bytes itself and runs every phase itself (see fastload.go). The
	// slow path, kept so a test can prove both give the same findings.
	ReferenceLoad bool
	// VerifyEdits makes the fix helpers check every edit they compute by
	// re-parsing the result: the fixer sets it; lint, which only reports
	// fixes, does not pay for it.
	VerifyEdits bool
}

// Project is one loaded compose project: compose-go's merged model for
// meaning and the parsed files for positions.
type Project struct {
	Name string
	Dir  string
	// Files are the -f files in merge order; Extra are the extends bases
	// and included files they pull in.
	Files []*File
	Extra []*File
	Model *types.Project
	// Dockerfiles holds, per service with a local build, the Dockerfile's
	// bytes (nil when it could not be read): rules read VOLUME lines from it
	// without touching the disk.
	Dockerfiles map[string][]byte
	// Notes are things the loader noticed that are not findings, e.g. an
	// obsolete `version:` key or a required variable that is not set.
	Notes []Note

	// DotEnvPath is the project's .env when it was read (empty otherwise),
	// DotEnv its variables: fixes that move a secret there must not clash.
	DotEnvPath string
	DotEnv     map[string]string
	// DotEnvGit is what git does with that .env: a fix must not move a
	// secret into a .env that is committed.
	DotEnvGit GitStatus

	// EnvFiles are the files outside the compose files that rules read, by
	// absolute path: the env files services load (parsed, and also listed
	// in Extra as files without YAML documents) and the top-level secret
	// files (git status only). See envfile.go.
	EnvFiles map[string]*EnvFile
	// FileRefs are the absolute paths of every env file and label file
	// the services name, whether or not it exists: what the load would
	// read if it were there (the fixer's reuse of outcomes needs this).
	FileRefs []string

	reference   bool     // Options.ReferenceLoad
	refsMissing bool     // an include or extends file could not be read (casts.go)
	unset       []string // variables interpolation found unset, for error hints

	env map[string]string // what interpolation sees, to place port errors
	// portTemplates are the ports values that interpolate (see
	// loadWithPlaceholders), each with the variables it gives a default;
	// heldStr and heldPort the variables the placeholder load replaced,
	// with a string and with a port number.
	portTemplates map[string]map[string]bool
	heldStr       map[string]bool
	heldPort      map[string]int
}

// AllFiles is Files then Extra, in a new slice.
func (p *Project) AllFiles() []*File {
	return slices.Concat(p.Files, p.Extra)
}

// Note is a loader observation with its place.
type Note struct {
	File string
	Line int
	Msg  string
	// Unchecked notes say what the rules could not check (a variable read
	// as a placeholder, an env file that is not there). lint prints them;
	// the others (an obsolete key) are kept only for callers that ask.
	Unchecked bool
}

var quietLogrus sync.Once

// silenceCompose stops compose-go's global logrus output: what matters is
// turned into Notes instead of stray stderr lines.
func silenceCompose() {
	quietLogrus.Do(func() {
		logrus.SetOutput(io.Discard)
		logrus.SetLevel(logrus.PanicLevel)
	})
}

// Load reads, parses and loads one project. A compose-go panic is recovered
// and returned as an error for the project's first file.
func Load(ctx context.Context, spec Spec, opts Options) (p *Project, err error) {
	silenceCompose()
	if len(spec.Files) == 0 {
		return nil, errors.New("no compose file given")
	}
	dir := spec.Dir
	if opts.ProjectDir != "" {
		dir = opts.ProjectDir
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, &Error{File: spec.Files[0], Msg: describeOSError(err)}
	}
	p = &Project{Dir: absDir, reference: opts.ReferenceLoad}
	for _, name := range spec.Files {
		f, err := readFileOverlay(name, opts.Overlay)
		if err != nil {
			return nil, err
		}
		f.verifyEdits = opts.VerifyEdits
		p.Files = append(p.Files, f)
	}
	if err := p.collectReferences(); err != nil {
		return nil, err
	}
	for _, f := range p.AllFiles() {
		if err := checkCommands(f); err != nil {
			return nil, err
		}
	}
	p.noteObsoleteVersion()

	env, err := p.environment(absDir, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &Error{File: spec.Files[0], Msg: fmt.Sprintf("compose-go could not load this project: %v", r)}
		}
	}()
	model, err := p.loadModel(ctx, absDir, env, opts.Profiles, false, false)
	if err != nil && len(p.unset) > 0 && emptyValueError(err.Error()) {
		// An unset variable emptied a field compose-go needs (an image, a
		// volume source, a container name, a port). It is set where the
		// stack is deployed; lint with a placeholder rather than not at all.
		if m, err2 := p.loadWithPlaceholders(ctx, absDir, env, opts.Profiles); err2 == nil {
			model, err = m, nil
			p.addNote(Note{File: p.Files[0].Path, Msg: p.placeholderNote(), Unchecked: true})
		}
	}
	if err != nil {
		p.env = env // to find the port entry an error names
		return nil, p.attribute(p.stableConsistencyError(ctx, absDir, env, opts.Profiles, err))
	}
	p.Model = model
	p.Name = model.Name
	p.readDockerfiles()
	p.readEnvFiles(ctx, opts.Overlay)
	return p, nil
}

// readFileOverlay reads name, or its overlay content when there is one.
func readFileOverlay(name string, overlay map[string][]byte) (*File, error) {
	if abs, err := filepath.Abs(name); err == nil {
		if content, ok := overlay[abs]; ok {
			return parseFile(name, abs, content)
		}
	}
	return readFile(name)
}

// readFile reads a regular file of bounded size and parses it.
func readFile(name string) (*File, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	content, rerr := readBounded(name)
	if rerr != nil {
		return nil, rerr
	}
	return parseFile(name, abs, content)
}

// readTimeout bounds a read that waits: regular files on disk never do,
// but a file the poller can wait on, such as /proc/kmsg, would block
// forever. It has no effect on files that cannot be polled.
var readTimeout = 10 * time.Second

// openRead opens a file for reading that cannot block the run.
func openRead(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, err
	}
	_ = f.SetReadDeadline(time.Now().Add(readTimeout)) // ErrNoDeadline for most files
	return f, nil
}

// ReadBounded reads a file composure only reads (a config, an env file)
// within the limits compose files get: a regular file of at most
// MaxFileSize, read without blocking on a FIFO or streaming /proc.
func ReadBounded(name string) ([]byte, *Error) {
	return readBounded(name)
}

// readBounded reads a regular file of at most MaxFileSize bytes. It stats
// before opening, so a FIFO or a device is refused without blocking, and
// never reads more than MaxFileSize+1 bytes: files in /proc stat as empty
// regular files, and /proc/self/pagemap streams gigabytes.
func readBounded(name string) ([]byte, *Error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: "not a regular file"}
	}
	if st.Size() > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is %d MB, larger than the %d MB a compose file may be", st.Size()>>20, MaxFileSize>>20)}
	}
	f, err := openRead(name)
	if err != nil {
		return nil, &Error{File: name, Msg: describeOSError(err)}
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, &Error{File: name, Msg: "not a regular file"}
	}
	// Whole 32 KiB reads: /proc/self/pagemap refuses reads that are not
	// a multiple of 8 bytes.
	content := make([]byte, 0, st.Size()+1)
	chunk := make([]byte, 32<<10)
	for len(content) <= MaxFileSize {
		n, err := f.Read(chunk)
		content = append(content, chunk[:n]...)
		if errors.Is(err, io.EOF) {
			return content, nil
		}
		if err != nil {
			return nil, &Error{File: name, Msg: describeOSError(err)}
		}
	}
	return nil, &Error{File: name, Msg: fmt.Sprintf("file is larger than the %d MB a compose file may be", MaxFileSize>>20)}
}

// environment is what interpolation sees: the process environment plus
// the variables of the project's .env (or the --env-file list) it does
// not set, as docker compose does.
func (p *Project) environment(dir string, opts Options) (map[string]string, error) {
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if len(opts.EnvFiles) > 0 {
		merged, err := dotenv.GetEnvFromFile(env, opts.EnvFiles)
		if err != nil {
			// GetEnvFromFile names the file by its absolute path; the
			// error names it as given.
			msg, file := err.Error(), opts.EnvFiles[0]
			for _, f := range opts.EnvFiles {
				abs, _ := filepath.Abs(f)
				for _, prefix := range []string{"failed to read " + f + ": ", "failed to read " + abs + ": "} {
					if rest, ok := strings.CutPrefix(msg, prefix); ok {
						msg, file = rest, f
					}
				}
			}
			return nil, &Error{File: file, Msg: "cannot read env file: " + hideValues(msg)}
		}
		mergeUnset(env, merged)
		return env, nil
	}
	dotEnv := filepath.Join(dir, ".env")
	content, ok := opts.Overlay[dotEnv] // the fixer's pending .env lines
	if !ok {
		st, err := os.Stat(dotEnv)
		if err != nil || !st.Mode().IsRegular() {
			return env, nil
		}
		// Bounded: a .env symlinked into /proc would stream forever.
		var rerr *Error
		if content, rerr = readBounded(dotEnv); rerr != nil {
			rerr.File = p.displayPath(dotEnv)
			return nil, rerr
		}
	}
	// Read once, parsed twice: for interpolation, where ${X} in .env sees
	// the process environment first, as in compose-go's GetEnvFromFile;
	// and as the file says on its own (DotEnv), which is what fixes
	// compare with and write to, whether it came from disk or a pass.
	merged, err := dotenv.ParseWithLookup(bytes.NewReader(content), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		line, _, msg := positionFromMessage(hideValues(err.Error()))
		return nil, &Error{File: p.displayPath(dotEnv), Line: line, Msg: "cannot read env file: " + msg}
	}
	p.DotEnvPath = dotEnv
	p.DotEnv, _ = dotenv.ParseWithLookup(bytes.NewReader(content), nil)
	mergeUnset(env, merged)
	return env, nil
}

// mergeUnset adds the env file's variables that the process environment
// does not set: the shell wins over .env and --env-file, as in docker
// compose (compose-go's WithDotEnv merges the same way).
func mergeUnset(env, fromFile map[string]string) {
	for k, v := range fromFile {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
}

// placeholderNote says which unset variables were linted as placeholders:
// unset-<name> strings, and port numbers in `ports` values.
func (p *Project) placeholderNote() string {
	names := p.unset
	subject := fmt.Sprintf("variable %s is not set", names[0])
	if len(names) > 1 {
		subject = fmt.Sprintf("variables %s are not set", strings.Join(names, ", "))
	}
	strs := slices.Sorted(maps.Keys(p.heldStr))
	if len(p.heldPort) == 0 {
		strs = names
	}
	var with []string
	switch len(strs) {
	case 0:
	case 1:
		with = append(with, "the placeholder "+PlaceholderPrefix+strings.ToLower(strs[0]))
	default:
		with = append(with, PlaceholderPrefix+"<name> placeholders")
	}
	switch ports := slices.Sorted(maps.Keys(p.heldPort)); len(ports) {
	case 0:
	case 1:
		s := fmt.Sprintf("the placeholder port %d", p.heldPort[ports[0]])
		if len(names) > 1 {
			s += " for " + ports[0]
		}
		with = append(with, s)
	default:
		var each []string
		for _, n := range ports {
			each = append(each, fmt.Sprintf("%d for %s", p.heldPort[n], n))
		}
		with = append(with, "the placeholder ports "+strings.Join(each, ", "))
	}
	return subject + "; linted with " + strings.Join(with, " and ")
}

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
func (p *Project) loadWithPlaceholders(ctx context.Context, dir string, env map[string]string, profiles []string) (*types.Project, error) {
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

func (p *Project) loadModel(ctx context.Context, dir string, env map[string]string, profiles []string, placeholders, skipConsistency bool) (*types.Project, error) {
	details := types.ConfigDetails{WorkingDir: dir, Environment: env}
	for _, f := range p.Files {
		cf := types.ConfigFile{Filename: f.Abs, Content: f.Content}
		// Hand compose-go our parse when its result is the same: one
		// document and no !reset/!override tags (which need its decoder).
		if len(f.Docs) == 1 && !f.HasTags && !p.reference {
			var raw map[string]any
			if err := f.Docs[0].Decode(&raw); err != nil {
				return nil, yamlError(f.Path, err)
			}
			if raw == nil {
				return nil, &Error{File: f.Path, Msg: "empty compose file"}
			}
			cf.Config = raw
		}
		details.ConfigFiles = append(details.ConfigFiles, cf)
	}
	if len(profiles) == 0 {
		profiles = []string{"*"}
	}
	name := loader.NormalizeProjectName(filepath.Base(dir))
	if name == "" {
		name = "composure"
	}
	substitute := p.lenientSubstitute
	if placeholders {
		substitute = p.placeholderSubstitute
	}
	configure := func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.Profiles = profiles
		// env_file and label_file are read at run time; a lint must not
		// fail because CI creates them at deploy time.
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.Interpolate.Substitute = substitute
		o.SkipConsistencyCheck = skipConsistency
	}
	if p.reference {
		return loader.LoadWithContext(ctx, details, configure)
	}
	return p.loadFast(ctx, details, name, configure, substitute)
}

// lenientSubstitute interpolates like docker compose but turns a missing
// `${VAR:?err}` into a note: the variable is set where the stack is
// deployed, and the rest of the file can still be linted.
func (p *Project) lenientSubstitute(s string, m template.Mapping) (string, error) {
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
func (p *Project) placeholderSubstitute(s string, m template.Mapping) (string, error) {
	defaults, port := p.portTemplates[s]
	return template.Substitute(s, func(name string) (string, bool) {
		if v, ok := m(name); ok {
			return v, true
		}
		noteMu.Lock()
		defer noteMu.Unlock()
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
func (p *Project) portPlaceholder(name string) int {
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
func (p *Project) portValues(fn func(f *File, n *yaml.Node, short bool)) {
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
func (p *Project) collectPortTemplates() map[string]map[string]bool {
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

// portErrorRe matches the errors of parsing a short-syntax port.
var portErrorRe = regexp.MustCompile(`^(?:No port specified|Invalid (?:ip address|containerPort|hostPort|proto|ranges? specified)|Empty string specified for ports)`)

// findPortError locates the first short-syntax port entry, in file order,
// that gives msg once interpolated as the load did.
func (p *Project) findPortError(msg string) Loc {
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

var noteMu sync.Mutex

func (p *Project) addUnset(name string) {
	noteMu.Lock()
	defer noteMu.Unlock()
	for _, n := range p.unset {
		if n == name {
			return
		}
	}
	p.unset = append(p.unset, name)
	sort.Strings(p.unset) // interpolation order is map order
}

func (p *Project) addNote(n Note) {
	noteMu.Lock()
	defer noteMu.Unlock()
	for _, old := range p.Notes {
		if old == n {
			return
		}
	}
	p.Notes = append(p.Notes, n)
}

func (p *Project) noteObsoleteVersion() {
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
func (p *Project) attribute(err error) error {
	var own *Error
	if errors.As(err, &own) {
		return own
	}
	msg := hideValues(err.Error())
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
func (p *Project) stableConsistencyError(ctx context.Context, dir string, env map[string]string, profiles []string, err error) error {
	if !errors.Is(err, errdefs.ErrInvalid) && !strings.Contains(err.Error(), errdefs.ErrInvalid.Error()) {
		return err
	}
	if !p.reference && !errors.As(err, new(modelError)) {
		// The consistency check is ModelToProject's; an error before it
		// would only come back.
		return err
	}
	model, lerr := p.loadModel(ctx, dir, env, profiles, false, true)
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
func (p *Project) stableSchemaError(msg string) string {
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
		for i := 0; i+1 < len(services.Content); i += 2 {
			name := services.Content[i].Value
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
func (p *Project) firstNullSchemaError(msg string, depth int) string {
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
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" || strings.Contains(k.Value, ".") {
				continue
			}
			if walk(n.Content[i+1], append(path[:len(path):len(path)], k.Value)) {
				return true
			}
		}
		return false
	}
	for _, f := range p.Files {
		if services := mapValue(f.Root(), "services"); services != nil {
			for i := 0; i+1 < len(services.Content); i += 2 {
				if walk(services.Content[i+1], []string{"services", services.Content[i].Value}) {
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
	for _, s := range []string{"empty", "''", "neither an image nor a build", "failed to cast", "Invalid hostPort"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// findVolume locates the first service volume with the given target.
func (p *Project) findVolume(target string) Loc {
	for _, f := range p.AllFiles() {
		services := mapValue(f.Root(), "services")
		if services == nil {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			if loc := lookupFile(f, []string{"services", services.Content[i].Value, "volumes", target}); loc.Depth == 4 {
				return loc
			}
		}
	}
	return Loc{}
}

// errorLocation finds the node a compose-go message is about: a model path
// it names, a service it names, an unknown top-level key, or a missing
// extends/include file.
func (p *Project) errorLocation(msg string) Loc {
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
func (p *Project) missingReference() Loc {
	for _, f := range p.AllFiles() {
		// In the order of the file, not of the Extends map: the same
		// error points at the same place on every run.
		var order []string
		if services := mapValue(f.Root(), "services"); services != nil {
			for i := 0; i+1 < len(services.Content); i += 2 {
				order = append(order, services.Content[i].Value)
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

// readDockerfiles reads the Dockerfile of each service built from a local
// context, so rules can see its VOLUME lines.
func (p *Project) readDockerfiles() {
	for name, svc := range p.Model.Services {
		if svc.Build == nil || svc.Build.DockerfileInline != "" {
			continue
		}
		ctxDir := svc.Build.Context
		if ctxDir == "" || strings.Contains(ctxDir, "://") || strings.HasPrefix(ctxDir, "git@") {
			continue
		}
		df := svc.Build.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		if !filepath.IsAbs(df) {
			df = filepath.Join(ctxDir, df)
		}
		if p.Dockerfiles == nil {
			p.Dockerfiles = map[string][]byte{}
		}
		b, err := readBounded(df)
		if err != nil {
			b = nil
		}
		p.Dockerfiles[name] = b
	}
}

// collectReferences parses the extends bases and included files of every
// file, recursively, so the locator can point into them. Each file is
// visited once, so include and extends cycles end (compose-go reports
// them). A file that does not exist is left to compose-go to report; one
// that exists but cannot be read or parsed within the limits (a FIFO, a
// device, a directory, too large, too deep) is an error here, before
// compose-go reads it without those checks: it would block on a FIFO and
// read /dev/zero until memory runs out.
func (p *Project) collectReferences() error {
	byAbs := map[string]*File{}
	for _, f := range p.Files {
		byAbs[f.Abs] = f
	}
	var refErr error
	get := func(from *File, ref *yaml.Node) *File {
		rel := ref.Value
		path := rel
		if !filepath.IsAbs(rel) {
			path = filepath.Join(filepath.Dir(from.Path), rel)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil
		}
		if f, ok := byAbs[abs]; ok {
			return f
		}
		byAbs[abs] = nil // cycle guard and negative cache
		f, err := readFile(path)
		if err != nil {
			p.refsMissing = true
			if _, serr := os.Stat(path); serr == nil && refErr == nil {
				refErr = err
				// Without a place inside the file, point at the reference.
				if e := (*Error)(nil); errors.As(err, &e) && e.Line == 0 {
					refErr = &Error{File: from.Path, Line: ref.Line, Column: ref.Column, Msg: fmt.Sprintf("%s: %s", rel, e.Msg)}
				}
			}
			return nil
		}
		byAbs[abs] = f
		p.Extra = append(p.Extra, f)
		return f
	}
	queue := append([]*File{}, p.Files...)
	queued := map[*File]bool{}
	for _, f := range queue {
		queued[f] = true
	}
	enqueue := func(f *File) {
		if !queued[f] {
			queued[f] = true
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		root := f.Root()
		if root == nil {
			continue
		}
		for _, ref := range includeNodes(root) {
			if inc := get(f, ref); inc != nil {
				f.Includes = append(f.Includes, inc)
				enqueue(inc)
			}
		}
		services := mapValue(root, "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			name, svc := services.Content[i].Value, resolve(services.Content[i+1])
			ext := resolve(mapValue(svc, "extends"))
			if ext == nil {
				continue
			}
			ref := ExtendsRef{}
			switch ext.Kind {
			case yaml.ScalarNode:
				ref.Service = ext.Value
			case yaml.MappingNode:
				if s := resolve(mapValue(ext, "service")); s != nil {
					ref.Service = s.Value
				}
				if fn := resolve(mapValue(ext, "file")); fn != nil && fn.Value != "" {
					ref.File = get(f, fn)
					ref.Missing = ref.File == nil
					if ref.File != nil {
						enqueue(ref.File)
					}
				}
			}
			if f.Extends == nil {
				f.Extends = map[string]ExtendsRef{}
			}
			f.Extends[name] = ref
		}
	}
	return refErr
}

// includePaths lists the files of a top-level `include:` (short form,
// `path:` string or list).
func includePaths(root *yaml.Node) []string {
	var out []string
	for _, n := range includeNodes(root) {
		out = append(out, n.Value)
	}
	return out
}

// includeNodes is includePaths as the scalar nodes that name the files.
func includeNodes(root *yaml.Node) []*yaml.Node {
	inc := resolve(mapValue(root, "include"))
	if inc == nil || inc.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, item := range inc.Content {
		item = resolve(item)
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, item)
		case yaml.MappingNode:
			path := resolve(mapValue(item, "path"))
			if path == nil {
				continue
			}
			if path.Kind == yaml.ScalarNode {
				out = append(out, path)
			}
			for _, s := range path.Content {
				if s = resolve(s); s.Kind == yaml.ScalarNode {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
