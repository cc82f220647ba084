// Package testtools holds helpers that tests of several packages share.
// Only tests import it.
package testtools

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// ComposeEnv names a standalone docker-compose binary (the CLI plugin
// works standalone too) for tests that check a file with the real CLI
// where `docker compose` is not installed.
const ComposeEnv = "COMPOSURE_DOCKER_COMPOSE"

// DockerCompose returns the command that runs the real docker compose
// CLI: $COMPOSURE_DOCKER_COMPOSE when it is set, else `docker compose`
// when the docker CLI has the compose plugin. It skips the test, saying
// why, when there is neither. `config` needs no engine.
func DockerCompose(t testing.TB) []string {
	t.Helper()
	cmd, why := FindDockerCompose()
	if cmd == nil {
		t.Skipf("no docker compose CLI (%s): set %s to a docker-compose binary to run this test", why, ComposeEnv)
	}
	return cmd
}

// FindDockerCompose is DockerCompose without a test: the command, or nil
// and why there is none.
func FindDockerCompose() ([]string, string) {
	if bin := os.Getenv(ComposeEnv); bin != "" {
		if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
			return nil, ComposeEnv + "=" + bin + ": " + strings.TrimSpace(string(out)) + " " + err.Error()
		}
		return []string{bin}, ""
	}
	out, err := exec.Command("docker", "compose", "version").CombinedOutput()
	if err != nil {
		return nil, "docker compose version: " + strings.TrimSpace(string(out)) + " " + err.Error()
	}
	return []string{"docker", "compose"}, ""
}

// ComposeCommand is the exec.Cmd of docker compose (as DockerCompose
// returns it) with args.
func ComposeCommand(ctx context.Context, compose []string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, compose[0], append(compose[1:len(compose):len(compose)], args...)...)
}
