package fixer_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// composeCLI returns the command that runs the docker compose CLI: the
// binary $COMPOSURE_DOCKER_COMPOSE names (CI builds it from the module
// proxy at a pinned version), else `docker compose`, else a standalone
// docker-compose on PATH. The test skips when none runs: `config` needs
// no engine, but it needs the CLI.
func composeCLI(t *testing.T) []string {
	t.Helper()
	var candidates [][]string
	if bin := os.Getenv("COMPOSURE_DOCKER_COMPOSE"); bin != "" {
		candidates = append(candidates, []string{bin})
	}
	candidates = append(candidates, []string{"docker", "compose"}, []string{"docker-compose"})
	for _, c := range candidates {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := exec.CommandContext(ctx, c[0], append(c[1:], "version")...).Run()
		cancel()
		if err == nil {
			return c
		}
	}
	t.Skip("no docker compose CLI ($COMPOSURE_DOCKER_COMPOSE, docker compose, docker-compose): skipping")
	return nil
}

// composeConfig runs `config --format json` on files in dir and returns
// its output.
func composeConfig(t *testing.T, cli []string, dir string, files ...string) []byte {
	t.Helper()
	args := append([]string{}, cli[1:]...)
	for _, f := range files {
		args = append(args, "-f", f)
	}
	args = append(args, "config", "--format", "json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "COMPOSE_PROJECT_NAME=fixtest")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("docker compose %v config: %v\n%s", files, err, stderr)
	}
	return out
}
