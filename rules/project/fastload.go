package project

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/paths"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/transform"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	composure "github.com/composure-dev/composure/transform"
	"go.yaml.in/yaml/v4"
)

// Why this file exists: most of a lint's time is compose-go walking the
// whole model once per phase and matching every node's path against a
// table of patterns. loadFast is loader.LoadWithContext with three of
// those walks made cheaper, each giving compose-go's own result:
//
//   - the project name is read from our parse (compose-go re-parses every
//     file just for `name:`), falling back to compose-go when it is not a
//     plain string;
//   - interpolation gets only the type casts that can apply (casts.go),
//     and is done here, on the data handed over, when nothing else reads
//     its options (interpolate.go);
//   - relative paths are resolved, and default values set, by compose-go's
//     own functions, but on a view of the model pruned to the ways to
//     their patterns (prune.go), not the environment, labels, commands and
//     healthchecks they would walk past. They therefore run after the
//     model is loaded, so normalisation (which must follow them) is run
//     here too.
//
// LoadReference skips all of it; TestFastPathSameFindings compares the
// two on the whole corpus, TestFastLoadSameModelCorpus their models, and
// FuzzFastLoadSameModel on any input.
//
// keepUnchecked, for the project's first load, keeps the model without
// the consistency check when that check fails (spare.go).
func (p *projectLoader) loadFast(ctx context.Context, details types.ConfigDetails, dirName string, configure func(*loader.Options), substitute func(string, template.Mapping) (string, error), keepUnchecked bool) (*types.Project, error) {
	name, explicit, err := p.projectName(details, dirName, substitute)
	if err != nil {
		return nil, err
	}
	preInterpolated := explicit && p.interpolateFirst(&details, name, configure)
	dict, err := loader.LoadModelWithContext(ctx, details, func(o *loader.Options) {
		configure(o)
		if explicit {
			o.SetProjectName(name, true)
		}
		if preInterpolated {
			o.Interpolate = nil // done (interpolate.go)
		} else {
			o.Interpolate.TypeCastMapping = p.typeCasts(o.Interpolate.TypeCastMapping)
		}
		o.ResolvePaths = false
		o.SkipNormalization = true
		o.SkipDefaultValues = true
	})
	if err != nil {
		return nil, err
	}
	if err := setDefaults(dict); err != nil {
		return nil, err
	}
	// compose-go records the name it settled on in the environment.
	name = details.Environment[consts.ComposeProjectName]
	if err := resolvePaths(dict, details.WorkingDir); err != nil {
		return nil, err
	}
	dict["name"] = name
	dict, err = loader.Normalize(dict, details.Environment)
	if err != nil {
		return nil, err
	}
	opts := loader.ToOptions(&details, []func(*loader.Options){configure, func(o *loader.Options) {
		o.SetProjectName(name, true)
	}})
	var spare map[string]any
	if keepUnchecked && p.unchecked == nil && mayBeInconsistent(dict) {
		spare, _ = deepCopy(dict).(map[string]any)
	}
	project, err := loader.ModelToProject(dict, opts, details)
	if err != nil {
		if spare != nil && errors.Is(err, errdefs.ErrInvalid) {
			// spare.go: the model uncheckedModel would load again.
			opts.SkipConsistencyCheck = true
			m, err := loader.ModelToProject(spare, opts, details)
			if err != nil {
				p.unchecked = &uncheckedLoad{err: modelError{err}}
			} else {
				p.unchecked = &uncheckedLoad{model: m}
			}
		}
		return nil, modelError{err}
	}
	return project, nil
}

// interpolateFirst interpolates the files' data in details as compose-go
// would (interpolate.go), when compose-go reads nothing more with the
// interpolation options: every file is handed over as data, none
// includes a file or extends from one. It reports whether it did; when a
// value fails, it leaves details as they were.
func (p *projectLoader) interpolateFirst(details *types.ConfigDetails, name string, configure func(*loader.Options)) bool {
	if p.refsMissing {
		return false
	}
	for _, f := range p.Files {
		if len(f.Includes) > 0 {
			return false
		}
		for _, ref := range f.Extends {
			if ref.File != nil || ref.Missing {
				return false
			}
		}
	}
	for _, cf := range details.ConfigFiles {
		if cf.Config == nil {
			return false
		}
	}
	// compose-go sets the project's name in the environment before it
	// interpolates (${COMPOSE_PROJECT_NAME}); it sets it again, the same.
	if details.Environment == nil {
		details.Environment = types.Mapping{}
	}
	details.Environment[consts.ComposeProjectName] = name
	opts := loader.ToOptions(details, []func(*loader.Options){configure})
	in := interpolator{
		lookup:     opts.Interpolate.LookupValue,
		substitute: opts.Interpolate.Substitute,
		casts:      newCastTable(p.typeCasts(opts.Interpolate.TypeCastMapping)),
	}
	files := slices.Clone(details.ConfigFiles)
	for i, cf := range files {
		out, ok := in.interpolateData(cf.Config)
		if !ok {
			return false
		}
		files[i].Config = out
	}
	details.ConfigFiles = files
	return true
}

