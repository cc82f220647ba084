package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/transform/fixer"
)

// TestMigrationNotesNameTheirFiles (issue 13, point 9): two compose files
// of one directory that get the same volume fix each get a note that
// names the file, with commands that run that file; a note two fixes
// share is printed once.
func TestMigrationNotesNameTheirFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"docker-compose.yml":     "services:\n  db:\n    image: postgres:16\n",
		"docker-compose.dev.yml": "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, _ := runTTY(t, nil, false, "fix", "--diff", dir)
	for _, file := range []string{"docker-compose.yml", "docker-compose.dev.yml"} {
		path := filepath.Join(dir, file)
		if n := strings.Count(stderr, path+`, service "db": if it has run before`); n != 1 {
			t.Errorf("%d notes name %s, want 1:\n%s", n, file, stderr)
		}
		if !strings.Contains(stderr, "docker compose -f "+path+" up -d db") {
			t.Errorf("no command runs %s:\n%s", file, stderr)
		}
	}

	var errb bytes.Buffer
	io := &IOStreams{Err: &errb}
	printFixSummary(io, &fixer.Result{Applied: map[string]int{"r": 2}, Notes: []string{"note a", "note b", "note a"}}, false)
	if got := strings.Count(errb.String(), "note a"); got != 1 {
		t.Errorf("note a printed %d times:\n%s", got, errb.String())
	}
}
