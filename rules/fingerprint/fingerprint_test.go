package fingerprint

import (
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

func TestIdentityIgnoresPositionAndMessage(t *testing.T) {
	a := lint.Finding{Rule: "stateful-volume-missing", Service: "db", Path: "services.db",
		Message: `service "db" (postgres:16) keeps its data...`, Pos: lint.Position{File: "deploy/compose.yaml", Line: 4, Column: 3}}
	moved := a
	moved.Pos.Line, moved.Pos.Column, moved.Message = 40, 7, `service "db" (postgres:17) keeps its data...`
	if Of(a) != Of(moved) || Of(a).Hash(1) != Of(moved).Hash(1) {
		t.Errorf("a moved, reworded finding has another identity: %+v vs %+v", Of(a), Of(moved))
	}
	for name, other := range map[string]func(*lint.Finding){
		"rule":    func(f *lint.Finding) { f.Rule = "anonymous-volume" },
		"file":    func(f *lint.Finding) { f.Pos.File = "compose.yaml" },
		"service": func(f *lint.Finding) { f.Service = "cache" },
		"path":    func(f *lint.Finding) { f.Path = "services.db.volumes" },
	} {
		b := a
		other(&b)
		if Of(a) == Of(b) || Of(a).Hash(1) == Of(b).Hash(1) {
			t.Errorf("another %s, same identity", name)
		}
	}
	if Of(a).Hash(1) == Of(a).Hash(2) {
		t.Error("a second occurrence hashes like the first")
	}
	c := Counter{}
	if _, n := c.Next(a); n != 1 {
		t.Errorf("first occurrence %d", n)
	}
	if _, n := c.Next(moved); n != 2 {
		t.Errorf("second occurrence %d", n)
	}
}
