package fixer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/dotenv"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/write"
)

// Why this file exists: a fixed file that loads is not a fixed project
// that runs. What matters is what each container receives: its
// environment after env_file and interpolation, the content of the secret
// a <VAR>_FILE variable names, and the rest of its configuration. This
// file computes that for one run (runs.go) with compose-go, from the files
// as a fix leaves them, and compares two of them.

// effective is what each container of one run receives.
type effective struct {
	services map[string]*container
	// read are the files the run read, with the bytes read (nil: absent):
	// the result holds as long as they do.
	read map[string][]byte
	// deps, when set, are the variables of the interpolation environment
	// the load looked up, with their values (env): the load holds as long
	// as the files it read itself are the same and those variables
	// resolve the same, whatever else changes in a shared .env
	// (effective_deps.go).
	deps map[string]bool
	env  map[string]string
	// envRead are the files read for the interpolation environment,
	// late those read for the containers only (env files, secret files),
	// structural those the load itself read (no reuse when they change);
	// model is the load, from which reuse derives the containers again.
	envRead, late, structural map[string]bool
	model                     *types.Project
}

// container is one service's effective configuration.
type container struct {
	// values are the variables its process gets: set directly, or through
	// a <VAR>_FILE that names one of its secrets (the secret's content).
	values map[string]string
	// both are the variables set directly and through <VAR>_FILE: the
	// postgres and mariadb entrypoints refuse to start.
	both map[string]bool
	// rest is the rest of the service, by key, as compose-go renders it.
	rest map[string]json.RawMessage
}

// view reads files as a fix leaves them: the overlay first, then the
// disk, and records what it read.
type view struct {
	overlay map[string][]byte
	read    map[string][]byte
	// deps records the variables looked up (effective_deps.go); envRead
	// the files read for the interpolation environment, direct the files
	// read for anything else.
	deps    map[string]bool
	envRead map[string]bool
	direct  map[string]bool
	// loaded: the load is done, reads are the containers' (late).
	loaded bool
	late   map[string]bool
	// loadDeps and env are what keep recorded of the load.
	loadDeps map[string]bool
	env      map[string]string
	// disk, when set, holds what this Run read from the disk.
	disk *diskReads
}

func (v *view) get(abs string) ([]byte, bool) {
	switch {
	case v.loaded && v.late != nil:
		v.late[abs] = true
	case v.direct != nil:
		v.direct[abs] = true
	}
	return v.fetch(abs)
}

func (v *view) fetch(abs string) ([]byte, bool) {
	if b, ok := v.overlay[abs]; ok {
		v.read[abs] = b
		return b, true
	}
	b, ok := v.disk.read(abs)
	v.read[abs] = b
	return b, ok
}

// diskReads caches the files a Run reads from the disk, which does not
// change while fixes are planned (Apply checks each file again before it
// writes): a sibling judged against each change of a pass alone reads
// its compose and env files once, not once per trial. A nil one reads
// every time.
type diskReads struct{ m sync.Map }

type diskRead struct {
	b  []byte
	ok bool
}

// read is a regular file's bytes; ok is false when it is absent or not
// a regular file (nil bytes then).
func (d *diskReads) read(abs string) ([]byte, bool) {
	if d != nil {
		if r, ok := d.m.Load(abs); ok {
			return r.(diskRead).b, r.(diskRead).ok
		}
	}
	b, err := write.ReadRegular(abs)
	if err != nil {
		b = nil
	}
	if d != nil {
		d.m.Store(abs, diskRead{b, err == nil})
	}
	return b, err == nil
}

// evaluate loads run rs with the files of overlay, as docker compose
// would: interpolation from the process environment and the .env (or the
// --env-file list), then each service's env files. Strict, a missing
// `${VAR:?}` fails the load as it fails `docker compose up`; lenient, it
// reads as a placeholder, so that a run that never loads here (a variable
// set at deploy time) can still be compared with itself. Files not in
// overlay are read from the disk through disk (nil: read every time).
func evaluate(ctx context.Context, rs runSpec, environ []string, overlay map[string][]byte, lenient bool, disk *diskReads) (*effective, error) {
	v := &view{overlay: overlay, read: map[string][]byte{}, deps: map[string]bool{}, envRead: map[string]bool{}, direct: map[string]bool{}, late: map[string]bool{}, disk: disk}
	env, err := runEnvironment(rs, environ, v)
	if err != nil {
		return &effective{read: v.read}, err
	}
	details := types.ConfigDetails{WorkingDir: rs.spec.Dir, Environment: env}
	for _, f := range rs.spec.Files {
		b, ok := v.get(f)
		if !ok {
			return &effective{read: v.read}, fmt.Errorf("%s cannot be read", relTo(rs.spec.Dir, f))
		}
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: f, Content: b})
	}
	name := loader.NormalizeProjectName(filepath.Base(rs.spec.Dir))
	if name == "" {
		name = "composure"
	}
	substitute := template.Substitute
	if lenient {
		substitute = placeholderSubstitute
	}
	seen := maps.Clone(env) // the loader adds to it
	model, err := loadModel(ctx, details, name, v.recording(substitute))
	if err != nil {
		return &effective{read: v.read}, err
	}
	v.keep(model, seen, details.ConfigFiles)
	services, err := containersOf(model, v)
	if err != nil {
		// The model stays: a run whose env file is missing is derived
		// again from it, not loaded again, while the load holds (reuse).
		return v.result(nil, model), err
	}
	return v.result(services, model), nil
}

