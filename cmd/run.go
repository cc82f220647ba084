package cmd

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// runConfig is what one lint run needs, already validated.
type runConfig struct {
	Paths []string
	// Files set one project explicitly (-f), in merge order.
	Files    []string
	Load     project.Options
	Rules    []*rules.Rule
	Severity map[string]rules.Severity
	Jobs     int
}

// runResult is a lint run: the reportable result plus the loaded projects
// (the fixer and the text reporter's source lines need their bytes).
type runResult struct {
	report.Result
	Projects []*project.Project
	Internal error
}

// lintAll discovers projects, loads and checks them in parallel (bounded
// by Jobs), and returns results in a deterministic order.
func lintAll(ctx context.Context, cfg runConfig) *runResult {
	var specs []project.Spec
	res := &runResult{}
	if len(cfg.Files) > 0 {
		dir := filepath.Dir(cfg.Files[0])
		specs = []project.Spec{{Files: cfg.Files, Dir: dir}}
	} else {
		var errs []error
		specs, errs = project.Discover(cfg.Paths)
		for _, err := range errs {
			res.Errors = append(res.Errors, toLoadError(err))
		}
	}
	jobs := cfg.Jobs
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	type outcome struct {
		p        *project.Project
		findings []rules.Finding
		err      error
	}
	out := make([]outcome, len(specs))
	k := knowledge.Default()
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, spec := range specs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := project.Load(ctx, spec, cfg.Load)
			if err != nil {
				out[i].err = err
				return
			}
			fs, err := rules.Run(p, k, cfg.Rules, nil)
			out[i] = outcome{p: p, findings: fs, err: err}
		}()
	}
	wg.Wait()
	var loaded []*project.Project
	for _, o := range out {
		if o.p != nil {
			loaded = append(loaded, o.p)
		}
	}
	parts := project.PartOf(loaded)
	seen := map[string]bool{}
	for i, o := range out {
		if specs[i].Within(parts) {
			continue // linted as part of the project that includes it
		}
		var ie *rules.InternalError
		switch {
		case errors.As(o.err, &ie):
			res.Internal = ie
			continue
		case o.err != nil:
			res.Errors = append(res.Errors, toLoadError(o.err))
			continue
		}
		res.Projects = append(res.Projects, o.p)
		for _, f := range append(append([]*project.File{}, o.p.Files...), o.p.Extra...) {
			if !seen[f.Abs] {
				seen[f.Abs] = true
				res.Files++
			}
		}
		for _, f := range o.findings {
			if sev, ok := cfg.Severity[f.Rule]; ok {
				f.Severity = sev
			}
			if f.Severity == rules.Off {
				continue
			}
			res.Findings = append(res.Findings, f)
		}
	}
	rules.Sort(res.Findings)
	res.Findings = uniqueFindings(res.Findings)
	return res
}

// uniqueFindings drops exact repeats: a file shared by two projects (an
// extends base, an included file) is reported once.
func uniqueFindings(fs []rules.Finding) []rules.Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.Rule == f.Rule && prev.Pos == f.Pos && prev.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func toLoadError(err error) report.LoadError {
	var pe *project.Error
	if errors.As(err, &pe) {
		return report.LoadError{File: pe.File, Line: pe.Line, Column: pe.Column, Message: pe.Msg}
	}
	return report.LoadError{Message: fmt.Sprint(err)}
}
