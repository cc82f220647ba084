package cmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fullWriter fails every write, like stdout redirected to /dev/full.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteErrorsExitIncomplete: output that cannot be written is the
// could-not-run code for every command, fix --diff included, which used
// to exit 0 with its diff lost (issue 16, item 15).
func TestWriteErrorsExitIncomplete(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Zx9Qw7Er5Ty3\n"
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", dir},
		{"lint", "--format", "json", dir},
		{"fix", "--diff", dir},
		{"fix", "--diff", "--format", "json", dir},
		{"rules"},
		{"rules", "--format", "json"},
		{"explain", "secret-in-environment"},
		{"version"},
	} {
		var errb bytes.Buffer
		io := &IOStreams{In: strings.NewReader(""), Out: fullWriter{}, Err: &errb, Getenv: func(string) string { return "" }}
		if code := Execute(io, args); code != ExitIncomplete {
			t.Errorf("%v to a full stdout: exit %d, want %d (stderr %q)", args, code, ExitIncomplete, errb.String())
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "compose.yaml")); string(got) != compose {
		t.Errorf("fix --diff changed the compose file")
	}
}

// TestNegativeJobsIsUsageError: -j -1 is refused before anything runs.
func TestNegativeJobsIsUsageError(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range []string{"lint", "fix"} {
		_, errOut, code := run(t, cmd, "-j", "-1", dir)
		if code != ExitIncomplete || !strings.Contains(errOut, "-j -1") {
			t.Errorf("%s -j -1: exit %d, stderr %q; want a usage error", cmd, code, errOut)
		}
	}
}