// containersOf is what each service of model receives, its files read
// through v.
func containersOf(model *types.Project, v *view) (map[string]*container, error) {
	out := map[string]*container{}
	for _, sname := range slices.Sorted(maps.Keys(model.Services)) {
		c, err := containerOf(model, model.Services[sname], v)
		if err != nil {
			return nil, fmt.Errorf("service %q: %w", sname, err)
		}
		out[sname] = c
	}
	return out, nil
}

// fromModel is the effective configuration of a project a lint pass
// loaded (with overlay): the fix loop loads the linted projects anyway,
// before and after each pass, and a second load of each would double the
// cost of fixing. The loader is lenient where compose is strict (a
// missing ${VAR:?} reads as empty, with a note): required lists the
// variables it noted missing, which the caller compares.
func fromModel(p *project.Project, envFiles []string, overlay map[string][]byte) (*effective, map[string]bool, error) {
	v := &view{overlay: overlay, read: map[string][]byte{}}
	for _, f := range p.AllFiles() {
		v.read[f.Abs] = f.Content
	}
	if len(envFiles) > 0 {
		for _, f := range envFiles {
			v.get(f)
		}
	} else {
		v.get(filepath.Join(p.Dir, ".env"))
	}
	out := &effective{services: map[string]*container{}, read: v.read}
	for _, sname := range slices.Sorted(maps.Keys(p.Model.Services)) {
		c, err := containerOf(p.Model, p.Model.Services[sname], v)
		if err != nil {
			return out, nil, fmt.Errorf("service %q: %w", sname, err)
		}
		out.services[sname] = c
	}
	required := map[string]bool{}
	for _, n := range p.Notes {
		if rest, ok := strings.CutPrefix(n.Msg, "required variable "); ok {
			name, _, _ := strings.Cut(rest, " ")
			required[name] = true
		}
	}
	return out, required, nil
}

// loadModel is compose-go's load, recovered: it panics on some inputs.
// It goes through strictLoad (project.LoadModelStrict): lint's fast load
// where that gives compose-go's result, compose-go's own load where it
// might not; the same model, error and looked-up variables for about a
// third less CPU (these loads were a fifth of a corpus fix's CPU).
func loadModel(ctx context.Context, details types.ConfigDetails, name string, substitute func(string, template.Mapping) (string, error)) (model *types.Project, err error) {
	defer func() {
		if r := recover(); r != nil {
			model, err = nil, fmt.Errorf("compose-go could not load it: %v", r)
		}
	}()
	return strictLoad(ctx, details, name, func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.Profiles = []string{"*"}
		// env_file is resolved below, from the overlay; label files do
		// not reach what this compares.
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		if o.Interpolate == nil {
			o.Interpolate = &interp.Options{}
		}
		o.Interpolate.Substitute = substitute
	}, substitute)
}

// placeholderSubstitute is compose's interpolation with each variable a
// `${VAR:?}` finds missing read as a placeholder.
func placeholderSubstitute(s string, m template.Mapping) (string, error) {
	forced := map[string]bool{}
	for {
		out, err := template.Substitute(s, func(name string) (string, bool) {
			if forced[name] {
				return "<unset " + name + ">", true
			}
			return m(name)
		})
		var missing *template.MissingRequiredError
		if errors.As(err, &missing) && !forced[missing.Variable] {
			forced[missing.Variable] = true
			continue
		}
		return out, err
	}
}

// runEnvironment is what interpolation sees: the process environment,
// then the variables of the --env-file list or of the .env it does not
// set (the shell wins, as in docker compose).
func runEnvironment(rs runSpec, environ []string, v *view) (map[string]string, error) {
	if environ == nil {
		environ = os.Environ()
	}
	env := map[string]string{}
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok {
			env[k] = val
		}
	}
	files, optional := interpolationFiles(rs)
	fromFiles := map[string]string{}
	for _, f := range files {
		b, ok := v.getEnv(f)
		if !ok {
			if optional {
				continue
			}
			return nil, fmt.Errorf("couldn't find env file: %s", relTo(rs.spec.Dir, f))
		}
		vars, err := dotenv.ParseWithLookup(bytes.NewReader(b), func(k string) (string, bool) {
			if val, ok := env[k]; ok {
				return val, true
			}
			val, ok := fromFiles[k]
			return val, ok
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", relTo(rs.spec.Dir, f), err)
		}
		maps.Copy(fromFiles, vars)
	}
	for k, val := range fromFiles {
		if _, set := env[k]; !set {
			env[k] = val
		}
	}
	return env, nil
}

