package project

import (
	"context"
	"path/filepath"
	"testing"
)

// The locator finds a renamed key of a v1 file at the key as written,
// and a finding's extent ends where that text ends.
func TestLegacyLocate(t *testing.T) {
	src := "web:\n  image: nginx\n  net: \"container:db\"\n  log_driver: syslog\n  volumes:\n    - data:/srv\ndb:\n  image: redis\n"
	dir := writeTree(t, map[string]string{"compose.yaml": src})
	p, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Files[0].Legacy == nil {
		t.Fatal("a v1 file is not marked Legacy")
	}
	for _, c := range []struct {
		path      []string
		line, col int
		end       int // byte offset the node's text ends at
	}{
		{[]string{"services", "web", "network_mode"}, 3, 3, len("web:\n  image: nginx\n  net: \"container:db\"")},
		{[]string{"services", "web", "logging", "driver"}, 4, 3, len("web:\n  image: nginx\n  net: \"container:db\"\n  log_driver: syslog")},
		{[]string{"services", "db", "image"}, 8, 3, len(src) - 1},
		{[]string{"volumes", "data"}, 6, 7, len("web:\n  image: nginx\n  net: \"container:db\"\n  log_driver: syslog\n  volumes:\n    - data:/srv")},
	} {
		loc := p.Locate(c.path...)
		if loc.Depth != len(c.path) || loc.Line() != c.line || loc.Column() != c.col {
			t.Errorf("%v: depth %d at %d:%d, want %d:%d", c.path, loc.Depth, loc.Line(), loc.Column(), c.line, c.col)
			continue
		}
		if end := loc.File.End(loc.Node); end != c.end {
			t.Errorf("%v: text ends at %d, want %d", c.path, end, c.end)
		}
	}
	svc := p.Model.Services["web"]
	if svc.NetworkMode != "service:db" || svc.Logging == nil || svc.Logging.Driver != "syslog" {
		t.Errorf("view: network_mode %q, logging %+v; want service:db and syslog", svc.NetworkMode, svc.Logging)
	}
	if v := p.Model.Volumes["data"]; v.Name != "data" {
		t.Errorf("the named volume v1 created keeps its name: got %q", v.Name)
	}
}
