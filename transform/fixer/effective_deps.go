package fixer

import (
	"bytes"
	"hash/maphash"
	"maps"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
)

// Why this file exists: in a directory of many compose files sharing one
// .env (a monorepo's examples/, the corpus), every fix that adds a line
// to that .env changes a file every sibling run reads, and re-loading
// each of them before and after every pass cost most of `fix`. A run's
// result depends on the .env only through the variables it looks up:
// evaluate records them (interpolation, `environment:` entries without a
// value, build args, env_file expansion, environment secrets), and a
// result stands for another state of the files when every other file it
// read has the same bytes and each of those variables resolves the same.

// recording wraps substitute so that every variable interpolation looks
// up is recorded (compose-go's include and project name interpolate
// through it too).
func (v *view) recording(sub func(string, template.Mapping) (string, error)) func(string, template.Mapping) (string, error) {
	if v.deps == nil {
		return sub
	}
	var mu sync.Mutex
	return func(s string, m template.Mapping) (string, error) {
		return sub(s, func(name string) (string, bool) {
			mu.Lock()
			v.deps[name] = true
			mu.Unlock()
			return m(name)
		})
	}
}

// resolver is the model's environment lookup, recorded.
func (v *view) resolver(model *types.Project) func(string) (string, bool) {
	return func(k string) (string, bool) {
		if v.deps != nil {
			v.deps[k] = true
		}
		return model.Environment.Resolve(k)
	}
}

// getEnv reads a file for the interpolation environment.
func (v *view) getEnv(abs string) ([]byte, bool) {
	if v.envRead != nil {
		v.envRead[abs] = true
	}
	return v.fetch(abs)
}

// keep records, once the load is done, what it depended on, given the
// environment interpolation saw (env, before the load added to it) and
// the compose files loaded. compose-go's normalisation reads the values
// of `environment:` entries and build args that have none straight from
// that environment, and a COMPOSE_ variable may steer the loader itself:
// those count as looked up too. What containerOf reads next is late.
func (v *view) keep(model *types.Project, env map[string]string, files []types.ConfigFile) {
	v.loaded = true
	if v.deps == nil {
		return
	}
	// An entry with a value of its own ignores the environment; one
	// without (nil), or whose value is what the environment holds (it
	// may come from there), reads it.
	reads := func(k string, val *string) {
		if got, ok := env[k]; val == nil || ok && got == *val {
			v.deps[k] = true
		}
	}
	builds := false
	for _, svc := range model.Services {
		for k, val := range svc.Environment {
			reads(k, val)
		}
		if svc.Build != nil {
			builds = true
			for k, val := range svc.Build.Args {
				reads(k, val)
			}
		}
	}
	if builds {
		// A build arg without a value that the environment does not set
		// is dropped from the model: any name the files hold may be one.
		for _, f := range files {
			words(f.Content, v.deps)
		}
	}
	for k := range env {
		if strings.HasPrefix(k, "COMPOSE_") {
			v.deps[k] = true
		}
	}
	v.env = map[string]string{}
	for k := range v.deps {
		if val, ok := env[k]; ok {
			v.env[k] = val
		}
	}
	v.loadDeps = maps.Clone(v.deps)
}

// result is the effective configuration v read, reusable (reuse) when
// the load recorded what it depended on.
func (v *view) result(services map[string]*container, model *types.Project) *effective {
	e := &effective{services: services, read: v.read}
	if v.loadDeps == nil {
		return e
	}
	e.deps, e.env, e.model = v.loadDeps, v.env, model
	e.envRead, e.late, e.structural = v.envRead, map[string]bool{}, v.direct
	for f := range v.late {
		if !v.direct[f] {
			e.late[f] = true
		}
	}
	return e
}

// reuse is e, a result of run rs (err, its error), for the files of
// overlay, when no load is needed for it: e itself when nothing it read
// changed; derived from e's model when only the interpolation environment
// (with the same value for every variable the load looked up) or the
// containers' files (env files, secret files) did, with the error of the
// derivation (an env file still missing). ok is false when rs must be
// loaded.
func (c *runCheck) reuse(e *effective, err error, rs runSpec, environ []string, overlay map[string][]byte) (*effective, bool, error) {
	v := &view{overlay: overlay, read: map[string][]byte{}, disk: c.reads}
	envChanged, lateChanged := false, false
	for abs, b := range e.read {
		now, ok := overlay[abs]
		if !ok {
			now = c.disk(abs)
		}
		if bytes.Equal(now, b) {
			continue
		}
		if e.model == nil || e.structural[abs] || !e.envRead[abs] && !e.late[abs] {
			return nil, false, nil
		}
		envChanged = envChanged || e.envRead[abs]
		lateChanged = lateChanged || e.late[abs]
	}
	if !envChanged && !lateChanged {
		return e, true, err
	}
	env := e.model.Environment
	if envChanged {
		now, err := c.environment(rs, environ, overlay)
		if err != nil {
			return nil, false, nil
		}
		for k := range e.deps {
			old, had := e.env[k]
			val, has := now[k]
			if had != has || old != val {
				return nil, false, nil
			}
		}
		for k := range now {
			if strings.HasPrefix(k, "COMPOSE_") && !e.deps[k] {
				return nil, false, nil
			}
		}
		env = maps.Clone(now)
		if name, ok := e.model.Environment[consts.ComposeProjectName]; ok {
			env[consts.ComposeProjectName] = name // as the loader sets it
		}
	}
	model := *e.model
	model.Environment = env
	nv := &view{overlay: overlay, read: map[string][]byte{}, deps: map[string]bool{}, direct: map[string]bool{}, late: map[string]bool{}, loaded: true, disk: c.reads}
	services, err := containersOf(&model, nv)
	out := &effective{services: services, read: nv.read, deps: e.deps, env: e.env, model: &model,
		envRead: e.envRead, late: map[string]bool{}, structural: e.structural}
	for abs := range e.read {
		if e.structural[abs] || e.envRead[abs] {
			out.read[abs], _ = v.fetch(abs)
		}
	}
	for abs := range nv.late {
		if !e.structural[abs] {
			out.late[abs] = true
		}
	}
	if err != nil {
		out.services = nil
	}
	return out, true, err
}