// interpolationFiles are the env files interpolation reads: the
// --env-file list, or the optional .env of the project directory.
func interpolationFiles(rs runSpec) (files []string, optional bool) {
	if len(rs.envFiles) > 0 {
		return rs.envFiles, false
	}
	return []string{filepath.Join(rs.spec.Dir, ".env")}, true
}

// missingEnvFile is a required env file that is not there: the service
// does not start.
type missingEnvFile struct{ path, rel string }

func (e *missingEnvFile) Error() string { return "env file " + e.rel + " not found" }

// startsByDefault reports whether the run starts svc without a
// --profile: it has no profiles, or one that COMPOSE_PROFILES enables.
func startsByDefault(model *types.Project, svc types.ServiceConfig) bool {
	if len(svc.Profiles) == 0 {
		return true
	}
	for _, p := range strings.Split(model.Environment[consts.ComposeProfiles], ",") {
		if p = strings.TrimSpace(p); p == "*" || slices.Contains(svc.Profiles, p) {
			return true
		}
	}
	return false
}

// containerOf resolves one service's environment as compose-go's
// WithServicesEnvironmentResolved does, reading its env files through v,
// and the secrets its <VAR>_FILE variables name.
func containerOf(model *types.Project, svc types.ServiceConfig, v *view) (*container, error) {
	// Resolve fills the map in place: a copy, the model may be a lint's.
	explicit := maps.Clone(svc.Environment).Resolve(v.resolver(model))
	environment := explicit.ToMapping()
	for _, ef := range svc.EnvFiles {
		b, ok := v.get(ef.Path)
		if !ok {
			// A service the run does not start by default (its profiles
			// are not in COMPOSE_PROFILES) does not stop it: docker
			// compose reads the env files of the services it starts. Its
			// missing file reads as empty, as a file a pass creates is
			// judged against a blank one (beforeCreated).
			if bool(ef.Required) && startsByDefault(model, svc) {
				return nil, &missingEnvFile{path: ef.Path, rel: relTo(model.WorkingDir, ef.Path)}
			}
			continue
		}
		err := dotenv.ParseWithFormat(bytes.NewReader(b), ef.Path, environment, func(k string) (string, bool) {
			if val, ok := v.resolver(model)(k); ok {
				return val, true
			}
			if s, ok := explicit[k]; ok && s != nil {
				return *s, true
			}
			return "", false
		}, ef.Format)
		if err != nil {
			return nil, err
		}
	}
	final := environment.ToMappingWithEquals().OverrideBy(explicit)

	// The secrets the service is granted, by the paths and names a
	// <VAR>_FILE may give (an image that adds /run/secrets/ itself is
	// given the name alone).
	secretAt := map[string]string{}
	for _, grant := range svc.Secrets {
		content := secretContent(model, grant.Source, v)
		target := grant.Target
		if target == "" {
			target = grant.Source
		}
		if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		secretAt[target] = content
		// compose-go gives the target as a path; an image that adds
		// /run/secrets/ itself (minio) is given the name alone.
		if strings.HasPrefix(target, "/run/secrets/") {
			secretAt[strings.TrimPrefix(target, "/run/secrets/")] = content
		}
	}
	c := &container{values: map[string]string{}, both: map[string]bool{}}
	byFile := map[string]string{}
	for k, val := range final {
		if val == nil {
			continue
		}
		if base, ok := fileVarBase(k); ok {
			if content, granted := secretAt[*val]; granted {
				byFile[base] = content
				continue
			}
		}
		c.values[k] = *val
	}
	for base, content := range byFile {
		if _, set := c.values[base]; set {
			c.both[base] = true
			continue
		}
		c.values[base] = content
	}
	svc.Environment = nil
	raw, err := json.Marshal(svc)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &c.rest); err != nil {
		return nil, err
	}
	return c, nil
}

// fileVarBase is VAR of VAR_FILE (or VAR__FILE, as some images spell it).
func fileVarBase(k string) (string, bool) {
	for _, suffix := range []string{"__FILE", "_FILE"} {
		if base, ok := strings.CutSuffix(k, suffix); ok && base != "" {
			return base, true
		}
	}
	return "", false
}

