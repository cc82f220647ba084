package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/composure-dev/composure/cmd/buildinfo"
)

// `composure version` and `--version` print the same five facts, and the
// reports name the version they start with.
func TestVersionEverywhere(t *testing.T) {
	want := buildinfo.Get()
	out, _, code := run(t, "version")
	if code != ExitOK {
		t.Fatalf("version: exit %d", code)
	}
	for _, line := range []string{"composure " + want.Version + "\n", "commit:", "built:", "go:       " + want.GoVersion + "\n", "platform: " + want.Platform + "\n"} {
		if !strings.Contains(out, line) {
			t.Errorf("version output %q lacks %q", out, line)
		}
	}
	flagOut, _, code := run(t, "--version")
	if code != ExitOK || flagOut != out {
		t.Errorf("--version: exit %d, output %q; want exit 0 and %q", code, flagOut, out)
	}

	sarifOut, _, _ := run(t, "lint", "--format", "sarif", "testdata/project")
	var sarif struct {
		Runs []struct {
			Tool struct{ Driver struct{ Version string } }
		}
	}
	if err := json.Unmarshal([]byte(sarifOut), &sarif); err != nil || len(sarif.Runs) != 1 {
		t.Fatalf("sarif: %v", err)
	}
	if got := sarif.Runs[0].Tool.Driver.Version; got != want.Version {
		t.Errorf("SARIF tool.driver.version = %q, want %q", got, want.Version)
	}
	jsonOut, _, _ := run(t, "lint", "--format", "json", "testdata/project")
	var doc struct {
		Tool struct{ Name, Version string }
	}
	if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tool.Name != "composure" || doc.Tool.Version != want.Version {
		t.Errorf("JSON tool = %+v, want composure %s", doc.Tool, want.Version)
	}
}
