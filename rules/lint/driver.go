package lint

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// Config is one lint run's validated settings.
type Config struct {
	Load project.Options
	// Loader loads one project; nil means project.Load (a test compares
	// it with project.LoadReference).
	Loader func(context.Context, project.Spec, project.Options) (*project.Project, error)
	// Catalogue is every rule there is; Rules are the ones this run
	// enables, in any order.
	Catalogue []*Rule
	Rules     []*Rule
	Severity  map[string]Severity
	Knowledge *knowledge.Knowledge
	// Jobs bounds the projects linted at once; 0 means one per CPU.
	Jobs int
	Run  RunOptions
	// Ignores are the config file's ignore entries; BaseDir is the config
	// file's directory, which their path globs are relative to.
	Ignores []Ignore
	BaseDir string
	// ReleaseModels frees each project's parse trees and model once its
	// findings are made (the CLI sets it; tests that inspect models don't).
	ReleaseModels bool
	// ReleaseTrees frees only the parse trees, and keeps the model (the
	// fixer compares models across a pass; the trees of a thousand
	// projects, kept too, cost the garbage collector more than the loads).
	ReleaseTrees bool
}

// Outcome is one project's result: the loaded project and its findings,
// or the error that stopped it.
type Outcome struct {
	Spec     project.Spec
	Project  *project.Project
	Findings []Finding
	// Suppressed are findings comments or the config silenced.
	Suppressed []Suppressed
	Err        error
	// PartlyRead are the files of a project that does not load (Err) but
	// whose degraded model was checked: its Findings are Partial.
	PartlyRead []*project.File
}

// Run loads and checks projects in parallel and returns their
// outcomes in the order of specs. The user's severities are applied and
// findings turned off are dropped.
func Run(ctx context.Context, specs []project.Spec, cfg Config) []Outcome {
	jobs := cfg.Jobs
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	k := cfg.Knowledge
	if k == nil {
		k = knowledge.Default()
	}
	out := make([]Outcome, len(specs))
	// A fixed set of workers, not a goroutine per project: compose-go's
	// load recurses deep, and a worker's grown stack serves every project
	// it lints (a new goroutine grew its stack anew, about 1% of a lint).
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(jobs, len(specs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(specs); i = int(next.Add(1) - 1) {
				out[i] = lintOne(ctx, specs[i], cfg, k)
			}
		}()
	}
	wg.Wait()
	return out
}

func lintOne(ctx context.Context, spec project.Spec, cfg Config, k *knowledge.Knowledge) Outcome {
	o := Outcome{Spec: spec}
	load := cfg.Loader
	if load == nil {
		load = project.Load
	}
	p, err := load(ctx, spec, cfg.Load)
	if err != nil {
		o.Err = err
		if p != nil && p.Partial {
			o.PartlyRead = p.AllFiles()
			o.Findings = partialFindings(p, k, cfg)
		}
		return o
	}
	o.Project = p
	fs, err := Check(p, k, cfg.Rules, cfg.Run)
	if err != nil {
		o.Err = err
		return o
	}
	res := Process(p, fs, &cfg)
	o.Findings, o.Suppressed = res.Findings, res.Suppressed
	if p.Partial {
		// a fragment (an extends source): it loads only without its
		// consistency checks, so no fix of it can be verified
		for i := range o.Findings {
			o.Findings[i].Partial, o.Findings[i].Fix = true, nil
		}
	}
	release(p, &cfg)
	return o
}

// release frees what cfg says to of p, once its findings are made.
func release(p *project.Project, cfg *Config) {
	switch {
	case cfg.ReleaseModels:
		p.Release()
	case cfg.ReleaseTrees:
		p.ReleaseTrees()
	}
}

// known reports whether id names a rule of the catalogue (enabled or
// not): an ignore comment naming a disabled rule is not a typo.
func (cfg *Config) known(id string) bool {
	return slices.ContainsFunc(cfg.Catalogue, func(r *Rule) bool { return r.ID == id })
}

// partialFindings checks a project that does not load on the model
// compose-go made of it without checking its references (never blind: a
// secret in a broken file is still committed). The findings are marked
// Partial and carry no fix: a fix must be verified by loading the result,
// and nothing here loads.
func partialFindings(p *project.Project, k *knowledge.Knowledge, cfg Config) []Finding {
	fs, err := Check(p, k, cfg.Rules, cfg.Run)
	if err != nil {
		return nil // a rule that panics on a broken model: the load error stands
	}
	out := Process(p, fs, &cfg).Findings
	for i := range out {
		out[i].Partial, out[i].Fix = true, nil
	}
	release(p, &cfg)
	return out
}
