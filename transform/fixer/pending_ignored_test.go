package fixer

import (
	"path/filepath"
	"testing"
)

func TestPendingIgnored(t *testing.T) {
	dir := filepath.FromSlash("/p")
	overlay := map[string][]byte{
		filepath.Join(dir, ".gitignore"):        []byte("# pending\r\n/secrets/\r\n/keys/a.txt\r\n.env\r\n"),
		filepath.Join(dir, "sub", ".gitignore"): []byte("/x.env\n"),
		filepath.Join(dir, "compose.yaml"):      []byte("/keys/b.txt\n"),
	}
	for path, want := range map[string]bool{
		"secrets/db":       true,
		"keys/a.txt":       true,
		"keys/b.txt":       false, // not a .gitignore
		"keys/a.txt.bak":   false,
		"deep/.env":        true,
		"sub/x.env":        true,
		"x.env":            false,
		"../outside/a.txt": false,
	} {
		if got := pendingIgnored(filepath.Join(dir, filepath.FromSlash(path)), overlay); got != want {
			t.Errorf("%s: pendingIgnored = %v, want %v", path, got, want)
		}
	}
}
