package cmd

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// runEnv executes the command line with the given environment (DOCKER_HOST
// for images mode); nothing else of the process's environment is seen
// through IOStreams.
func runEnv(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}
	code = Execute(streams, args)
	return out.String(), errb.String(), code
}

// imagesProject writes a project with a curated image, a user entry, an
// unknown image, a service built from caddy and one built from an unknown
// base.
func imagesProject(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"compose.yaml": `services:
  db:
    image: postgres:16
    volumes:
      - db:/var/lib/postgresql/data
  app:
    image: registry.acme.test/team/app-db:3
  mystery:
    image: acme/mystery:1
  proxy:
    build: ./proxy
  tool:
    build:
      context: ./tool
` + extra + `volumes:
  db:
`,
		".composure.yaml":  "stateful-images:\n  - image: registry.acme.test/team/*-db\n    data-paths: [/var/lib/app]\n",
		"proxy/Dockerfile": "FROM caddy:2.10.0-alpine\nUSER caddy\n",
		"tool/Dockerfile":  "FROM acme/toolbase:1\nRUN true\n",
	}
	for name, content := range files {
		must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

func decodeImages(t *testing.T, out string) imagesReport {
	t.Helper()
	var rep imagesReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	return rep
}

func byService(rep imagesReport) map[string]imageEntry {
	m := map[string]imageEntry{}
	for _, e := range rep.Services {
		m[e.Service] = e
	}
	return m
}

func hasSource(e imageEntry, fact, from, detail string) bool {
	for _, s := range e.Sources {
		if s.Fact == fact && s.From == from && strings.Contains(s.Detail, detail) {
			return true
		}
	}
	return false
}

func TestImagesJSON(t *testing.T) {
	dir := imagesProject(t, "")
	out, errOut, code := run(t, "images", "--format", "json", dir)
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	rep := decodeImages(t, out)
	got := byService(rep)
	checks := []struct {
		service, verdict, path string
		fact, from, detail     string
	}{
		{"db", "stateful", "/var/lib/postgresql/data", "data paths", "curated entry", "postgres"},
		{"app", "stateful", "/var/lib/app", "verdict", "user config", "registry.acme.test/team/*-db"},
		{"mystery", "unknown", "", "", "", ""},
		{"proxy", "stateful", "/data", "base image", "Dockerfile", "proxy/Dockerfile: FROM caddy:2.10.0-alpine"},
		{"tool", "unknown", "", "", "", ""},
	}
	for _, c := range checks {
		e, ok := got[c.service]
		if !ok {
			t.Errorf("%s missing", c.service)
			continue
		}
		if e.Verdict != c.verdict {
			t.Errorf("%s: verdict %q, want %q", c.service, e.Verdict, c.verdict)
		}
		if c.path != "" && (len(e.DataPaths) != 1 || e.DataPaths[0] != c.path) {
			t.Errorf("%s: data paths %q, want [%s]", c.service, e.DataPaths, c.path)
		}
		if c.fact != "" && !hasSource(e, c.fact, c.from, c.detail) {
			t.Errorf("%s: no source %s from %s %s in %+v", c.service, c.fact, c.from, c.detail, e.Sources)
		}
	}
	if e := got["proxy"]; e.User != "caddy" || e.BuiltFrom != "caddy:2.10.0-alpine" || !hasSource(e, "user", "Dockerfile", "proxy/Dockerfile: USER") {
		t.Errorf("proxy: user %q, built from %q, sources %+v", e.User, e.BuiltFrom, e.Sources)
	}
	if e := got["db"]; e.File != filepath.Join(dir, "compose.yaml") || e.Line != 3 {
		t.Errorf("db at %s:%d, want compose.yaml:3", e.File, e.Line)
	}
	s := rep.Summary
	if s.Services != 5 || s.WithImage != 3 || s.UnknownWithImage != 1 || s.Verdicts["unknown"] != 2 || s.Verdicts["stateful"] != 3 {
		t.Errorf("summary = %+v", s)
	}
}

func TestImagesUnknownOnly(t *testing.T) {
	dir := imagesProject(t, "")
	out, _, code := run(t, "images", "--unknown", dir)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, svc := range []string{" mystery ", " tool "} {
		if !strings.Contains(out, svc) {
			t.Errorf("--unknown lacks%s:\n%s", svc, out)
		}
	}
	for _, svc := range []string{" db ", " app ", " proxy "} {
		if strings.Contains(out, svc) {
			t.Errorf("--unknown lists%s:\n%s", svc, out)
		}
	}
	if !strings.Contains(out, "5 services: 3 stateful, 0 conditional, 0 stateless, 2 unknown (1 of the 3 that name an image)") || !strings.Contains(out, "stateful-images:") {
		t.Errorf("summary or hint missing:\n%s", out)
	}
}

func TestImagesBadInput(t *testing.T) {
	dir := imagesProject(t, "")
	if _, errOut, code := run(t, "images", "--format", "sarif", dir); code != ExitIncomplete || !strings.Contains(errOut, "want text or json") {
		t.Errorf("--format sarif: exit %d, %s", code, errOut)
	}
	if _, errOut, code := run(t, "images", "--images", "cloud", dir); code != ExitIncomplete || !strings.Contains(errOut, "want off, local or registry") {
		t.Errorf("--images cloud: exit %d, %s", code, errOut)
	}
	if _, errOut, code := run(t, "lint", "--images", "cloud", dir); code != ExitIncomplete || !strings.Contains(errOut, "want off, local or registry") {
		t.Errorf("lint --images cloud: exit %d, %s", code, errOut)
	}
	must(t, os.WriteFile(filepath.Join(dir, "broken.compose.yaml"), []byte("services:\n  x:\n    image: [\n"), 0o644))
	out, _, code := run(t, "images", "--format", "json", dir)
	if rep := decodeImages(t, out); code != ExitIncomplete || len(rep.Errors) != 1 || rep.Errors[0].Line == 0 || len(rep.Services) != 5 {
		t.Errorf("a broken file: exit %d, errors %+v, %d services", code, rep.Errors, len(rep.Services))
	}
}

// fakeEngine serves GET /images/{name}/json on a unix socket.
func fakeEngine(t *testing.T, images map[string]string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "eng")
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	l, err := net.Listen("unix", filepath.Join(dir, "d.sock"))
	must(t, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/images/"), "/json")
		body, ok := images[name]
		if !ok {
			http.Error(w, `{"message":"No such image"}`, http.StatusNotFound)
			return
		}
		io.WriteString(w, body)
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return "unix://" + filepath.Join(dir, "d.sock")
}

func TestImagesLocalEngine(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := imagesProject(t, "")
	host := fakeEngine(t, map[string]string{
		"acme/mystery:1":  `{"Id":"sha256:abc","Config":{"Volumes":{"/var/lib/mystery":{},"/var/log/mystery":{}},"User":"mystery"}}`,
		"acme/toolbase:1": `{"Id":"sha256:def","Config":{"Volumes":null,"User":""}}`,
	})
	env := map[string]string{"DOCKER_HOST": host}
	out, errOut, code := runEnv(t, env, "images", "--images", "local", "--format", "json", dir)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := byService(decodeImages(t, out))
	if e := got["mystery"]; e.Verdict != "stateful" || len(e.DataPaths) != 1 || e.DataPaths[0] != "/var/lib/mystery" || e.User != "mystery" ||
		!hasSource(e, "data paths", "image config", "acme/mystery:1 (local engine)") {
		t.Errorf("mystery = %+v", e)
	}
	if e := got["tool"]; e.Verdict != "unknown" || !hasSource(e, "data paths", "image config", "no VOLUME that holds state") {
		t.Errorf("tool (acme/toolbase, no VOLUME) = %+v", e)
	}

	// lint: a warning on mystery's image, from its config; the same with
	// the config file's images: key.
	out, _, code = runEnv(t, env, "lint", "--images", "local", "--format", "json", dir)
	if code != ExitFindings || !strings.Contains(out, `service \"mystery\" (acme/mystery:1, read from its image config) keeps its data in /var/lib/mystery`) {
		t.Errorf("lint --images local: exit %d\n%s", code, out)
	}
	must(t, os.WriteFile(filepath.Join(dir, ".composure.yaml"), []byte("images: local\n"), 0o644))
	if out, _, _ := runEnv(t, env, "lint", "--format", "json", dir); !strings.Contains(out, "/var/lib/mystery") {
		t.Errorf("images: local in the config did not turn images mode on:\n%s", out)
	}
	if out, _, _ := runEnv(t, env, "lint", "--images", "off", "--format", "json", dir); strings.Contains(out, "/var/lib/mystery") {
		t.Errorf("--images off did not win over the config:\n%s", out)
	}
}

func TestImagesNoEngineIsANote(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := imagesProject(t, "")
	env := map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
	offOut, _, offCode := runEnv(t, env, "lint", "--format", "json", dir)
	out, errOut, code := runEnv(t, env, "lint", "--images", "local", "--format", "json", dir)
	if code != offCode || out != offOut {
		t.Errorf("without an engine, images mode changed the result: exit %d vs %d", code, offCode)
	}
	if !strings.Contains(errOut, "note: images: no Docker engine answered") {
		t.Errorf("stderr does not say what could not be checked: %q", errOut)
	}
}

func TestImagesRegistry(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials: anonymous
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref, err := name.ParseReference(strings.TrimPrefix(srv.URL, "http://") + "/acme/queue:5")
	must(t, err)
	img, err := mutate.Config(empty.Image, v1.Config{Volumes: map[string]struct{}{"/var/lib/queue": {}}})
	must(t, err)
	must(t, remote.Write(ref, img))

	// Only images of the in-process registry: nothing may reach the
	// internet (an unknown Docker Hub name would be asked there).
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  queue:\n    image: "+ref.String()+"\n  db:\n    image: postgres:16\n"), 0o644))
	env := map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
	out, _, _ := runEnv(t, env, "images", "--images", "registry", "--format", "json", dir)
	if e := byService(decodeImages(t, out))["queue"]; e.Verdict != "stateful" || !hasSource(e, "data paths", "image config", "(registry)") {
		t.Errorf("queue = %+v", e)
	}
	// Offline, the next run reads the cache.
	srv.Close()
	out, _, _ = runEnv(t, env, "images", "--images", "registry", "--format", "json", dir)
	if e := byService(decodeImages(t, out))["queue"]; e.Verdict != "stateful" || !hasSource(e, "data paths", "image config", "(cache)") {
		t.Errorf("queue from the cache = %+v", e)
	}
}

// A service built from a base the curated entries call stateless is
// stateless, and says so through its Dockerfile.
func TestImagesStatelessBase(t *testing.T) {
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "web"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  web:\n    build: ./web\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "web", "Dockerfile"), []byte("FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"), 0o644))
	out, _, code := run(t, "images", "--format", "json", dir)
	e := byService(decodeImages(t, out))["web"]
	if code != ExitOK || e.Verdict != "stateless" || e.BuiltFrom != "nginx:1.27" ||
		!hasSource(e, "base image", "Dockerfile", "web/Dockerfile: FROM nginx:1.27") || !hasSource(e, "verdict", "curated entry", "nginx") {
		t.Errorf("exit %d, web = %+v", code, e)
	}
}
