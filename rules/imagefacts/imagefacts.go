// Package imagefacts reads image configs (declared VOLUMEs, Env, User,
// WorkingDir, Entrypoint and Cmd) for images the curated knowledge does
// not know: from the local Docker engine when one answers (never
// pulling), and from the image's registry when that is enabled, through
// an on-disk cache. It is off by default: a lint then never waits on a
// socket or the network. Nothing here fails a lint: what could not be
// read is said in Notes.
package imagefacts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/composure-dev/composure/rules/knowledge"
)

// Mode says where image configs are read from.
type Mode int

// Modes: ModeOff reads nothing; ModeLocal asks the local engine;
// ModeRegistry asks the local engine, then the cache, then the registry.
const (
	ModeOff Mode = iota
	ModeLocal
	ModeRegistry
)

// Modes lists the accepted names, for flags and the config file.
var Modes = []string{"off", "local", "registry"}

// ParseMode reads "off", "local" or "registry".
func ParseMode(s string) (Mode, error) {
	for i, m := range Modes {
		if s == m {
			return Mode(i), nil
		}
	}
	return ModeOff, fmt.Errorf("%q: want off, local or registry", s)
}

func (m Mode) String() string { return Modes[m] }

// Sources of a config, as ImageConfig.Source says them.
const (
	SourceEngine   = "local engine"
	SourceRegistry = "registry"
	SourceCache    = "cache"
)

// Options configure a Resolver. Zero values pick the defaults.
type Options struct {
	Mode Mode
	// Getenv reads DOCKER_HOST, DOCKER_TLS_VERIFY, XDG_RUNTIME_DIR and HOME
	// (default os.Getenv).
	Getenv func(string) string
	// EngineTimeout and RegistryTimeout bound one lookup (default 2 s
	// and 5 s).
	EngineTimeout, RegistryTimeout time.Duration
	// Cache keeps registry answers (default: DefaultCacheDir with a TTL
	// of 24 hours). Cache.Dir "" turns it off.
	Cache *Cache
	// Registry reads from registries (default: the user's keychain).
	Registry *Registry
}

// Resolver answers knowledge.ImageConfigs for one run: each reference is
// looked up once, however many projects and services name it, and safely
// from parallel lint jobs.
type Resolver struct {
	opts     Options
	engine   *Engine
	engineMu sync.Mutex
	// engineErr is why the engine is not asked (unreachable, unsupported
	// address); set once.
	engineErr error

	mu    sync.Mutex
	calls map[string]*call
	// registryDown: registry host → why it did not answer; later lookups
	// there are skipped.
	registryDown map[string]error
	skipped      map[string]int // registry host → lookups skipped
	notLocal     []string       // refs the engine does not have (local mode)
	failed       map[string]string
	cacheErr     error
}

type call struct {
	done chan struct{}
	cfg  *knowledge.ImageConfig
}

// New returns a Resolver, or nil when o.Mode is ModeOff.
func New(o Options) *Resolver {
	if o.Mode == ModeOff {
		return nil
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.EngineTimeout == 0 {
		o.EngineTimeout = 2 * time.Second
	}
	if o.RegistryTimeout == 0 {
		o.RegistryTimeout = 5 * time.Second
	}
	if o.Cache == nil {
		o.Cache = &Cache{Dir: DefaultCacheDir(), TTL: 24 * time.Hour}
	}
	if o.Registry == nil {
		o.Registry = &Registry{}
	}
	r := &Resolver{opts: o, calls: map[string]*call{}, registryDown: map[string]error{}, skipped: map[string]int{}, failed: map[string]string{}}
	r.engine, r.engineErr = NewEngine(engineHost(o.Getenv), o.Getenv("DOCKER_TLS_VERIFY") != "")
	return r
}

// ImageConfig implements knowledge.ImageConfigs.
func (r *Resolver) ImageConfig(ref string) (*knowledge.ImageConfig, bool) {
	ref = strings.TrimSpace(ref)
	if !usableRef(ref) {
		return nil, false
	}
	r.mu.Lock()
	c, seen := r.calls[ref]
	if !seen {
		c = &call{done: make(chan struct{})}
		r.calls[ref] = c
	}
	r.mu.Unlock()
	if seen {
		<-c.done
	} else {
		c.cfg = r.lookup(ref)
		close(c.done)
	}
	return c.cfg, c.cfg != nil
}

// usableRef: a reference the engine and registries can be asked about,
// not one holding an unresolved variable or a placeholder, nor scratch.
func usableRef(ref string) bool {
	if ref == "" || strings.EqualFold(ref, "scratch") {
		return false
	}
	for _, c := range ref {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-/:@", c)) {
			return false
		}
	}
	return true
}

func (r *Resolver) lookup(ref string) *knowledge.ImageConfig {
	if cfg, err := r.fromEngine(ref); err == nil {
		return cfg
	} else if errors.Is(err, errNotPresent) && r.opts.Mode == ModeLocal {
		r.mu.Lock()
		r.notLocal = append(r.notLocal, ref)
		r.mu.Unlock()
	}
	if r.opts.Mode != ModeRegistry {
		return nil
	}
	return r.fromRegistry(ref)
}

