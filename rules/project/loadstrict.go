package project

import (
	"context"
	"maps"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
)

// Why this file exists: the fixer loads every run of a project (each -f
// set, each --env-file) strictly, before and after its fixes, hundreds of
// times on a large tree, and compose-go's own load spends most of its time
// in the walks loadFast avoids (fastload.go). LoadModelStrict is that
// load through loadFast, for files the caller holds in memory (the fixer's
// overlay), with compose-go's own load as the answer whenever the fast
// one could differ: the fixer quotes compose-go's error in what it
// withholds, so the fast path never gives an error of its own.

// LoadModelStrict is loader.LoadWithContext(ctx, details, configure): the
// same model, and an error exactly when compose-go errs, compose-go's own
// (it loads again itself then). configure must set the project name
// (dirName, not explicit) and Interpolate.Substitute to substitute, and
// leave MaxNodeVisits at its default; the substitute sees the same
// strings, so a lookup it records is one compose-go's load makes, and
// every lookup compose-go makes is recorded.
// Unlike compose-go, it does not add COMPOSE_PROJECT_NAME to the map
// details.Environment when it succeeds: the model's Environment has it.
//
// It loads fast only what it can be sure of: every file given as bytes
// that our parser reads as one plain compose document (no !reset or
// !override, no key that is not a string, not a legacy v1 file, within
// the limits of limits.go), that includes nothing and extends from no
// other file (which compose-go would read from the disk itself).
func LoadModelStrict(ctx context.Context, details types.ConfigDetails, dirName string, configure func(*loader.Options), substitute func(string, template.Mapping) (string, error)) (*types.Project, error) {
	if model, ok := loadStrictFast(ctx, details, dirName, configure, substitute); ok {
		return model, nil
	}
	return loader.LoadWithContext(ctx, details, configure)
}

// loadStrictFast is the fast load, ok false when it was not tried, failed
// or panicked.
func loadStrictFast(ctx context.Context, details types.ConfigDetails, dirName string, configure func(*loader.Options), substitute func(string, template.Mapping) (string, error)) (model *types.Project, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			model, ok = nil, false
		}
	}()
	l := &projectLoader{Project: &Project{Dir: details.WorkingDir}}
	files := make([]types.ConfigFile, len(details.ConfigFiles))
	for i, cf := range details.ConfigFiles {
		if cf.Config != nil || cf.Content == nil {
			return nil, false
		}
		f, err := parseFile(cf.Filename, cf.Filename, cf.Content)
		if err != nil || !strictPlain(f) {
			return nil, false
		}
		var raw map[string]any
		if err := f.Docs[0].Decode(&raw); err != nil || raw == nil || pullsInFiles(raw) {
			return nil, false
		}
		cf.Config = raw
		files[i] = cf
		l.Files = append(l.Files, f)
	}
	details.ConfigFiles = files
	// loadFast adds COMPOSE_PROJECT_NAME to the environment before
	// compose-go settles the name; a load that falls back must start
	// from the caller's environment, as compose-go's own would.
	details.Environment = maps.Clone(details.Environment)
	model, err := l.loadFast(ctx, details, dirName, configure, substitute, false)
	return model, err == nil
}

// strictPlain reports whether compose-go reads f's bytes as we read them:
// one document, no tags only its decoder knows, only string keys, not a
// legacy file (whose view is ours), and few enough nodes that compose-go's
// reset pass (which counts the nodes it visits and refuses a document of
// more than 100,000 by default) cannot refuse it: a file has at most
// about twice as many nodes as nodeEstimate counts (limits.go).
func strictPlain(f *File) bool {
	if est, _ := nodeEstimate(f.Content); est > maxStrictNodes {
		return false
	}
	return len(f.Docs) == 1 && !f.HasTags && !f.OddKeys && f.Legacy == nil
}

// maxStrictNodes keeps twice the estimate, plus the document, under
// compose-go's default MaxNodeVisits.
const maxStrictNodes = 49_000

// pullsInFiles reports a top-level include, or a service or job that
// extends from a file: compose-go reads those from the disk, the bytes
// there, not the caller's, and interpolates them itself.
func pullsInFiles(raw map[string]any) bool {
	if _, ok := raw["include"]; ok {
		return true
	}
	for _, key := range []string{"services", "jobs"} {
		entries, _ := raw[key].(map[string]any)
		for _, e := range entries {
			svc, _ := e.(map[string]any)
			ext, _ := svc["extends"].(map[string]any)
			if _, ok := ext["file"]; ok {
				return true
			}
		}
	}
	return false
}
