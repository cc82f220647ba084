package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A .env two projects of one folder load is one file with one secret:
// its line is reported once, naming the services of both projects
// (issue: the same .env:17 error three times, with different services).
func TestSharedEnvFileReportedOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", "services:\n  api:\n    image: example/api\n    env_file: [.env]\n")
	write("worker.compose.yaml", "services:\n  worker:\n    image: example/worker\n    env_file: [.env]\n")
	write(".env", "API_TOKEN=Zx9Qw7Er5Ty3Ui8Op\n")
	out, errOut, code := run(t, "lint", "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			Rule    string `json:"rule"`
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, f := range doc.Findings {
		if f.Rule == "secret-in-env-file" {
			env = append(env, f.Message)
		}
	}
	if len(env) != 1 {
		t.Fatalf("secret-in-env-file reported %d times, want once: %q", len(env), env)
	}
	if !strings.Contains(env[0], `services "api" and "worker"`) {
		t.Errorf("message names %q; want both projects' services", env[0])
	}
}