func (r *Resolver) fromEngine(ref string) (*knowledge.ImageConfig, error) {
	r.engineMu.Lock()
	e, down := r.engine, r.engineErr
	r.engineMu.Unlock()
	if down != nil {
		return nil, down
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.EngineTimeout)
	defer cancel()
	cfg, err := e.ImageConfig(ctx, ref)
	var unreachable *unreachableError
	if errors.As(err, &unreachable) {
		r.engineMu.Lock()
		if r.engineErr == nil {
			r.engineErr = fmt.Errorf("no Docker engine answered at %s (%w)", e.Host, unreachable.err)
		}
		r.engineMu.Unlock()
	}
	return cfg, err
}

func (r *Resolver) fromRegistry(ref string) *knowledge.ImageConfig {
	parsed, err := name.ParseReference(ref)
	if err != nil {
		r.fail(ref, err)
		return nil
	}
	platform := r.opts.Registry.platform()
	cache := r.opts.Cache
	// A digest names fixed content: its entry never expires. A tag's
	// entry says which digest it pointed to, while fresh.
	digest, ok := "", false
	if d, isDigest := parsed.(name.Digest); isDigest {
		digest, ok = d.DigestStr(), true
	} else {
		digest, ok = cache.Digest(parsed.String(), platform)
	}
	if ok {
		if cfg, hit := cache.Config(digest, platform); hit {
			cfg.Source = SourceCache
			return cfg
		}
	}
	host := parsed.Context().RegistryStr()
	r.mu.Lock()
	down := r.registryDown[host]
	if down != nil {
		r.skipped[host]++
	}
	r.mu.Unlock()
	if down != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.RegistryTimeout)
	defer cancel()
	if !ok && cache != nil && cache.Dir != "" {
		// The tag's entry expired or is missing: when the digest it
		// points to now is cached, a HEAD is all it costs.
		if d, err := r.opts.Registry.Digest(ctx, parsed); err == nil {
			if cfg, hit := cache.Config(d, platform); hit {
				r.store(parsed.String(), platform, cfg)
				cfg.Source = SourceCache
				return cfg
			}
		}
	}
	cfg, err := r.opts.Registry.ImageConfig(ctx, parsed)
	if err != nil {
		var unreachable *unreachableError
		if errors.As(err, &unreachable) {
			r.mu.Lock()
			if r.registryDown[host] == nil {
				r.registryDown[host] = err
			}
			r.mu.Unlock()
			return nil
		}
		r.fail(ref, err)
		return nil
	}
	r.store(parsed.String(), platform, cfg)
	return cfg
}

// store writes a registry answer to the cache; the first failure is noted.
func (r *Resolver) store(ref, platform string, cfg *knowledge.ImageConfig) {
	if err := r.opts.Cache.Put(ref, platform, cfg); err != nil {
		r.mu.Lock()
		if r.cacheErr == nil {
			r.cacheErr = err
		}
		r.mu.Unlock()
	}
}

func (r *Resolver) fail(ref string, err error) {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	r.mu.Lock()
	r.failed[ref] = msg
	r.mu.Unlock()
}

// Notes says what could not be read, one line each, for stderr: the
// images whose state was then not checked. Empty when everything asked
// about was read (or the resolver is nil).
func (r *Resolver) Notes() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.engineMu.Lock()
	engineErr := r.engineErr
	r.engineMu.Unlock()
	var out []string
	// In registry mode, no engine is what CI runners usually have: said
	// only when DOCKER_HOST named one.
	if engineErr != nil && len(r.calls) > 0 && (r.opts.Mode == ModeLocal || r.opts.Getenv("DOCKER_HOST") != "") {
		what := "images were read from their registries only"
		if r.opts.Mode == ModeLocal {
			what = "image configs were not read: images no entry knows were not checked"
		}
		out = append(out, fmt.Sprintf("images: %v; %s", engineErr, what))
	}
	if len(r.notLocal) > 0 {
		sort.Strings(r.notLocal)
		out = append(out, fmt.Sprintf("images: %d not present in the local engine, so not checked (pull them, or use --images=registry): %s",
			len(r.notLocal), list(r.notLocal)))
	}
	hosts := make([]string, 0, len(r.registryDown))
	for h := range r.registryDown {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		msg := firstLine(r.registryDown[h].Error())
		out = append(out, fmt.Sprintf("images: registry %s did not answer (%s); %d images there were not checked", h, msg, r.skipped[h]+1))
	}
	refs := make([]string, 0, len(r.failed))
	for ref := range r.failed {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		out = append(out, fmt.Sprintf("images: could not read the config of %s, so it was not checked: %s", ref, r.failed[ref]))
	}
	if r.cacheErr != nil {
		out = append(out, fmt.Sprintf("images: could not write the cache: %v", r.cacheErr))
	}
	return out
}

func list(refs []string) string {
	const max = 10
	if len(refs) <= max {
		return strings.Join(refs, ", ")
	}
	return strings.Join(refs[:max], ", ") + fmt.Sprintf(" and %d more", len(refs)-max)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
