package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// configs is an image config source in memory; asked records the refs.
type configs struct {
	mu    sync.Mutex
	byRef map[string]*knowledge.ImageConfig
	asked []string
}

func (c *configs) ImageConfig(ref string) (*knowledge.ImageConfig, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, ref)
	cfg, ok := c.byRef[ref]
	return cfg, ok
}

func lintDir(t *testing.T, files map[string]string, k *knowledge.Knowledge) []lint.Finding {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Load(context.Background(), project.Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, project.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := lint.Check(p, k, []*lint.Rule{rules.StatefulVolumeMissing}, lint.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestImageConfigVolumes(t *testing.T) {
	src := &configs{byRef: map[string]*knowledge.ImageConfig{
		"acme/store:1":       {Volumes: []string{"/var/lib/store", "/var/log/store"}},
		"acme/logs-only:1":   {Volumes: []string{"/var/log/app", "/tmp"}},
		"postgres:16":        {Volumes: []string{"/somewhere/else"}},
		"acme/base:2":        {Volumes: []string{"/srv/base"}},
		"acme/built-named:1": {Volumes: []string{"/never/asked"}},
	}}
	compose := `services:
  store:
    image: acme/store:1
  mounted:
    image: acme/store:1
    volumes:
      - store-data:/var/lib/store
  logs:
    image: acme/logs-only:1
  db:
    image: postgres:16
    volumes:
      - db:/var/lib/postgresql/data
  unknown:
    image: acme/unknown:1
  built:
    image: acme/built-named:1
    build: .
volumes:
  store-data:
  db:
`
	files := map[string]string{"compose.yaml": compose, "Dockerfile": "FROM acme/base:2\nRUN true\n"}
	fs := lintDir(t, files, knowledge.Default().WithImageConfigs(src))
	var got []string
	for _, f := range fs {
		got = append(got, f.Service+" "+f.Severity.String()+" "+f.Message)
	}
	if len(got) != 2 {
		t.Fatalf("want findings for store and built, got:\n%s", strings.Join(got, "\n"))
	}
	if !strings.HasPrefix(got[0], "store warning") || !strings.Contains(got[0], "(acme/store:1, read from its image config) keeps its data in /var/lib/store but") || strings.Contains(got[0], "/var/log") {
		t.Errorf("store: %s", got[0])
	}
	if !strings.HasPrefix(got[1], "built warning") || !strings.Contains(got[1], "(built from acme/base:2, read from its image config) keeps its data in /srv/base") {
		t.Errorf("built: %s", got[1])
	}
	for _, ref := range src.asked {
		if ref == "postgres:16" || ref == "acme/built-named:1" {
			t.Errorf("asked about %s: a curated image, or the name a build produces", ref)
		}
	}

	// Images mode off: nothing is asked, nothing reported.
	if fs := lintDir(t, files, knowledge.Default()); len(fs) != 0 {
		t.Errorf("findings with images mode off: %v", fs)
	}
}
