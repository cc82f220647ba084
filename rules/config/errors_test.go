package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/project"
)

// Every problem of a config is reported in one run, each at its place,
// with a suggestion for a misspelt key, rule or option.
func TestParseReportsAllErrors(t *testing.T) {
	src := "rules:\n" +
		"  stateful-volume-mising: off\n" + // 2
		"  secret-in-environment:\n" +
		"    allow-name: [X]\n" + // 4
		"ignores: []\n" + // 5
		"ignore:\n" +
		"  - rule: anonymous-volume\n" +
		"    pathglob: x\n" + // 8
		"    reason: r\n"
	_, err := Parse("sub/.composure.yaml", []byte(src), rules.All())
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %v, want config.Errors", err)
	}
	want := []string{
		`sub/.composure.yaml:2:3: unknown rule "stateful-volume-mising" (did you mean stateful-volume-missing?)`,
		`sub/.composure.yaml:4:5: unknown option "allow-name" for rule secret-in-environment (did you mean allow-names?)`,
		`sub/.composure.yaml:5:1: unknown key "ignores" (did you mean ignore?)`,
		`sub/.composure.yaml:8:5: unknown key "pathglob" in ignore entry (did you mean path-glob?)`,
	}
	if len(es) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(es), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(es[i].Error(), w) {
			t.Errorf("error %d = %q, want it to start with %q", i, es[i].Error(), w)
		}
	}
	var pe *project.Error
	if !errors.As(err, &pe) || pe.Line != 2 {
		t.Errorf("errors.As(*project.Error) = %v, want the first error", pe)
	}
}

func TestDidYouMean(t *testing.T) {
	for name, want := range map[string]string{
		"rule":                 "",                                 // exact: no suggestion
		"stateful-images":      "",                                 // exact
		"statefull-images":     " (did you mean stateful-images?)", // one extra letter
		"volumes":              "",                                 // nothing close
		"Ignore":               " (did you mean ignore?)",
		"secret-in-environmnt": " (did you mean secret-in-environment?)",
	} {
		got := didYouMean(name, append([]string{"rule", "rules", "ignore", "stateful-images"}, (&parser{catalogue: rules.All()}).ruleIDs()...))
		if got != want {
			t.Errorf("didYouMean(%q) = %q, want %q", name, got, want)
		}
	}
}

// Load names the file relative to the working directory, as Find's
// absolute path would not.
func TestLoadRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir("sub", 0o755))
	must(os.WriteFile(filepath.Join("sub", FileName), []byte("rulez: {}\n"), 0o644))
	_, err := Load(Find(filepath.Join(dir, "sub")), rules.All())
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join("sub", FileName)+":1:1: unknown key \"rulez\" (did you mean rules?)") {
		t.Errorf("Load: %v, want a relative path and a suggestion", err)
	}
}