// secretContent is what a container finds in a secret: a file's bytes
// (as the fix leaves them), an environment variable's value; an external
// secret or an unreadable file is known by its name only.
func secretContent(model *types.Project, name string, v *view) string {
	s, ok := model.Secrets[name]
	switch {
	case !ok:
		return "\x00undeclared " + name
	case bool(s.External):
		return "\x00external " + name
	case s.File != "":
		if b, ok := v.get(s.File); ok {
			return string(b)
		}
		return "\x00missing " + s.File
	case s.Environment != "":
		if val, ok := v.resolver(model)(s.Environment); ok {
			return val
		}
		return unsetEnv + s.Environment
	case s.Content != "":
		return s.Content
	}
	return "\x00empty " + name
}

// unsetEnv starts the content of a secret whose environment variable is
// not set where composure runs: it is set where the stack is deployed,
// and matches what ${VAR} read here (empty, or the placeholder).
const unsetEnv = "\x00unset-env "

// same reports whether a container gets the same value after as before.
func same(before, after string) bool {
	if before == after {
		return true
	}
	if name, ok := strings.CutPrefix(after, unsetEnv); ok {
		return before == "" || before == "<unset "+name+">"
	}
	return false
}

// anyKey aims at every key of a service.
const anyKey = "*"

// aims are, per service, the keys of its configuration the applied fixes
// change on purpose.
type aims map[string]map[string]bool

// at reports whether a fix aims at key of service name (a finding that
// names no service may aim at any).
func (a aims) at(name, key string) bool {
	return a[name][key] || a[name][anyKey] || a[""][key] || a[""][anyKey]
}

// aimOf adds what a fix of rule aims at in service.
func (a aims) add(rule, service string) {
	var keys []string
	switch {
	case rule == "data-volume-container":
		// volumes_from becomes the named volumes it shared
		keys = []string{"volumes", "volumes_from", "depends_on"}
	case strings.HasPrefix(rule, "secret-"):
		keys = []string{"secrets"}
	case strings.Contains(rule, "volume") || strings.Contains(rule, "tmpfs") || strings.HasPrefix(rule, "state"):
		keys = []string{"volumes", "tmpfs"}
	default:
		// a rule this table does not know (a test's, a new one): its
		// fix may aim anywhere in the service; the values still count
		keys = []string{anyKey}
	}
	if a[service] == nil {
		a[service] = map[string]bool{}
	}
	for _, k := range keys {
		a[service][k] = true
	}
}

// compare lists what is wrong with after, given before and what the fixes
// aim at: each message names the service and the variable or key, never
// a value.
func compare(before, after *effective, aimed aims) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(before.services)) {
		b := before.services[name]
		a, ok := after.services[name]
		if !ok {
			out = append(out, fmt.Sprintf("service %q would be gone", name))
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(a.both)) {
			if !b.both[k] {
				out = append(out, fmt.Sprintf("service %q would get both %s and %s_FILE, and images that read %s_FILE refuse to start with both (set %s in one place only)", name, k, k, k, k))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(b.values)) {
			av, ok := a.values[k]
			switch {
			case !ok && !a.both[k]:
				out = append(out, fmt.Sprintf("service %q would no longer get %s", name, k))
			case ok && !same(b.values[k], av):
				out = append(out, fmt.Sprintf("service %q would get another value for %s", name, k))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(a.values)) {
			if _, had := b.values[k]; !had && !b.both[k] {
				out = append(out, fmt.Sprintf("service %q would get %s, which it did not have", name, k))
			}
		}
		var changed []string
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(b.rest, a.rest))) {
			if aimed.at(name, k) {
				continue
			}
			if !bytes.Equal(b.rest[k], a.rest[k]) {
				changed = append(changed, k)
			}
		}
		if len(changed) > 0 {
			out = append(out, fmt.Sprintf("service %q would change where no fix aims: %s", name, strings.Join(changed, ", ")))
		}
	}
	return out
}

// varsOnly are the variables whose value or delivery differs between
// before and after; ok tells whether that is all that differs but what a
// fix aims at (not when another key changed). A shared .env's failing run
// is then caused by the fixes that write one of these variables; when
// other keys changed too, those fixes still cause the variables' part.
// vars is nil when a service is gone (nothing can be said).
func varsOnly(before, after *effective, aimed aims) (vars map[string]bool, ok bool) {
	vars, ok = map[string]bool{}, true
	for name, b := range before.services {
		a, found := after.services[name]
		if !found {
			return nil, false
		}
		for k := range mergeKeys(b.rest, a.rest) {
			if !bytes.Equal(b.rest[k], a.rest[k]) && !aimed.at(name, k) {
				ok = false
			}
		}
		for k := range a.both {
			if !b.both[k] {
				vars[k] = true
			}
		}
		for k, bv := range b.values {
			if av, has := a.values[k]; !has || !same(bv, av) {
				vars[k] = true
			}
		}
		for k := range a.values {
			if _, had := b.values[k]; !had {
				vars[k] = true
			}
		}
	}
	return vars, ok
}

func mergeKeys(a, b map[string]json.RawMessage) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
