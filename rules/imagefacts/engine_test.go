package imagefacts

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeEngine serves the engine API's image inspect on a unix socket in a
// temporary directory, for the images it is given (by the name asked).
func fakeEngine(t *testing.T, images map[string]any) (host string, requests *atomic.Int64) {
	t.Helper()
	dir, err := os.MkdirTemp("", "eng") // short: a socket path is limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	requests = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		name, ok := strings.CutPrefix(r.URL.Path, "/images/")
		name, ok2 := strings.CutSuffix(name, "/json")
		img, found := images[name]
		if !ok || !ok2 || r.Method != http.MethodGet || !found {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"No such image: ` + name + `"}`))
			return
		}
		json.NewEncoder(w).Encode(img)
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return "unix://" + sock, requests
}

func inspect(id string, volumes []string, user string) map[string]any {
	v := map[string]any{}
	for _, p := range volumes {
		v[p] = map[string]any{}
	}
	return map[string]any{"Id": id, "RepoTags": []string{}, "Config": map[string]any{
		"Volumes": v, "User": user, "Env": []string{"PATH=/usr/bin"}, "WorkingDir": "/app",
		"Entrypoint": nil, "Cmd": []string{"run"},
	}}
}

func TestEngineLocalMode(t *testing.T) {
	host, requests := fakeEngine(t, map[string]any{
		"acme/local:1": inspect("sha256:aaa", []string{"/srv/data", "/tmp"}, "1000:1000"),
	})
	reg := newTestRegistry(t)
	r := New(Options{Mode: ModeLocal, Getenv: func(k string) string {
		return map[string]string{"DOCKER_HOST": host}[k]
	}, Cache: &Cache{}})
	cfg, ok := r.ImageConfig("acme/local:1")
	if !ok {
		t.Fatalf("no config; notes %q", r.Notes())
	}
	if cfg.Source != SourceEngine || cfg.Digest != "sha256:aaa" || cfg.User != "1000:1000" || cfg.WorkingDir != "/app" ||
		strings.Join(cfg.Volumes, ",") != "/srv/data,/tmp" || strings.Join(cfg.Cmd, ",") != "run" {
		t.Errorf("config = %+v", cfg)
	}
	// Not present locally: local mode never pulls nor asks the registry.
	if _, ok := r.ImageConfig(reg.host + "/acme/remote:1"); ok {
		t.Error("an image the engine does not have was read in local mode")
	}
	if reg.requests.Load() != 0 {
		t.Errorf("local mode asked the registry %d times", reg.requests.Load())
	}
	if requests.Load() != 2 {
		t.Errorf("engine asked %d times, want 2", requests.Load())
	}
	notes := strings.Join(r.Notes(), "\n")
	if !strings.Contains(notes, "1 not present in the local engine") || !strings.Contains(notes, reg.host+"/acme/remote:1") {
		t.Errorf("notes = %q", notes)
	}
}

func TestEngineFirstThenRegistry(t *testing.T) {
	reg := newTestRegistry(t)
	remoteRef := reg.push(t, "acme/remote:1", image(t, vols("/data")))
	localRef := reg.host + "/acme/local:1"
	host, _ := fakeEngine(t, map[string]any{localRef: inspect("sha256:bbb", []string{"/local"}, "")})
	r := New(Options{Mode: ModeRegistry, Getenv: func(k string) string {
		return map[string]string{"DOCKER_HOST": host}[k]
	}, Cache: &Cache{}, Registry: registryResolver(t, nil, "amd64").opts.Registry})
	pushed := reg.requests.Load()
	if cfg, ok := r.ImageConfig(localRef); !ok || cfg.Source != SourceEngine || reg.requests.Load() != pushed {
		t.Errorf("a local image: ok=%v cfg=%+v registry requests=%d", ok, cfg, reg.requests.Load()-pushed)
	}
	if cfg, ok := r.ImageConfig(remoteRef); !ok || cfg.Source != SourceRegistry {
		t.Errorf("an image only in the registry: ok=%v cfg=%+v notes=%q", ok, cfg, r.Notes())
	}
	if notes := r.Notes(); len(notes) != 0 {
		t.Errorf("notes when everything was read: %q", notes)
	}
}

func TestEngineUnreachableAskedOnce(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	r := New(Options{Mode: ModeLocal, Getenv: func(k string) string {
		return map[string]string{"DOCKER_HOST": "unix://" + sock}[k]
	}, Cache: &Cache{}})
	start := time.Now()
	for _, ref := range []string{"a:1", "b:1", "c:1"} {
		if _, ok := r.ImageConfig(ref); ok {
			t.Fatal("config without an engine")
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v without an engine", d)
	}
	notes := r.Notes()
	if len(notes) != 1 || !strings.Contains(notes[0], "no Docker engine answered at unix://"+sock) || !strings.Contains(notes[0], "were not checked") {
		t.Errorf("notes = %q", notes)
	}
}

func TestEngineHost(t *testing.T) {
	env := map[string]string{"DOCKER_HOST": "tcp://10.0.0.1:2375"}
	if got := engineHost(func(k string) string { return env[k] }); got != "tcp://10.0.0.1:2375" {
		t.Errorf("DOCKER_HOST: %q", got)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "docker.sock"), nil, 0o600)
	env = map[string]string{"XDG_RUNTIME_DIR": dir}
	if _, err := os.Stat("/var/run/docker.sock"); err != nil {
		if got := engineHost(func(k string) string { return env[k] }); got != "unix://"+filepath.Join(dir, "docker.sock") {
			t.Errorf("rootless socket: %q", got)
		}
	}
	if _, err := NewEngine("tcp://h:2376", true); err == nil {
		t.Error("TLS accepted")
	}
	if _, err := NewEngine("ssh://me@h", false); err == nil {
		t.Error("ssh accepted")
	}
}

// In registry mode without DOCKER_HOST, a missing engine is the usual CI
// runner, not news; with DOCKER_HOST set, it is said.
func TestRegistryModeQuietWithoutEngine(t *testing.T) {
	reg := newTestRegistry(t)
	ref := reg.push(t, "acme/quiet:1", image(t, vols("/data")))
	for _, env := range []map[string]string{{"HOME": t.TempDir()}, {"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}} {
		r := New(Options{Mode: ModeRegistry, Getenv: func(k string) string { return env[k] }, Cache: &Cache{}, Registry: registryResolver(t, nil, "amd64").opts.Registry})
		r.engine, r.engineErr = NewEngine("unix://"+filepath.Join(t.TempDir(), "none.sock"), false) // not /var/run/docker.sock, whatever the machine has
		if _, ok := r.ImageConfig(ref); !ok {
			t.Fatalf("no config; notes %q", r.Notes())
		}
		notes := strings.Join(r.Notes(), "\n")
		if said := strings.Contains(notes, "no Docker engine answered"); said != (env["DOCKER_HOST"] != "") {
			t.Errorf("DOCKER_HOST=%q: notes %q", env["DOCKER_HOST"], notes)
		}
	}
}