// modelError is an error of ModelToProject, the phase that checks
// consistency (stableConsistencyError looks for no hint in other errors).
type modelError struct{ error }

func (e modelError) Unwrap() error { return e.error }

// projectName is compose-go's choice of name from the files' `name:`
// (the last one set wins, interpolated, normalised), or the default
// dirName. explicit is false when a file is not one plain
// mapping or its name is not a plain string: compose-go decides then.
func (p *projectLoader) projectName(details types.ConfigDetails, dirName string, substitute func(string, template.Mapping) (string, error)) (name string, explicit bool, err error) {
	var raw string
	for _, f := range p.Files {
		if len(f.Docs) != 1 || len(f.Docs[0].Content) != 1 {
			return "", false, nil
		}
		root := f.Docs[0].Content[0]
		if root.Kind != yaml.MappingNode {
			return "", false, nil
		}
		for k, v := range composure.Pairs(root) {
			switch {
			case k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Value == "<<":
				return "", false, nil
			case k.Value != "name":
				continue
			case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			case v.Kind == yaml.ScalarNode && v.Tag == "!!str":
				if v.Value != "" {
					raw = v.Value
				}
			default:
				return "", false, nil
			}
		}
	}
	interpolated, err := interpolation.Interpolate(map[string]any{"name": raw}, interpolation.Options{
		LookupValue: details.LookupEnv,
		Substitute:  substitute,
	})
	if err != nil {
		return "", false, err
	}
	if n := loader.NormalizeProjectName(interpolated["name"].(string)); n != "" {
		return n, true, nil
	}
	return dirName, true, nil
}

// setDefaults runs transform.SetDefaultValues on a pruned view of dict
// (prune.go): the ways to the patterns of compose-go's own table,
// transform.DefaultValues. compose-go sets defaults before its
// validation.Validate; none of its checks reads a defaulted value (ports'
// protocol and mode, a secret's target, a bind's create_host_path, a
// build context, a device's count "all" that is only set when the
// exclusive device_ids is absent), so running it after gives the same
// result. An included project still gets its defaults in its own load,
// before its paths are resolved: compose-go does not pass
// SkipDefaultValues on to it (the "include with defaults" case of
// TestFastLoadSameModel fails if that changes).
func setDefaults(dict map[string]any) error {
	pr := pruneFor(dict, defaultPatterns)
	if _, err := transform.SetDefaultValues(pr.view); err != nil {
		return err
	}
	pr.writeBack()
	return nil
}

// defaultPatterns are the paths of transform.DefaultValues.
var defaultPatterns = slices.Collect(maps.Keys(transform.DefaultValues))

// pathPatterns are the paths under which compose-go resolves relative
// paths: the table of paths.ResolveRelativePaths (v2.16.2), which it
// does not export. TestPrunedWalksSameAsWhole checks compose-go
// resolves nothing else.
var pathPatterns = []tree.Path{
	"services.*.build.context", "services.*.build.additional_contexts.*", "services.*.build.ssh.*",
	"services.*.env_file.*.path", "services.*.label_file.*", "services.*.extends.file",
	"services.*.develop.watch.*.path", "services.*.volumes.*",
	"jobs.*.build.context", "jobs.*.build.additional_contexts.*", "jobs.*.build.ssh.*",
	"jobs.*.env_file.*.path", "jobs.*.label_file.*", "jobs.*.extends.file", "jobs.*.volumes.*",
	"services.*.pre_start.*.env_file.*.path", "services.*.pre_start.*.label_file.*", "services.*.pre_start.*.volumes.*",
	"configs.*.file", "secrets.*.file",
	"include.path", "include.project_directory", "include.env_file",
	"volumes.*",
}

// resolvePaths runs paths.ResolveRelativePaths on a pruned view of dict
// (prune.go) and copies back what the resolvers replaced.
func resolvePaths(dict map[string]any, workingDir string) error {
	pr := pruneFor(dict, pathPatterns)
	if err := paths.ResolveRelativePaths(pr.view, workingDir, nil); err != nil {
		return err
	}
	pr.writeBack()
	return nil
}
