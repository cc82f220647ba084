package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

func TestParseValid(t *testing.T) {
	src := `rules:
  fixed-container-name: off
  secret-in-environment:
    severity: warning
    allow-names: [DEMO_*, test_password]
ignore:
  - rule: stateful-volume-missing
    path-glob: "test/**"
    reason: throwaway databases in tests
  - rule: fixed-container-name
    path: "legacy/*.yaml"
    reason: the name the first releases documented still works
stateful-images:
  - image: registry.example.com/team/*-db
    data-paths: [/var/lib/app]
    volume-declared: true
    file-env: [APP_PASSWORD]
images: registry
`
	c, err := Parse("x/.composure.yaml", []byte(src), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	if c.ImagesMode != "registry" {
		t.Errorf("ImagesMode = %q, want registry", c.ImagesMode)
	}
	if c.Severity["fixed-container-name"] != lint.Off || c.Severity["secret-in-environment"] != lint.Warning {
		t.Errorf("severities = %v", c.Severity)
	}
	if got := c.Options["secret-in-environment"].StringList("allow-names"); len(got) != 2 {
		t.Errorf("allow-names = %v", got)
	}
	if len(c.Ignores) != 2 || c.Ignores[0].Reason != "throwaway databases in tests" || c.Ignores[0].Path != "test/**" || c.Ignores[1].Path != "legacy/*.yaml" {
		t.Errorf("ignores = %+v", c.Ignores)
	}
	if len(c.Images) != 1 || !c.Images[0].DataPaths[0].VolumeDeclared || c.Images[0].FileEnv.Vars[0] != "APP_PASSWORD" {
		t.Errorf("images = %+v", c.Images)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"rule:\n  x: 1\n", `1:1: unknown key "rule"`},
		{"rules:\n  no-such-rule: off\n", `2:3: unknown rule "no-such-rule"`},
		{"rules:\n  secret-in-environment:\n    severty: warning\n", `3:5: unknown option "severty" for rule secret-in-environment`},
		{"rules:\n  anonymous-volume:\n    severity: loud\n", `3:15: rules.anonymous-volume.severity: unknown severity "loud"`},
		{"ignore:\n  - rule: fixed-container-name\n", `2:5: ignore entry needs a reason`},
		{"ignore:\n  - rule: fixed-containr-name\n    reason: x\n", `2:11: unknown rule "fixed-containr-name" in ignore`},
		{"ignore:\n  - reason: everything\n", `matches everything`},
		{"ignore:\n  - path-glob: a/*\n    path: b/*\n    reason: x\n", `3:5: ignore entry gives both path-glob and path`},
		{"stateful-images:\n  - image: x/db\n    data-paths: [var/lib]\n", `not an absolute container path`},
		{"stateful-images:\n  - image: x/db\n    data-paths: [/d]\n    volume-declared: maybe\n", `volume-declared must be true or false`},
		{"rules: [a]\n", `rules must be a mapping`},
		{"images: cloud\n", `1:9: images: "cloud": want off, local or registry`},
		{"images: [local]\n", `1:9: images must be a string`},
		// issue 16, item 14: a glob that matches nothing, a key given twice.
		{"ignore:\n  - path-glob: \"a[b\"\n    reason: x\n", `2:16: ignore.path-glob "a[b": not a valid glob`},
		{"ignore:\n  - path-glob: 'a\\'\n    reason: x\n", `2:16: ignore.path-glob`},
		{"rules:\n  secret-in-environment:\n    allow-names: [OK_*, \"a[b\"]\n", `3:25: rules.secret-in-environment.allow-names: "a[b" is not a valid glob`},
		{"rules:\n  secret-in-environment: warning\n  secret-in-environment: error\n", `3:3: key "secret-in-environment" is given twice in rules (first at line 2)`},
		{"rules: {}\nrules: {}\n", `2:1: key "rules" is given twice`},
		{"ignore:\n  - rule: fixed-container-name\n    reason: a\n    reason: b\n", `4:5: key "reason" is given twice`},
	}
	for _, c := range cases {
		_, err := Parse(".composure.yaml", []byte(c.src), rules.All())
		var pe *project.Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %v, want a positioned error", c.src, err)
			continue
		}
		if !strings.Contains(pe.Error(), c.want) || !strings.HasPrefix(pe.Error(), ".composure.yaml:") {
			t.Errorf("%q: got %q, want it to contain %q", c.src, pe.Error(), c.want)
		}
	}
}

// The starter config parses and lists every rule.
func TestStarter(t *testing.T) {
	s := Starter(rules.All())
	c, err := Parse("starter", []byte(s), rules.All())
	if err != nil {
		t.Fatalf("starter config does not parse: %v", err)
	}
	if c.ImagesMode != "off" {
		t.Errorf("starter images: %q, want off", c.ImagesMode)
	}
	for _, r := range rules.All() {
		if !strings.Contains(s, "# "+r.ID+":") {
			t.Errorf("starter lacks rule %s", r.ID)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(sub); got != filepath.Join(dir, FileName) {
		t.Errorf("Find = %q", got)
	}
	// A directory named .composure.yaml nearer is the config that cannot
	// be read (an error from Load), not a reason to take the parent's.
	if err := os.Mkdir(filepath.Join(sub, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	got := Find(sub)
	if got != filepath.Join(sub, FileName) {
		t.Fatalf("Find = %q, want the directory", got)
	}
	if _, err := Load(got, rules.All()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Load(directory) = %v, want not a regular file", err)
	}
}

// TestLoadEdgeCases: a config of comments only is empty; a YAML error has
// a line and column; a config that is not a regular file (a FIFO, which
// would block a plain read) is an error, not a hang.
func TestLoadEdgeCases(t *testing.T) {
	dir := t.TempDir()
	comments := filepath.Join(dir, "comments.yaml")
	if err := os.WriteFile(comments, []byte("# nothing set yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err := Load(comments, rules.All()); err != nil || len(c.Severity) != 0 {
		t.Errorf("comments only: %v, %v; want an empty config", c, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("rules:\n  a: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var perr *project.Error
	if _, err := Load(bad, rules.All()); !errors.As(err, &perr) || perr.Line == 0 {
		t.Errorf("bad yaml: %v; want an error with a line", err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo, rules.All()); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO config loaded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("loading a FIFO config blocked")
	}
}
