package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// runConfig is what one lint run needs, already validated.
type runConfig struct {
	lint.Config
	Paths []string
	// Files set one project explicitly (-f), in merge order.
	Files []string
	// Discover: the config's exclude globs, and -v's notes of what
	// discovery passed over.
	Discover project.DiscoverOptions
}

// runResult is a lint run: the reportable result plus the loaded projects
// (the text reporter's source lines need their bytes).
type runResult struct {
	report.Result
	Projects []*project.Project
	Internal error
	// Specs are the projects discovery made of the paths.
	Specs []project.Spec
}

// printGrouping says on stderr, once per file, how discovery grouped a
// file when it is not the obvious case: an overlay linted on top of its
// base, as docker compose -f base -f overlay runs it.
func printGrouping(w io.Writer, specs []project.Spec) {
	seen := map[string]bool{}
	for _, s := range specs {
		if s.Via != "" && !seen[s.Via] {
			seen[s.Via] = true
			fmt.Fprintf(w, "%s: note: linted through %s, which pulls it in with extends or include\n", s.Via, strings.Join(s.Files, " and "))
			continue
		}
		if s.ComposeFile && !seen[s.Files[0]] {
			seen[s.Files[0]] = true
			fmt.Fprintf(w, "%s: note: linted as one project with %s, the files COMPOSE_FILE names\n", s.Files[0], strings.Join(s.Files[1:], ", "))
			continue
		}
		if !s.Overlay || len(s.Files) < 2 {
			continue
		}
		overlay := s.Files[len(s.Files)-1]
		if seen[overlay] {
			continue
		}
		seen[overlay] = true
		fmt.Fprintf(w, "%s: note: linted on top of %s, as `docker compose -f %s -f %s` runs it\n",
			overlay, strings.Join(s.Files[:len(s.Files)-1], " and "), filepath.Base(s.Files[0]), filepath.Base(overlay))
	}
}

// specsFor turns the command line into projects: -f files, or discovery.
func specsFor(cfg runConfig) ([]project.Spec, []report.LoadError) {
	if len(cfg.Files) > 0 {
		files := make([]string, len(cfg.Files))
		for i, f := range cfg.Files {
			files[i] = project.RelToWorkingDir(f)
		}
		return []project.Spec{{Files: files, Dir: filepath.Dir(files[0])}}, nil
	}
	specs, errs := project.DiscoverWith(cfg.Paths, cfg.Discover)
	var out []report.LoadError
	for _, err := range errs {
		out = append(out, toLoadError(err))
	}
	return specs, out
}

// lintAll discovers projects, lints them in parallel and assembles the
// result in a deterministic order.
func lintAll(ctx context.Context, cfg runConfig) *runResult {
	// The loader takes the compose files discovery has just read whole
	// rather than reading each a second time (only here: fix reads the
	// files again as its passes leave them).
	contents := map[string][]byte{}
	cfg.Discover.Contents = contents
	specs, errs := specsFor(cfg)
	res := &runResult{Result: report.Result{Errors: errs}, Specs: specs}
	cfg.Load.Preread = contents
	res.collect(lint.Run(ctx, specs, cfg.Config))
	return res
}

// collect assembles outcomes: a file another project includes is linted as
// part of that project only; each file is counted once.
func (res *runResult) collect(outs []lint.Outcome) {
	var loaded []*project.Project
	for _, o := range outs {
		if o.Project != nil {
			loaded = append(loaded, o.Project)
		}
	}
	parts := project.PartOf(loaded)
	seen := map[string]bool{}
	for _, o := range outs {
		if o.Spec.Within(parts) {
			continue
		}
		var ie *lint.InternalError
		switch {
		case errors.As(o.Err, &ie):
			res.Internal = ie
			continue
		case o.Err != nil:
			res.Errors = append(res.Errors, toLoadError(o.Err))
			// what could still be checked on a project that does not
			// load (a partial model): its files were linted too
			res.Findings = append(res.Findings, o.Findings...)
			countLinted(res, o.PartlyRead, seen, false)
			continue
		}
		res.Projects = append(res.Projects, o.Project)
		countLinted(res, o.Project.AllFiles(), seen, true)
		res.Findings = append(res.Findings, o.Findings...)
		res.Suppressed = append(res.Suppressed, o.Suppressed...)
	}
	sort.Strings(res.Linted)
	// A file several projects read (an extends base, a shared .env)
	// reports each of its findings once.
	res.Findings = lint.Combine(res.Findings)
}

// countLinted counts the project's files as linted, once each. Only a
// whole load lists them in Linted: a baseline entry of a partly linted
// file is not stale because a degraded load missed its finding.
func countLinted(res *runResult, files []*project.File, seen map[string]bool, whole bool) {
	for _, f := range files {
		if !seen[f.Abs] {
			seen[f.Abs] = true
			res.Files++
			if whole {
				res.Linted = append(res.Linted, f.Path)
			}
		}
	}
}

func toLoadError(err error) report.LoadError {
	var pe *project.Error
	if errors.As(err, &pe) {
		return report.LoadError{File: pe.File, Line: pe.Line, Column: pe.Column, Message: pe.Msg}
	}
	return report.LoadError{Message: fmt.Sprint(err)}
}
