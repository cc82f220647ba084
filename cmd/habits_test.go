package cmd

import (
	"bytes"
	"strings"
	"testing"
)

// runTTY is run with an environment and stdout's terminal state.
func runTTY(t *testing.T, env map[string]string, tty bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, OutTTY: tty, Getenv: func(k string) string { return env[k] }}
	code = Execute(io, args)
	return out.String(), errb.String(), code
}

func TestColorEnvironment(t *testing.T) {
	for _, tt := range []struct {
		env   map[string]string
		tty   bool
		flag  string
		color bool
	}{
		{nil, true, "auto", true},
		{nil, false, "auto", false},
		{map[string]string{"NO_COLOR": "1"}, true, "auto", false},
		{map[string]string{"TERM": "dumb"}, true, "auto", false},
		{map[string]string{"FORCE_COLOR": "1"}, false, "auto", true},
		{map[string]string{"FORCE_COLOR": "0"}, false, "auto", false},
		{map[string]string{"CLICOLOR_FORCE": "1"}, false, "auto", true},
		{map[string]string{"CLICOLOR_FORCE": "0"}, false, "auto", false},
		{map[string]string{"FORCE_COLOR": "true", "NO_COLOR": "1"}, false, "auto", true},
		{map[string]string{"FORCE_COLOR": "1"}, true, "never", false},
		{map[string]string{"TERM": "dumb"}, false, "always", true},
	} {
		out, _, _ := runTTY(t, tt.env, tt.tty, "lint", "--color", tt.flag, "--show-source", "never", "testdata/project")
		if got := strings.Contains(out, "\x1b["); got != tt.color {
			t.Errorf("env %v, tty %v, --color %s: colour %v, want %v", tt.env, tt.tty, tt.flag, got, tt.color)
		}
	}
}

func TestShowSource(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		tty  bool
		flag string
		want bool
	}{
		{nil, true, "auto", true},
		{nil, false, "auto", false},
		{map[string]string{"TERM": "dumb"}, true, "auto", false},
		{nil, false, "always", true},
		{nil, true, "never", false},
	} {
		out, _, _ := runTTY(t, tt.env, tt.tty, "lint", "--color", "never", "--show-source", tt.flag, "testdata/project")
		if got := strings.Contains(out, "\n   9 |") || strings.Contains(out, " | "); got != tt.want {
			t.Errorf("env %v, tty %v, --show-source %s: source lines %v, want %v\n%s", tt.env, tt.tty, tt.flag, got, tt.want, out)
		}
		if strings.Contains(out, "s3cr3t") {
			t.Errorf("a source line shows a secret:\n%s", out)
		}
	}
	if _, errOut, code := run(t, "lint", "--show-source", "sometimes", "testdata/project"); code != ExitIncomplete || !strings.Contains(errOut, "--show-source") {
		t.Errorf("--show-source sometimes: exit %d, %q", code, errOut)
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_composure", "zsh": "#compdef composure", "fish": "complete -c composure", "powershell": "Register-ArgumentCompleter"} {
		out, _, code := run(t, "completion", shell)
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, output lacks %q", shell, code, want)
		}
	}
}

func TestWarnsWhenNoComposeFile(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := run(t, "lint", dir)
	if code != ExitOK || !strings.Contains(errOut, "warning: no compose file found in "+dir) {
		t.Errorf("empty dir: exit %d, stdout %q, stderr %q; want 0 and a warning", code, out, errOut)
	}
	if _, errOut, _ := run(t, "lint", "testdata/project"); strings.Contains(errOut, "no compose file") {
		t.Errorf("a linted project warns: %q", errOut)
	}
}

func runStdin(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &IOStreams{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
	code = Execute(io, args)
	return out.String(), errb.String(), code
}

func TestLintStdin(t *testing.T) {
	src := "services:\n  db:\n    image: postgres:16\n"
	out, errOut, code := runStdin(t, src, "lint", "-")
	if code != ExitFindings || !strings.HasPrefix(out, "-:3:5: error: ") || !strings.Contains(out, "[stateful-volume-missing]") {
		t.Errorf("lint -: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// --stdin-filename names the content and shadows the file on disk:
	// testdata/project/compose.yaml has six findings, this content one.
	out, _, code = runStdin(t, src, "lint", "--format", "json", "--stdin-filename", "testdata/project/compose.yaml", "-")
	if code != ExitFindings || strings.Count(out, `"rule":`) != 1 || !strings.Contains(out, `"file": "testdata/project/compose.yaml"`) {
		t.Errorf("--stdin-filename: exit %d\n%s", code, out)
	}
	out, _, code = runStdin(t, "services:\n  web:\n    image: nginx:1.27\n", "lint", "-")
	if code != ExitOK || !strings.Contains(out, "no problems in 1 file") {
		t.Errorf("clean stdin: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"lint", "-", "testdata/project"}, {"lint", "--stdin-filename", "x.yaml", "testdata/project"}} {
		if _, errOut, code := runStdin(t, src, args...); code != ExitIncomplete || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
	if out, _, code := runStdin(t, "services: [\n", "lint", "-"); code != ExitIncomplete || !strings.Contains(out, "-:2:1: error: ") {
		t.Errorf("invalid stdin: exit %d, %q; want exit 2 and its position", code, out)
	}
}
