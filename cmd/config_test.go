package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func configProject(t *testing.T, cfg string) string {
	t.Helper()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  db:\n    image: postgres:16\n    container_name: main-db\n    environment:\n      POSTGRES_PASSWORD: example\n"), 0o644))
	if cfg != "" {
		must(t, os.WriteFile(filepath.Join(dir, ".composure.yaml"), []byte(cfg), 0o644))
	}
	return dir
}

func TestConfigFileApplies(t *testing.T) {
	dir := configProject(t, "rules:\n  stateful-volume-missing: off\n  secret-in-environment:\n    allow-names: [POSTGRES_*]\n")
	out, _, code := run(t, "lint", "--format", "json", "--fail-on", "info", dir)
	if code != ExitFindings || strings.Contains(out, "stateful-volume-missing") || strings.Contains(out, `"secret-in-environment"`) || !strings.Contains(out, "fixed-container-name") {
		t.Errorf("exit %d, config not applied:\n%s", code, out)
	}
	// The command line wins over the file.
	out, _, _ = run(t, "lint", "--format", "json", "--enable", "stateful-volume-missing", dir)
	if !strings.Contains(out, "stateful-volume-missing") {
		t.Errorf("--enable did not override the config:\n%s", out)
	}
}

// A typo in the config fails before anything is linted, naming the file,
// line and key.
func TestConfigTypoFailsEarly(t *testing.T) {
	dir := configProject(t, "rules:\n  secret-in-environment:\n    severty: warning\n")
	out, errOut, code := run(t, "lint", dir)
	if code != ExitIncomplete || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, ".composure.yaml:3:5") || !strings.Contains(errOut, `"severty"`) {
		t.Errorf("message does not name the file, line and key: %s", errOut)
	}
}

func TestInitWritesStarter(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	must(t, os.Chdir(dir))
	defer func() { must(t, os.Chdir(wd)) }()
	if _, errOut, code := run(t, "init"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	if _, _, code := run(t, "init"); code != ExitIncomplete {
		t.Errorf("second init: exit %d, want %d (never overwrite)", code, ExitIncomplete)
	}
	// The first line names the schema shipped in the repository.
	data, err := os.ReadFile(filepath.Join(dir, ".composure.yaml"))
	must(t, err)
	first, _, _ := strings.Cut(string(data), "\n")
	want := "# yaml-language-server: $schema=https://raw.githubusercontent.com/composure-dev/composure/main/docs/composure.schema.json"
	if first != want {
		t.Errorf("first line %q, want %q", first, want)
	}
	if _, err := os.Stat(filepath.Join(wd, "..", "docs", "composure.schema.json")); err != nil {
		t.Errorf("the schema init names is not in the repository: %v", err)
	}
	if _, _, code := run(t, "lint", "--fail-on", "never", "."); code != 0 {
		t.Errorf("the starter config is not accepted: exit %d", code)
	}
}
