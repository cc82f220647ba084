package cmd

import (
	"os/exec"
	"strings"
	"testing"
)

// pre-commit's golang hook installs with `go install ./...` from the
// repository root: every program under ./... is compiled on each cold hook
// install. The benchmark and generator programs are built by name only
// (//go:build ignore), so composure must be the one command.
func TestOnlyComposureIsACommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	c := exec.Command(goBin, "list", "-f", `{{if eq .Name "main"}}{{.ImportPath}}{{end}}`, "./...")
	c.Dir = ".."
	out, err := c.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	got := strings.Fields(string(out))
	if len(got) != 1 || got[0] != "github.com/composure-dev/composure" {
		t.Errorf("commands under ./... = %v, want only github.com/composure-dev/composure", got)
	}
}
