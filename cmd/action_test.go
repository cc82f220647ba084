package cmd

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// This file tests the GitHub Action (action.yml, docs/integrations.md):
// its inputs, and its install, lint and fail scripts run with bash.

// action is the part of action.yml the tests check.
type action struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Name  string            `yaml:"name"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
			With  map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "action.yml"))
	must(t, err)
	var a action
	if err := yaml.Load(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

func actionScripts(t *testing.T) map[string]string {
	t.Helper()
	steps := map[string]string{}
	for _, s := range loadAction(t).Runs.Steps {
		if s.ID != "" {
			steps[s.ID] = s.Run
		}
	}
	for _, id := range []string{"resolve", "install", "lint", "fail"} {
		if steps[id] == "" {
			t.Fatalf("action.yml: no run step with id %s", id)
		}
	}
	return steps
}

func TestActionFile(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", a.Runs.Using)
	}
	if a.Name == "" || a.Description == "" {
		t.Error("name and description are required by GitHub")
	}
	for in, def := range map[string]string{
		"paths": ".", "working-directory": ".", "format": "github", "sarif-file": "composure.sarif",
		"fail-on": "warning", "config": "", "args": "", "version": "",
	} {
		i, ok := a.Inputs[in]
		switch {
		case !ok:
			t.Errorf("input %q missing", in)
		case i.Description == "":
			t.Errorf("input %q has no description", in)
		case i.Default == nil || *i.Default != def:
			t.Errorf("input %q: default %v, want %q", in, i.Default, def)
		}
	}
	for _, out := range []string{"exit-code", "sarif-file"} {
		if o, ok := a.Outputs[out]; !ok || !strings.Contains(o.Value, "steps.lint.outputs."+out) {
			t.Errorf("output %q: %+v, want it from steps.lint", out, o)
		}
	}
	var cached bool
	for _, s := range a.Runs.Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") {
			t.Error("the action sets up Go: that changes the caller's PATH")
		}
		if strings.HasPrefix(s.Uses, "actions/cache@") {
			cached = strings.Contains(s.With["path"], "steps.resolve.outputs.dir")
		}
		if strings.Contains(s.Run, "GITHUB_PATH") {
			t.Errorf("step %q writes GITHUB_PATH: the caller's PATH must stay as it was", s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q: composite run steps need a shell", s.Name)
		}
		// Inputs reach scripts through env, never pasted into the script.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: expression inside run; pass it through env", s.Name)
		}
	}
	if !cached {
		t.Error("no actions/cache step for the installed binary")
	}
}

// bashScript runs one step's script with env; it returns the combined
// output, the exit code and what the step wrote to GITHUB_OUTPUT.
func bashScript(t *testing.T, dir, script string, env ...string) (string, int, map[string]string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not on PATH")
	}
	ghOutput := filepath.Join(dir, "github_output")
	must(t, os.WriteFile(ghOutput, nil, 0o644))
	cmd := exec.Command(bash, "-c", script)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GITHUB_OUTPUT="+ghOutput), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	data, _ := os.ReadFile(ghOutput)
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return string(out), code, outputs
}

func TestActionResolve(t *testing.T) {
	script := actionScripts(t)["resolve"]
	dir := t.TempDir()
	for _, tt := range []struct {
		env                         []string
		ref, release, platform, dir string
	}{
		{[]string{"VERSION=", "ACTION_REF=v1.2.3", "ACTION_PATH=/a", "RUNNER_OS=Linux", "RUNNER_ARCH=X64"}, "v1.2.3", "true", "linux_amd64", "/tc/composure/v1.2.3/linux_amd64"},
		{[]string{"VERSION=v2.0.0-rc.1", "ACTION_REF=main", "ACTION_PATH=/a", "RUNNER_OS=macOS", "RUNNER_ARCH=ARM64"}, "v2.0.0-rc.1", "true", "darwin_arm64", ""},
		{[]string{"VERSION=", "ACTION_REF=", "ACTION_PATH=/w/_actions/composure-dev/composure/v1.0.0", "RUNNER_OS=Windows", "RUNNER_ARCH=X64"}, "v1.0.0", "true", "windows_amd64", ""},
		{[]string{"VERSION=", "ACTION_REF=main", "ACTION_PATH=/a", "RUNNER_OS=Linux", "RUNNER_ARCH=ARM64"}, "main", "false", "linux_arm64", ""},
		{[]string{"VERSION=", "ACTION_REF=", "ACTION_PATH=/home/r/work/repo/repo", "RUNNER_OS=Linux", "RUNNER_ARCH=X64"}, "", "false", "linux_amd64", "/tc/composure/local/linux_amd64"},
	} {
		out, code, got := bashScript(t, dir, script, append(tt.env, "RUNNER_TOOL_CACHE=/tc", "RUNNER_TEMP=/tmp")...)
		if code != 0 || got["ref"] != tt.ref || got["release"] != tt.release || got["platform"] != tt.platform || (tt.dir != "" && got["dir"] != tt.dir) {
			t.Errorf("%v: exit %d, outputs %v; want ref %q release %s platform %s dir %q\n%s", tt.env, code, got, tt.ref, tt.release, tt.platform, tt.dir, out)
		}
	}
}

// The install step downloads the release archive, checks it against the
// release's checksums.txt, and refuses a download that does not match.
func TestActionInstallChecksum(t *testing.T) {
	script := actionScripts(t)["install"]
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not on PATH")
	}
	releases := t.TempDir()
	fake := "#!/bin/sh\necho \"composure v1.2.3 (fake)\"\n"
	archive := "composure_1.2.3_linux_amd64.tar.gz"
	must(t, os.MkdirAll(filepath.Join(releases, "v1.2.3"), 0o755))
	data := tarGz(t, map[string]string{"composure": fake, "LICENSE": "license"})
	must(t, os.WriteFile(filepath.Join(releases, "v1.2.3", archive), data, 0o644))
	sum := fmt.Sprintf("%x", sha256.Sum256(data))

	install := func(checksum string) (string, int, map[string]string, string) {
		must(t, os.WriteFile(filepath.Join(releases, "v1.2.3", "checksums.txt"), []byte(checksum+"  "+archive+"\n0000  other.zip\n"), 0o644))
		dest := filepath.Join(t.TempDir(), "v1.2.3", "linux_amd64")
		out, code, outputs := bashScript(t, t.TempDir(), script,
			"REF=v1.2.3", "RELEASE=true", "PLATFORM=linux_amd64", "DIR="+dest, "ACTION_PATH=/nonexistent",
			"RELEASES_URL=file://"+releases)
		return out, code, outputs, dest
	}
	out, code, outputs, dest := install(sum)
	if code != 0 || outputs["composure"] != filepath.Join(dest, "composure") || !strings.Contains(out, "composure v1.2.3 (fake)") {
		t.Errorf("good archive: exit %d, outputs %v\n%s", code, outputs, out)
	}
	out, code, _, dest = install(strings.Repeat("0", 64))
	if code == 0 || !strings.Contains(out, "checksum mismatch") {
		t.Errorf("tampered archive: exit %d, want a checksum mismatch\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dest, "composure")); err == nil {
		t.Error("tampered archive: the binary was installed anyway")
	}
}

func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		must(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))}))
		_, err := tw.Write([]byte(body))
		must(t, err)
	}
	must(t, tw.Close())
	must(t, gz.Close())
	return buf.Bytes()
}

// The lint step runs composure once: annotations on stdout and the SARIF
// file, extra args before "--", paths split on whitespace and never
// globbed; the exit code becomes an output and the fail step fails with it.
func TestActionLintScript(t *testing.T) {
	steps := actionScripts(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	stub := filepath.Join(dir, "composure-stub")
	must(t, os.WriteFile(stub, []byte("#!/bin/sh\n{ echo CALL; for a in \"$@\"; do echo \"$a\"; done; } >> \"$STUB_CALLS\"\necho '::warning file=compose.yaml::x'\nexit \"$STUB_CODE\"\n"), 0o755))
	out, code, outputs := bashScript(t, dir, steps["lint"],
		"COMPOSURE="+stub, "STUB_CALLS="+calls, "STUB_CODE=1",
		"LINT_PATHS=deploy/compose.yaml  *\n-dash", "FORMAT=github", "FAIL_ON=error",
		"CONFIG=ci/composure.yaml", "SARIF=reports/composure.sarif", "EXTRA_ARGS=--disable fixed-container-name")
	if code != 0 {
		t.Fatalf("lint step failed (it must record the code and succeed): %d\n%s", code, out)
	}
	if !strings.Contains(out, "::warning file=compose.yaml::x") {
		t.Errorf("annotations not on the step's stdout: %q", out)
	}
	sarif := filepath.Join(dir, "reports", "composure.sarif")
	if outputs["exit-code"] != "1" || outputs["sarif-file"] != sarif {
		t.Errorf("outputs %v, want exit-code 1 and sarif-file %s", outputs, sarif)
	}
	logged, _ := os.ReadFile(calls)
	want := "CALL\nlint\n--format\ngithub\n--fail-on\nerror\n--config\nci/composure.yaml\n--output-format\nsarif\n--output-file\n" + sarif +
		"\n--disable\nfixed-container-name\n--\ndeploy/compose.yaml\n*\n-dash\n"
	if string(logged) != want {
		t.Errorf("composure calls:\n%s\nwant one:\n%s", logged, want)
	}

	// No SARIF, no extra args.
	must(t, os.Remove(calls))
	_, _, outputs = bashScript(t, dir, steps["lint"], "COMPOSURE="+stub, "STUB_CALLS="+calls, "STUB_CODE=0",
		"LINT_PATHS=", "FORMAT=text", "FAIL_ON=warning", "CONFIG=", "SARIF=", "EXTRA_ARGS=")
	logged, _ = os.ReadFile(calls)
	if string(logged) != "CALL\nlint\n--format\ntext\n--fail-on\nwarning\n--\n.\n" || outputs["sarif-file"] != "" {
		t.Errorf("calls %q, outputs %v", logged, outputs)
	}

	for _, code := range []int{1, 2, 3} {
		out, got, _ := bashScript(t, dir, steps["fail"], "CODE="+strconv.Itoa(code), "FAIL_ON=warning")
		if got != code || !strings.Contains(out, "::error") {
			t.Errorf("fail step with code %d: exit %d, want %d and an ::error annotation\n%s", code, got, code, out)
		}
	}
}
