package fixer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/composure-dev/composure/internal/testtools"
)

// composeCLI is how a test runs the real docker compose CLI (`config`
// needs no engine): internal/testtools finds it, or the test skips.
func composeCLI(t *testing.T) []string {
	t.Helper()
	return testtools.DockerCompose(t)
}

// composeRun runs the CLI with args in dir, with a minimal environment
// (no variable of the test's shell leaks into interpolation).
func composeRun(t *testing.T, cli []string, dir string, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli[0], append(cli[1:], args...)...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "DOCKER_CONFIG=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return stderr.Bytes(), err
	}
	return out, nil
}

// composeEnv is each service's environment as `docker compose config`
// resolves it (env files included), for the run args.
func composeEnv(t *testing.T, cli []string, dir string, args ...string) (map[string]map[string]*string, error) {
	t.Helper()
	out, err := composeRun(t, cli, dir, append(args, "config", "--format", "json")...)
	if err != nil {
		return nil, &cliError{msg: string(out)}
	}
	var doc struct {
		Services map[string]struct {
			Environment map[string]*string `json:"environment"`
		} `json:"services"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("docker compose config output: %v", err)
	}
	envs := map[string]map[string]*string{}
	for name, s := range doc.Services {
		envs[name] = s.Environment
	}
	return envs, nil
}

type cliError struct{ msg string }

func (e *cliError) Error() string { return e.msg }

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
