package project

import (
	"context"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

func (p *projectLoader) loadModel(ctx context.Context, dir string, env map[string]string, profiles []string, placeholders, skipConsistency bool) (*types.Project, error) {
	details := types.ConfigDetails{WorkingDir: dir, Environment: env}
	for _, f := range p.Files {
		cf := types.ConfigFile{Filename: f.Abs, Content: f.Content}
		if raw, ok := p.raw[f]; ok { // a degraded load's cut copy (degrade.go)
			cf.Config = raw
			details.ConfigFiles = append(details.ConfigFiles, cf)
			continue
		}
		// Hand compose-go our parse when its result is the same: one
		// document, no !reset/!override tags (which need its decoder) and
		// no key that is not a string (which its decoder refuses).
		// A legacy v1 file is always handed over as its view: its bytes are
		// the format compose-go refuses.
		if len(f.Docs) == 1 && (!f.HasTags && !f.OddKeys && !p.reference || f.Legacy != nil) {
			var raw map[string]any
			if err := f.Docs[0].Decode(&raw); err != nil {
				return nil, yamlError(f.Path, err)
			}
			if raw == nil {
				return nil, &Error{File: f.Path, Msg: "empty compose file"}
			}
			cf.Config = raw
		}
		details.ConfigFiles = append(details.ConfigFiles, cf)
	}
	if len(profiles) == 0 {
		profiles = []string{"*"}
	}
	name := loader.NormalizeProjectName(filepath.Base(dir))
	if name == "" {
		name = "composure"
	}
	substitute := p.lenientSubstitute
	if placeholders {
		substitute = p.placeholderSubstitute
	}
	configure := func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.Profiles = profiles
		// env_file and label_file are read at run time; a lint must not
		// fail because CI creates them at deploy time.
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.Interpolate.Substitute = substitute
		if placeholders {
			o.Interpolate.TypeCastMapping = placeholderCasts(o.Interpolate.TypeCastMapping)
		}
		o.SkipConsistencyCheck = skipConsistency
	}
	if p.reference {
		return loader.LoadWithContext(ctx, details, configure)
	}
	// The first load of the project, the one uncheckedModel repeats
	// without the consistency check.
	first := !placeholders && !skipConsistency && p.raw == nil
	return p.loadFast(ctx, details, name, configure, substitute, first)
}
