package fixer_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// fixOverrideCase copies the base + override fixture of
// stateful-volume-missing into a scratch folder and fixes it there.
func fixOverrideCase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(fixturesDir, "stateful-volume-missing", "fix-override"))); err != nil {
		t.Fatal(err)
	}
	specs, errs := project.Discover([]string{dir})
	if len(errs) > 0 || len(specs) != 1 || len(specs[0].Files) != 2 {
		t.Fatalf("discover: %+v %v", specs, errs)
	}
	res := fixer.Run(context.Background(), specs, config(rules.StatefulVolumeMissing), fixer.Options{})
	if res.Applied["stateful-volume-missing"] != 1 {
		t.Fatalf("applied %v, refused %+v", res.Applied, res.Refused)
	}
	if refused := fixer.Apply(res); len(refused) > 0 {
		t.Fatalf("refused: %+v", refused)
	}
	return dir
}

// TestFixPlacementBaseFile (issue 13, item 8): the volume for a service
// the base file defines lands in the base file, so `docker compose -f
// compose.yaml up` (production, CI) keeps the data too, and the merged
// project keeps the override's own mount beside it.
func TestFixPlacementBaseFile(t *testing.T) {
	dir := fixOverrideCase(t)
	base := filepath.Join(dir, "compose.yaml")
	override := filepath.Join(dir, "compose.override.yaml")
	for _, files := range [][]string{{base}, {base, override}} {
		p, err := project.Load(context.Background(), project.Spec{Files: files, Dir: dir}, project.Options{Environ: []string{}})
		if err != nil {
			t.Fatalf("load %v: %v", files, err)
		}
		got := map[string]string{}
		for _, v := range p.Model.Services["db"].Volumes {
			got[v.Target] = v.Type + " " + v.Source
		}
		if got["/var/lib/postgresql/data"] != "volume db-data" {
			t.Errorf("compose-go, files %v: db mounts %v, want volume db-data on /var/lib/postgresql/data", names(files), got)
		}
		if _, ok := p.Model.Volumes["db-data"]; !ok {
			t.Errorf("compose-go, files %v: db-data is not declared", names(files))
		}
		if len(files) == 2 && got["/docker-entrypoint-initdb.d"] == "" {
			t.Errorf("compose-go, base and override: the override's mount is gone: %v", got)
		}
	}
	cli := composeCLI(t)
	for _, files := range [][]string{{"compose.yaml"}, {"compose.yaml", "compose.override.yaml"}} {
		var model struct {
			Services map[string]struct {
				Volumes []struct{ Type, Source, Target string }
			}
			Volumes map[string]any
		}
		if err := json.Unmarshal(composeConfig(t, cli, dir, files...), &model); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, v := range model.Services["db"].Volumes {
			found = found || v.Type == "volume" && v.Source == "db-data" && v.Target == "/var/lib/postgresql/data"
		}
		if _, declared := model.Volumes["db-data"]; !found || !declared {
			t.Errorf("docker compose, files %v: db-data not mounted or not declared: %+v", files, model)
		}
	}
}

func names(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}
