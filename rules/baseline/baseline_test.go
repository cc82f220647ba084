package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

func finding(rule, file, service, path string, line int, msg string) lint.Finding {
	return lint.Finding{Rule: rule, Service: service, Path: path, Message: msg, Severity: lint.Error,
		Pos: lint.Position{File: file, Line: line, Column: 3}}
}

// The four cases of adopting a baseline: a recorded finding that moved
// lines and one whose message changed stay hidden, a new finding is
// reported, and an entry that matches nothing is stale.
func TestFilter(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	recorded := []lint.Finding{
		finding("stateful-volume-missing", "compose.yaml", "db", "services.db", 4, `service "db" (postgres:16) keeps its data in /var/lib/postgresql/data`),
		finding("secret-in-environment", "compose.yaml", "db", "services.db.environment.POSTGRES_PASSWORD", 7, `service "db" sets POSTGRES_PASSWORD`),
		finding("anonymous-volume", "compose.yaml", "cache", "services.cache.volumes.0", 12, "anonymous volume on /data"),
		finding("fixed-container-name", "other/compose.yaml", "web", "services.web.container_name", 3, "pins container_name"),
	}
	b, err := New(recorded, dir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"line"`) {
		t.Errorf("the baseline records lines:\n%s", buf.String())
	}
	b, err = Read(&buf, dir)
	if err != nil {
		t.Fatal(err)
	}

	now := []lint.Finding{
		// moved ten lines down (a service was added above)
		finding("stateful-volume-missing", "compose.yaml", "db", "services.db", 14, `service "db" (postgres:16) keeps its data in /var/lib/postgresql/data`),
		// its message changed (postgres:16 bumped to 17)
		finding("secret-in-environment", "compose.yaml", "db", "services.db.environment.POSTGRES_PASSWORD", 17, `service "db" (postgres:17) sets POSTGRES_PASSWORD`),
		// new: another service got a secret
		finding("secret-in-environment", "compose.yaml", "api", "services.api.environment.API_KEY", 25, `service "api" sets API_KEY`),
		// the anonymous volume of cache was fixed: its entry is stale
	}
	kept, stale := b.Filter(now, []string{"compose.yaml", "other/compose.yaml"})
	if len(kept) != 1 || kept[0].Service != "api" {
		t.Errorf("kept %+v, want only the new api finding", kept)
	}
	if len(stale) != 2 || stale[0].Rule != "anonymous-volume" || stale[1].Rule != "fixed-container-name" {
		t.Errorf("stale %+v, want the fixed anonymous volume and other/compose.yaml's entry (linted, no finding)", stale)
	}

	// A file this run did not lint (pre-commit staged only compose.yaml)
	// keeps its entries, not stale.
	if _, stale := b.Filter(now, []string{"compose.yaml"}); len(stale) != 1 || stale[0].Rule != "anonymous-volume" {
		t.Errorf("stale %+v, want only compose.yaml's fixed entry", stale)
	}

	// One entry hides one finding: a second finding with the same
	// identity is new.
	twice := append(now[:1:1], now[0])
	if kept, _ := b.Filter(twice, nil); len(kept) != 1 {
		t.Errorf("kept %d of two findings with one recorded identity, want 1", len(kept))
	}
}

// Entry files are relative to the baseline's folder, so the same baseline
// works from another working directory.
func TestFilterFromAnotherDirectory(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	f := finding("anonymous-volume", filepath.Join("app", "compose.yaml"), "cache", "services.cache.volumes.0", 5, "m")
	b, err := New([]lint.Finding{f}, filepath.Join(root, "app"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Entries[0].File != "compose.yaml" {
		t.Errorf("entry file %q, want it relative to the baseline's folder", b.Entries[0].File)
	}
	if err := os.MkdirAll(filepath.Join(root, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "app")) // the finding is now "compose.yaml"
	f.Pos.File = "compose.yaml"
	if kept, _ := b.Filter([]lint.Finding{f}, nil); len(kept) != 0 {
		t.Errorf("kept %+v: a run from app/ does not match the baseline", kept)
	}
}

func TestReadRejects(t *testing.T) {
	for name, src := range map[string]string{
		"not json":    "findings: []",
		"version":     `{"version": 2, "findings": []}`,
		"unknown key": `{"version": 1, "findings": [], "extra": 1}`,
		"no rule":     `{"version": 1, "findings": [{"file": "a.yaml"}]}`,
	} {
		if _, err := Read(strings.NewReader(src), "/"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
