package fixer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
	"github.com/composure-dev/composure/transform/fixer"
)

// markerRule reports every "# fix:<text>" comment of a project's files
// with a fix that replaces the comment by <text>. "# fix:[" breaks the
// file; "# fix:# done" is harmless.
var markerRule = &rules.Rule{
	ID: "test-marker", Title: "marker", Severity: rules.Warning, Fix: rules.SafeFix,
	Check: func(p *rules.Pass) {
		for _, f := range p.Project.Files {
			for off := 0; ; {
				i := bytes.Index(f.Content[off:], []byte("# fix:"))
				if i < 0 {
					break
				}
				start := off + i
				end := start + bytes.IndexByte(f.Content[start:], '\n')
				off = end
				loc := p.Project.LocateIn(f, "services")
				p.Report(loc, rules.Finding{Message: "marker", Fix: &rules.Fix{
					Title: "replace the marker", Applicability: rules.Safe,
					Edits: []transform.Edit{{File: f.Abs, Start: start, End: end, New: string(f.Content[start+len("# fix:") : end])}},
				}})
			}
		}
	},
}

// TestBrokenFixRefused: a pass's changes are verified by the next pass's
// lint. A change that breaks its project is refused and the file left as
// it was; a good change to another file of the same project, made in the
// same pass, and a change in another project are kept.
func TestBrokenFixRefused(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mainFile := write("a/compose.yaml", "services:\n  web:\n    image: nginx\n# fix:# done\n")
	override := write("a/compose.override.yaml", "services:\n  web:\n    environment: {A: '1'}\n# fix:[\n")
	other := write("b/compose.yaml", "services:\n  db:\n    image: redis\n# fix:# also done\n")
	specs, errs := project.Discover([]string{filepath.Join(dir, "a"), filepath.Join(dir, "b")})
	if len(errs) > 0 || len(specs) != 2 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := rules.Config{Rules: []*rules.Rule{markerRule}, Load: project.Options{Environ: []string{}}, Jobs: 2}
	res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})

	fixed := map[string]string{}
	for _, c := range res.Changes {
		fixed[c.Abs] = string(c.Fixed)
	}
	if got := fixed[mainFile]; !strings.Contains(got, "\n# done\n") {
		t.Errorf("the good change to the main file was not kept: %q", got)
	}
	if got := fixed[other]; !strings.Contains(got, "\n# also done\n") {
		t.Errorf("the change in the other project was not kept: %q", got)
	}
	if got, ok := fixed[override]; ok {
		t.Errorf("the breaking change was kept: %q", got)
	}
	if len(res.Refused) != 1 || !strings.Contains(res.Refused[0].Reason, "would not load") || res.Refused[0].File != override {
		t.Errorf("refused = %+v, want the override file, which would not load", res.Refused)
	}
	if res.Applied["test-marker"] != 2 {
		t.Errorf("applied = %v, want 2 marker fixes", res.Applied)
	}
}
