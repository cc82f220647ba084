package imagefacts

import (
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// testRegistry serves images built in the test from an in-process
// registry; requests counts what reached it. Nothing leaves the machine:
// its address is 127.0.0.1, which go-containerregistry speaks plain HTTP to.
type testRegistry struct {
	*httptest.Server
	host     string
	requests atomic.Int64
	gets     atomic.Int64 // GET requests for manifests (what Docker Hub rate-limits)
}

func newTestRegistry(t *testing.T) *testRegistry {
	t.Helper()
	r := &testRegistry{}
	h := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.requests.Add(1)
		if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/manifests/") {
			r.gets.Add(1)
		}
		h.ServeHTTP(w, req)
	}))
	t.Cleanup(r.Close)
	r.host = strings.TrimPrefix(r.URL, "http://")
	return r
}

// image builds an image whose config carries volumes, user and env.
func image(t *testing.T, cfg v1.Config) v1.Image {
	t.Helper()
	img, err := mutate.Config(empty.Image, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func (r *testRegistry) push(t *testing.T, repoTag string, img v1.Image) string {
	t.Helper()
	ref, err := name.ParseReference(r.host + "/" + repoTag)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	return ref.String()
}

func (r *testRegistry) pushIndex(t *testing.T, repoTag string, imgs map[string]v1.Image) string {
	t.Helper()
	idx := v1.ImageIndex(empty.Index)
	for arch, img := range imgs {
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	ref, err := name.ParseReference(r.host + "/" + repoTag)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(ref, idx); err != nil {
		t.Fatal(err)
	}
	return ref.String()
}

// registryResolver reads from registries only: DOCKER_HOST points at a
// socket nobody listens on, and the keychain is empty (anonymous).
func registryResolver(t *testing.T, cache *Cache, arch string) *Resolver {
	t.Helper()
	env := map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
	return New(Options{Mode: ModeRegistry, Getenv: func(k string) string { return env[k] }, Cache: cache,
		Registry: &Registry{Keychain: authn.NewMultiKeychain(), Arch: arch}})
}

func TestRegistryConfig(t *testing.T) {
	reg := newTestRegistry(t)
	ref := reg.push(t, "acme/store:1.0", image(t, v1.Config{
		Volumes: map[string]struct{}{"/var/lib/store": {}, "/var/log/store": {}},
		User:    "store", Env: []string{"STORE_HOME=/var/lib/store"}, WorkingDir: "/srv",
		Entrypoint: []string{"store"}, Cmd: []string{"serve"},
	}))
	r := registryResolver(t, &Cache{Dir: t.TempDir(), TTL: time.Hour}, "amd64")
	cfg, ok := r.ImageConfig(ref)
	if !ok {
		t.Fatalf("no config for %s; notes: %q", ref, r.Notes())
	}
	if want := []string{"/var/lib/store", "/var/log/store"}; !reflect.DeepEqual(cfg.Volumes, want) {
		t.Errorf("Volumes = %q, want %q", cfg.Volumes, want)
	}
	if cfg.User != "store" || cfg.WorkingDir != "/srv" || cfg.Source != SourceRegistry || !strings.HasPrefix(cfg.Digest, "sha256:") {
		t.Errorf("config = %+v", cfg)
	}
	if !reflect.DeepEqual(cfg.Entrypoint, []string{"store"}) || !reflect.DeepEqual(cfg.Cmd, []string{"serve"}) || !reflect.DeepEqual(cfg.Env, []string{"STORE_HOME=/var/lib/store"}) {
		t.Errorf("entrypoint, cmd, env = %q, %q, %q", cfg.Entrypoint, cfg.Cmd, cfg.Env)
	}
	notes := strings.Join(r.Notes(), "\n")
	if !strings.Contains(notes, "no Docker engine answered") || !strings.Contains(notes, "read from their registries only") {
		t.Errorf("notes do not say the engine did not answer: %q", notes)
	}
	// Asked again, from another service or project: no second request.
	before := reg.requests.Load()
	if _, ok := r.ImageConfig(ref); !ok || reg.requests.Load() != before {
		t.Errorf("second lookup: ok=%v, %d more requests", ok, reg.requests.Load()-before)
	}
}

func TestRegistryIndexPicksPlatform(t *testing.T) {
	reg := newTestRegistry(t)
	amd := image(t, v1.Config{Volumes: map[string]struct{}{"/amd64": {}}})
	arm := image(t, v1.Config{Volumes: map[string]struct{}{"/arm64": {}}})
	ref := reg.pushIndex(t, "acme/multi:2", map[string]v1.Image{"amd64": amd, "arm64": arm})
	for arch, want := range map[string]string{"arm64": "/arm64", "amd64": "/amd64", "s390x": "/amd64"} {
		r := registryResolver(t, &Cache{}, arch)
		cfg, ok := r.ImageConfig(ref)
		if !ok {
			t.Fatalf("%s: no config; notes: %q", arch, r.Notes())
		}
		if len(cfg.Volumes) != 1 || cfg.Volumes[0] != want {
			t.Errorf("host %s: Volumes = %q, want [%s]", arch, cfg.Volumes, want)
		}
	}
}

func TestRegistryCache(t *testing.T) {
	reg := newTestRegistry(t)
	ref := reg.push(t, "acme/cached:3", image(t, vols("/data")))
	dir := t.TempDir()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run := func() *Resolver {
		return registryResolver(t, &Cache{Dir: dir, TTL: time.Hour, Now: func() time.Time { return now }}, "amd64")
	}
	first, ok := run().ImageConfig(ref)
	if !ok || first.Source != SourceRegistry {
		t.Fatalf("first lookup: ok=%v cfg=%+v", ok, first)
	}

	// Within the TTL, a new run (a new resolver) reads the cache and asks
	// nothing.
	now = now.Add(30 * time.Minute)
	requests := reg.requests.Load()
	if cfg, ok := run().ImageConfig(ref); !ok || cfg.Source != SourceCache || !reflect.DeepEqual(cfg.Volumes, []string{"/data"}) {
		t.Errorf("within the TTL: ok=%v cfg=%+v", ok, cfg)
	}
	if reg.requests.Load() != requests {
		t.Errorf("%d requests within the TTL", reg.requests.Load()-requests)
	}

	// After the TTL, with the tag still on the same digest, a HEAD
	// refreshes the entry: no manifest GET.
	now = now.Add(2 * time.Hour)
	gets := reg.gets.Load()
	if cfg, ok := run().ImageConfig(ref); !ok || cfg.Source != SourceCache {
		t.Errorf("after the TTL, same digest: ok=%v cfg=%+v", ok, cfg)
	}
	if reg.gets.Load() != gets {
		t.Errorf("%d manifest GETs to refresh an unchanged tag", reg.gets.Load()-gets)
	}

	// A tag moved to new content is read again once its entry expires.
	reg.push(t, "acme/cached:3", image(t, vols("/data", "/moved")))
	now = now.Add(2 * time.Hour)
	if cfg, ok := run().ImageConfig(ref); !ok || cfg.Source != SourceRegistry || len(cfg.Volumes) != 2 {
		t.Errorf("after the tag moved: ok=%v cfg=%+v", ok, cfg)
	}
	reg.Close() // offline from here on

	// By digest, the entry never expires.
	now = now.Add(1000 * time.Hour)
	r := run()
	if cfg, ok := r.ImageConfig(reg.host + "/acme/cached@" + first.Digest); !ok || cfg.Source != SourceCache || len(cfg.Volumes) != 1 {
		t.Errorf("by digest after the TTL: ok=%v cfg=%+v notes=%q", ok, cfg, r.Notes())
	}
	// The tag's entry has expired: the registry is asked, does not answer,
	// and the run says so instead of failing.
	if cfg, ok := r.ImageConfig(ref); ok {
		t.Errorf("expired tag entry served: %+v", cfg)
	}
	notes := strings.Join(r.Notes(), "\n")
	if !strings.Contains(notes, "registry "+reg.host+" did not answer") {
		t.Errorf("notes do not name the registry that did not answer: %q", notes)
	}
}

func TestRegistryRefusesWithNote(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`)
	}))
	defer srv.Close()
	ref := strings.TrimPrefix(srv.URL, "http://") + "/private/app:1"
	r := registryResolver(t, &Cache{}, "amd64")
	if cfg, ok := r.ImageConfig(ref); ok {
		t.Fatalf("config from a registry that refuses: %+v", cfg)
	}
	notes := strings.Join(r.Notes(), "\n")
	if !strings.Contains(notes, "could not read the config of "+ref) || !strings.Contains(notes, "denied") {
		t.Errorf("notes = %q", notes)
	}
}

func TestRegistryTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	host := strings.TrimPrefix(srv.URL, "http://")
	r := registryResolver(t, &Cache{}, "amd64")
	r.opts.RegistryTimeout = 200 * time.Millisecond
	start := time.Now()
	for _, ref := range []string{host + "/a:1", host + "/b:1", host + "/c:1"} {
		if _, ok := r.ImageConfig(ref); ok {
			t.Fatal("config from a registry that never answers")
		}
	}
	// One timeout, then the registry is skipped for the rest of the run.
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("three lookups took %v", d)
	}
	notes := strings.Join(r.Notes(), "\n")
	if !strings.Contains(notes, "did not answer") || !strings.Contains(notes, "3 images there were not checked") {
		t.Errorf("notes = %q", notes)
	}
}

func TestUsableRef(t *testing.T) {
	for ref, want := range map[string]bool{
		"postgres:16": true, "ghcr.io/a/b@sha256:abc": true, "scratch": false, "": false,
		"app:${TAG}": false, "a b": false,
	} {
		if got := usableRef(ref); got != want {
			t.Errorf("usableRef(%q) = %v, want %v", ref, got, want)
		}
	}
}

func vols(paths ...string) v1.Config {
	m := map[string]struct{}{}
	for _, p := range paths {
		m[p] = struct{}{}
	}
	return v1.Config{Volumes: m}
}

// The registry wants credentials; they come from the user's docker config
// (DOCKER_CONFIG/config.json), as `docker login` leaves them, through the
// default keychain.
func TestRegistryDockerConfigAuth(t *testing.T) {
	reg := newTestRegistry(t)
	ref := reg.push(t, "private/app:1", image(t, vols("/srv/app")))
	const user, pass = "ci-bot", "not-a-real-token"
	var denied atomic.Int64
	guarded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if u, p, ok := req.BasicAuth(); !ok || u != user || p != pass {
			denied.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		reg.Config.Handler.ServeHTTP(w, req)
	}))
	defer guarded.Close()
	host := strings.TrimPrefix(guarded.URL, "http://")
	ref = host + strings.TrimPrefix(ref, reg.host)

	env := map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
	resolver := func() *Resolver {
		return New(Options{Mode: ModeRegistry, Getenv: func(k string) string { return env[k] }, Cache: &Cache{}, Registry: &Registry{Arch: "amd64"}})
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	r := resolver()
	if _, ok := r.ImageConfig(ref); ok || denied.Load() == 0 {
		t.Fatalf("read without credentials (denied %d)", denied.Load())
	}
	if notes := strings.Join(r.Notes(), "\n"); !strings.Contains(notes, "could not read the config of "+ref) {
		t.Errorf("notes = %q", notes)
	}

	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"auths":{"`+host+`":{"auth":"`+auth+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	r = resolver()
	if cfg, ok := r.ImageConfig(ref); !ok || len(cfg.Volumes) != 1 || cfg.Volumes[0] != "/srv/app" {
		t.Errorf("with the docker config's credentials: ok=%v cfg=%+v notes=%q", ok, cfg, r.Notes())
	}
}

// Docker Hub's flow without credentials: a 401 names a token service,
// which hands out an anonymous pull token.
func TestRegistryAnonymousToken(t *testing.T) {
	reg := newTestRegistry(t)
	ref := reg.push(t, "library/thing:1", image(t, vols("/thing")))
	var tokens atomic.Int64
	var guarded *httptest.Server
	guarded = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/token" {
			if req.Header.Get("Authorization") != "" {
				t.Errorf("credentials sent for an anonymous token: %q", req.Header.Get("Authorization"))
			}
			tokens.Add(1)
			io.WriteString(w, `{"token":"anonymous-pull"}`)
			return
		}
		if req.Header.Get("Authorization") != "Bearer anonymous-pull" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+guarded.URL+`/token",service="test",scope="repository:library/thing:pull"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		reg.Config.Handler.ServeHTTP(w, req)
	}))
	defer guarded.Close()
	ref = strings.TrimPrefix(guarded.URL, "http://") + strings.TrimPrefix(ref, reg.host)
	r := registryResolver(t, &Cache{}, "amd64")
	if cfg, ok := r.ImageConfig(ref); !ok || len(cfg.Volumes) != 1 || tokens.Load() == 0 {
		t.Errorf("ok=%v cfg=%+v tokens=%d notes=%q", ok, cfg, tokens.Load(), r.Notes())
	}
}
