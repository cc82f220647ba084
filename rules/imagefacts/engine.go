package imagefacts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/knowledge"
)

// Engine reads image configs from a local Docker engine over its API
// (plain HTTP on the unix socket, or on tcp:// without TLS): GET
// /images/{name}/json. It never pulls: an image the engine does not have
// is errNotPresent.
type Engine struct {
	// Host is where the engine listens, DOCKER_HOST style (unix:///path
	// or tcp://host:port).
	Host   string
	client *http.Client
	base   string
}

var errNotPresent = errors.New("not present in the local engine")

// engineHost picks the engine address: DOCKER_HOST, else the first socket
// that exists among the usual ones (rootful, rootless, Docker Desktop).
func engineHost(getenv func(string) string) string {
	if h := getenv("DOCKER_HOST"); h != "" {
		return h
	}
	candidates := []string{"/var/run/docker.sock"}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		candidates = append(candidates, filepath.Join(d, "docker.sock"))
	}
	if d := getenv("HOME"); d != "" {
		candidates = append(candidates, filepath.Join(d, ".docker", "run", "docker.sock"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return "unix://" + c
		}
	}
	return "unix://" + candidates[0]
}

// NewEngine returns a client for host; an error for an address it cannot
// use (ssh://, npipe://, TLS).
func NewEngine(host string, tls bool) (*Engine, error) {
	u, err := url.Parse(host)
	if err != nil {
		return nil, fmt.Errorf("DOCKER_HOST %q: %w", host, err)
	}
	e := &Engine{Host: host}
	tr := &http.Transport{DisableCompression: true}
	switch u.Scheme {
	case "unix":
		sock := u.Path
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}
		e.base = "http://docker"
	case "tcp", "http":
		if tls {
			return nil, fmt.Errorf("DOCKER_HOST %s with TLS (DOCKER_TLS_VERIFY) is not supported", host)
		}
		e.base = "http://" + u.Host
	default:
		return nil, fmt.Errorf("DOCKER_HOST %s: only unix:// and tcp:// are supported", host)
	}
	e.client = &http.Client{Transport: tr}
	return e, nil
}

// engineImage is the part of `docker image inspect` composure reads.
type engineImage struct {
	ID     string `json:"Id"`
	Config struct {
		Volumes    map[string]struct{}
		Env        []string
		User       string
		WorkingDir string
		Entrypoint []string
		Cmd        []string
	}
}

// ImageConfig asks the engine for ref's config. A connection error means
// no engine answers (the caller stops asking); errNotPresent that the
// engine does not have the image.
func (e *Engine) ImageConfig(ctx context.Context, ref string) (*knowledge.ImageConfig, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/images/"+ref+"/json", nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, &unreachableError{err}
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, errNotPresent
	default:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("engine answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	var img engineImage
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&img); err != nil {
		return nil, fmt.Errorf("engine answer: %w", err)
	}
	c := &knowledge.ImageConfig{
		Digest: img.ID, Env: img.Config.Env, User: img.Config.User, WorkingDir: img.Config.WorkingDir,
		Entrypoint: img.Config.Entrypoint, Cmd: img.Config.Cmd, Source: SourceEngine,
	}
	c.Volumes = volumeList(img.Config.Volumes)
	return c, nil
}

func volumeList(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// unreachableError: nothing answered (no socket, connection refused,
// timeout). Asking again in the same run would only wait again.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }
