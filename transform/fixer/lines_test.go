package fixer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform/write"
)

// TestAddLinesLikeWrite: the overlay a pass keeps for .env and .gitignore
// lines (what --diff shows and later passes load) must be byte for byte
// what write.EnsureLine puts on disk, including CRLF files, a BOM, and an
// unterminated last line.
func TestAddLinesLikeWrite(t *testing.T) {
	for _, content := range []string{
		"",
		"A=1\n",
		"A=1",
		"A=1\r\n",
		"A=1\r\nB=2\r\n",
		"A=1\r\nB=2",
		"A=1\r",
		"\ufeffA=1\n",
		"\ufeffNEW=x\r\n", // already there behind a BOM: no change
		"NEW=x\r\n",       // already there with CRLF: no change
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, ".env")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		ws := []lint.FileWrite{{Kind: lint.EnsureLine, Root: dir, Path: path, Content: "NEW=x"}}
		overlay := map[string][]byte{}
		wantChange := linesChange(ws, overlay)
		addLines(ws, overlay)

		changed, err := write.EnsureLine(dir, path, "NEW=x", 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if changed != wantChange {
			t.Errorf("%q: linesChange = %v, write changed = %v", content, wantChange, changed)
		}
		onDisk, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := overlay[path]
		if !ok {
			got = []byte(content)
		}
		if string(got) != string(onDisk) {
			t.Errorf("%q: overlay %q, written %q", content, got, onDisk)
		}
	}
}

// TestEnvLineBehindBOM: a variable on the first line of a .env with a BOM
// is still found, so two fixes cannot give it two values.
func TestEnvLineBehindBOM(t *testing.T) {
	if got := envLine([]byte("\ufeffPW=a\r\nX=1\n"), "PW"); got != "PW=a" {
		t.Errorf("envLine = %q, want %q", got, "PW=a")
	}
	if got := envLine([]byte("export X=1\n"), "X"); got != "export X=1" {
		t.Errorf("envLine = %q, want %q", got, "export X=1")
	}
}
