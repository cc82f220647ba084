package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/composure-dev/composure/internal/testtools"
)

// TestDockerComposeAcceptsGoldens runs `docker compose config` on every
// fixed golden file, where a docker compose CLI exists (it needs no
// engine for `config`): `docker compose`, or the binary
// COMPOSURE_DOCKER_COMPOSE names; the test skips without either.
func TestDockerComposeAcceptsGoldens(t *testing.T) {
	compose := testtools.DockerCompose(t)
	goldens, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "fix-*.golden"))
	for _, g := range goldens {
		content, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "compose.yaml")
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}
		// file secrets must exist for `config` to resolve them
		_ = os.MkdirAll(filepath.Join(dir, "secrets"), 0o700)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := testtools.ComposeCommand(ctx, compose, "-f", file, "config", "--quiet", "--no-interpolate")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "COMPOSE_PROJECT_NAME=fixtest")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: docker compose config: %v\n%s", g, err, out)
		}
		cancel()
	}
}