// envCache holds the interpolation environments holds computed, by the
// bytes of the files they were made from.
type envCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64][]envEntry
}

type envEntry struct {
	key []byte
	env map[string]string
	err error
}

// environment is runEnvironment with overlay's files, cached: the siblings
// of one directory share one .env.
func (c *runCheck) environment(rs runSpec, environ []string, overlay map[string][]byte) (map[string]string, error) {
	v := &view{overlay: overlay, read: map[string][]byte{}, disk: c.reads}
	files, _ := interpolationFiles(rs)
	var key []byte
	for _, f := range files {
		b, ok := v.fetch(f)
		key = append(key, f...)
		if ok {
			key = append(append(key, 1), b...)
		}
		key = append(key, 0)
	}
	c.envs.mu.Lock()
	defer c.envs.mu.Unlock()
	if c.envs.m == nil {
		c.envs.m = map[uint64][]envEntry{}
		c.envs.seed = maphash.MakeSeed()
	}
	h := maphash.Bytes(c.envs.seed, key)
	for _, e := range c.envs.m[h] {
		if bytes.Equal(e.key, key) {
			return e.env, e.err
		}
	}
	env, err := runEnvironment(rs, environ, v)
	c.envs.m[h] = append(c.envs.m[h], envEntry{key: key, env: env, err: err})
	return env, err
}

// words adds to out every name a variable could have in b.
func words(b []byte, out map[string]bool) {
	isStart := func(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
	for i := 0; i < len(b); {
		if !isStart(b[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(b) && (isStart(b[j]) || b[j] >= '0' && b[j] <= '9') {
			j++
		}
		out[string(b[i:j])] = true
		i = j
	}
}

// fileWords are the names a compose file's text holds: words (variable
// names) and paths (file names: runs of name and path bytes between
// slashes, quotes, colons, spaces...).
type fileWords struct {
	text         []byte
	words, paths map[string]bool
}

// readsAny reports whether the file may read one of vars: names it as a
// whole word where a variable is read (readWords: interpolation, an
// entry without a value); a longer name that contains it (MY_NAME_2) is
// another variable. The words of each file are kept while its text is
// the same: the siblings of a folder are tested every pass.
func (w fileWords) readsAny(vars []string) bool {
	for _, v := range vars {
		if w.words[v] {
			return true
		}
	}
	return false
}

// disk is a file's bytes on disk (nil: absent or not a regular file),
// read once per Run: the disk does not change while fixes are planned
// (Apply checks each file again before it writes), and a stat per file
// per run judged costs as much as the rest of the check.
func (c *runCheck) disk(abs string) []byte {
	b, _ := c.reads.read(abs)
	return b
}

// wordsOf is the words of file f, whose text is b, kept while it is.
func (c *runCheck) wordsOf(f string, b []byte) fileWords {
	if c.words == nil {
		c.words = map[string]fileWords{}
	}
	w, ok := c.words[f]
	if !ok || !bytes.Equal(w.text, b) {
		w = fileWords{text: b, words: map[string]bool{}, paths: map[string]bool{}}
		readWords(b, w.words)
		pathWords(b, w.paths)
		c.words[f] = w
	}
	return w
}

// namesAny reports whether the file names one of bases (file names with
// only path bytes, plainName) as a path word: it looks up the fewer of
// the two sets in the other.
func (w fileWords) namesAny(bases map[string]int) bool {
	if len(bases) < len(w.paths) {
		for base := range bases {
			if w.paths[base] {
				return true
			}
		}
		return false
	}
	for p := range w.paths {
		if bases[p] > 0 && plainName(p) {
			return true
		}
	}
	return false
}

// plainName reports whether a file name is a path word itself: path
// bytes only, not starting with a dash.
func plainName(base string) bool {
	if base == "" || base[0] == '-' {
		return false
	}
	for i := 0; i < len(base); i++ {
		if !isPathByte(base[i]) {
			return false
		}
	}
	return true
}

func isPathByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// pathWords adds to out every run of path bytes in b, and each without
// its leading dashes (${F:-name} holds ":-name").
func pathWords(b []byte, out map[string]bool) {
	for i := 0; i < len(b); {
		if !isPathByte(b[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(b) && isPathByte(b[j]) {
			j++
		}
		w := string(b[i:j])
		out[w] = true
		out[strings.TrimLeft(w, "-")] = true
		i = j
	}
}
