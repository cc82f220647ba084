package fixer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
	"github.com/composure-dev/composure/transform/fixer"
	"github.com/composure-dev/composure/transform/write"
)

// markerRule reports every "# fix:<text>" comment of a project's files
// with a fix that replaces the comment by <text>. "# fix:[" breaks the
// file; "# fix:# done" is harmless.
var markerRule = &lint.Rule{
	ID: "test-marker", Title: "marker", Severity: lint.Warning, Fix: lint.Safe,
	Check: func(p *lint.Pass) {
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
				p.Report(loc, lint.Finding{Message: "marker", Fix: &lint.Fix{
					Title: "replace the marker", Applicability: lint.Safe,
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
	cfg := lint.Config{Rules: []*lint.Rule{markerRule}, Load: project.Options{Environ: []string{}}, Jobs: 2}
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

// appendRule reports every "# add:<text>" comment whose "<text>" line is
// not in the file yet, with a fix that appends that line by rewriting the
// file's last line break: two such fixes replace the same byte (an
// overlap transform.Combine does not merge), so only one lands per pass.
var appendRule = &lint.Rule{
	ID: "test-append", Title: "append", Severity: lint.Warning, Fix: lint.Safe,
	Check: func(p *lint.Pass) {
		// Findings at one place are one finding: each gets its own key.
		places := [][]string{{"services"}, {"services", "web"}, {"services", "web", "image"}}
		for _, f := range p.Project.Files {
			for _, line := range strings.Split(string(f.Content), "\n") {
				text, ok := strings.CutPrefix(line, "# add:")
				if !ok || bytes.Contains(f.Content, []byte("\n"+text+"\n")) {
					continue
				}
				n, place := len(f.Content), places[0]
				places = places[1:]
				p.Report(p.Project.LocateIn(f, place...), lint.Finding{Message: "append", Fix: &lint.Fix{
					Title: "append " + text, Applicability: lint.Safe,
					Edits: []transform.Edit{{File: f.Abs, Start: n - 1, End: n, New: "\n" + text + "\n"}},
				}})
			}
		}
	},
}

// TestPassCapLeavesFixes: when the pass cap stops the loop, the fixes that
// did not land are counted, so the command can say "run again".
func TestPassCapLeavesFixes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  web:\n    image: nginx\n# add:#a\n# add:#b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := lint.Config{Rules: []*lint.Rule{appendRule}, Load: project.Options{Environ: []string{}}, Jobs: 1}
	capped := fixer.Run(context.Background(), specs, cfg, fixer.Options{MaxPasses: 1})
	if capped.Applied["test-append"] != 1 || capped.Left != 1 {
		t.Errorf("one pass: applied %v, left %d; want 1 applied and 1 left", capped.Applied, capped.Left)
	}
	full := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
	if full.Applied["test-append"] != 2 || full.Left != 0 {
		t.Errorf("all passes: applied %v, left %d; want 2 applied and 0 left", full.Applied, full.Left)
	}
}

// TestApplyLockedProjectUntouched: while another run holds a project's
// lock, none of its files is written, not only the first one tried.
func TestApplyLockedProjectUntouched(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"compose.yaml":          "services:\n  web:\n    image: nginx\n# fix:# done\n",
		"compose.override.yaml": "services:\n  web:\n    environment: {A: '1'}\n# fix:# done too\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, write.LockName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := lint.Config{Rules: []*lint.Rule{markerRule}, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
	if len(res.Changes) != 2 {
		t.Fatalf("%d files to change, want 2", len(res.Changes))
	}
	refused := fixer.Apply(res)
	if len(refused) != 2 {
		t.Errorf("refused %+v, want both files", refused)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != want {
			t.Errorf("%s was written while the project was locked: %q", name, got)
		}
	}
}

// TestBlockedFixRefusedOnce: a fix whose secret file name is taken by an
// existing file with other content takes the next free name, though every
// pass (here two: the volume fix changes the file) finds it again.
func TestBlockedFixRefusedOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "db-postgres-password"), []byte("other\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := lint.Config{
		Rules: []*lint.Rule{rules.ByID("secret-in-environment"), rules.ByID("stateful-volume-missing")},
		Load:  project.Options{Environ: []string{}}, Jobs: 1,
	}
	res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
	if res.Passes < 2 || res.Applied["stateful-volume-missing"] != 1 {
		t.Fatalf("passes %d, applied %v: want the volume fix in a first pass and a second pass", res.Passes, res.Applied)
	}
	// The existing file's name is taken: the secret gets the next one,
	// in the pass that finds it (issue 16, item 6).
	if len(res.Refused) != 0 || res.Applied["secret-in-environment"] != 1 {
		t.Errorf("refused %+v, applied %v; want the secret moved under a free name", res.Refused, res.Applied)
	}
	for _, w := range res.Writes {
		if w.Kind == lint.CreateSecret && filepath.Base(w.Path) != "db-postgres-password-2" {
			t.Errorf("creates %s, want db-postgres-password-2", w.Path)
		}
	}
}

// exclusiveRule offers two fixes to a service without network settings,
// each of which loads alone and which compose-go refuses together
// (network_mode and networks are mutually exclusive). Both insert at the
// end of the service, so transform.Combine merges them.
var exclusiveRule = &lint.Rule{
	ID: "test-exclusive", Title: "exclusive", Severity: lint.Warning, Fix: lint.Safe,
	Check: func(p *lint.Pass) {
		for _, f := range p.Project.Files {
			if bytes.Contains(f.Content, []byte("network")) {
				continue
			}
			at := bytes.Index(f.Content, []byte("nginx")) + len("nginx")
			for i, text := range []string{"\n    network_mode: host", "\n    networks: [default]"} {
				place := [][]string{{"services", "web"}, {"services", "web", "image"}}[i]
				p.Report(p.Project.LocateIn(f, place...), lint.Finding{Message: "exclusive", Fix: &lint.Fix{
					Title: "add" + text, Applicability: lint.Safe,
					Edits: []transform.Edit{{File: f.Abs, Start: at, End: at, New: text}},
				}})
			}
		}
	},
}

// TestCombinedFixFallsBack: when fixes that transform.Combine merged do
// not load together, the pass keeps the ones that apply side by side (the
// first) instead of refusing the file; the other is refused on its own in
// the next pass.
func TestCombinedFixFallsBack(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte("services:\n  web:\n    image: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := lint.Config{Rules: []*lint.Rule{exclusiveRule}, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Run(context.Background(), specs, cfg, fixer.Options{})
	if len(res.Changes) != 1 || string(res.Changes[0].Fixed) != "services:\n  web:\n    image: nginx\n    network_mode: host\n" {
		t.Fatalf("changes = %+v; want only network_mode added", res.Changes)
	}
	if res.Applied["test-exclusive"] != 1 {
		t.Errorf("applied = %v, want 1", res.Applied)
	}
}

// badEnvLineRule moves nothing but adds an environment entry and a .env
// line compose-go's dotenv cannot read (a single-quoted value ending in a
// backslash, as the .env writer once wrote it).
var badEnvLineRule = &lint.Rule{
	ID: "test-bad-env-line", Title: "bad env line", Severity: lint.Warning, Fix: lint.Safe,
	Check: func(p *lint.Pass) {
		for _, f := range p.Project.Files {
			if bytes.Contains(f.Content, []byte("API_TOKEN")) {
				continue
			}
			at := bytes.Index(f.Content, []byte("nginx")) + len("nginx")
			p.Report(p.Project.LocateIn(f, "services", "web"), lint.Finding{Message: "bad env line", Fix: &lint.Fix{
				Title: "move API_TOKEN", Applicability: lint.Safe,
				Edits:  []transform.Edit{{File: f.Abs, Start: at, End: at, New: "\n    environment:\n      API_TOKEN: ${API_TOKEN}"}},
				Writes: []lint.FileWrite{{Kind: lint.EnsureLine, Root: p.Project.Dir, Path: filepath.Join(p.Project.Dir, ".env"), Content: `API_TOKEN='Zx9Qw7Er5Ty3\'`, Secret: true}},
			}})
		}
	},
}

// TestVerifyLoadsTheEnvLines: the check before writing loads the final
// state of every file a fix writes, its .env lines included: a fix whose
// .env line docker compose could not read is refused, and nothing is
// written (issue 16, item 1).
func TestVerifyLoadsTheEnvLines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	const compose = "services:\n  web:\n    image: nginx\n"
	if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("discover: %v %v", specs, errs)
	}
	cfg := lint.Config{Rules: []*lint.Rule{badEnvLineRule}, Load: project.Options{Environ: []string{}}, Jobs: 1}
	res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{})
	if len(res.Refused) == 0 || !strings.Contains(res.Refused[0].Reason, "would not load") {
		t.Errorf("refused %+v, want the fix refused: its .env line does not load", res.Refused)
	}
	if b, _ := os.ReadFile(file); string(b) != compose {
		t.Errorf("compose.yaml written:\n%s", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".env")); err == nil {
		t.Errorf(".env written")
	}
}
