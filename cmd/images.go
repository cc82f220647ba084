package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/config"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// imagesOptions are the flags of `composure images`: the loading flags of
// lint, a format and --unknown.
type imagesOptions struct {
	lintOptions
	Unknown bool
}

func newImagesCmd(io *IOStreams) *cobra.Command {
	o := &imagesOptions{lintOptions: lintOptions{io: io}}
	c := &cobra.Command{
		Use:   "images [flags] [PATH ...]",
		Short: "show what composure knows about each service's image, and where it comes from",
		Long: "For every service: the image, the verdict (stateful, conditional, stateless or unknown), the\n" +
			"data paths and where each fact comes from (curated entry, user config, Dockerfile, image config,\n" +
			"the service itself). --unknown lists only the services composure knows nothing about: add those\n" +
			"that keep state under stateful-images: in " + config.FileName + ".",
		RunE: func(c *cobra.Command, args []string) error {
			o.Paths = args
			return runImages(c.Context(), o)
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&o.Files, "file", "f", nil, "compose file of one project, merged in order (repeatable)")
	f.StringArrayVar(&o.EnvFiles, "env-file", nil, "env file used for interpolation instead of the project's .env (repeatable)")
	f.StringArrayVar(&o.Profiles, "profile", nil, "profile to enable (repeatable; default: every profile)")
	f.StringVar(&o.ProjectDir, "project-directory", "", "directory relative paths resolve from")
	f.StringVar(&o.Format, "format", "text", "output format: text or json")
	f.IntVarP(&o.Jobs, "jobs", "j", 0, "projects loaded in parallel (default: number of CPUs)")
	f.StringVar(&o.Config, "config", "", "config file (default: "+config.FileName+" in the linted directory or a parent)")
	f.StringVar(&o.Images, "images", "", "read unknown images' configs: off, local (the Docker engine) or registry (default: the config's images:, else off)")
	f.BoolVar(&o.Unknown, "unknown", false, "list only the services whose image composure knows nothing about")
	return c
}

// imageEntry is one service in `composure images --format json`.
type imageEntry struct {
	File         string             `json:"file"`
	Line         int                `json:"line"`
	Column       int                `json:"column"`
	Service      string             `json:"service"`
	Image        string             `json:"image"`
	Build        bool               `json:"build"`
	BuiltFrom    string             `json:"built_from,omitempty"`
	Verdict      string             `json:"verdict"`
	Condition    string             `json:"condition,omitempty"`
	DataPaths    []string           `json:"data_paths"`
	Alternatives bool               `json:"alternatives,omitempty"`
	User         string             `json:"user,omitempty"`
	Sources      []rules.FactSource `json:"sources"`
}

// imagesSummary counts every service, whatever --unknown shows.
type imagesSummary struct {
	Services int `json:"services"`
	// WithImage: services that run an image they name (not one built
	// locally); UnknownWithImage: those among them whose verdict is
	// unknown.
	WithImage        int            `json:"with_image"`
	UnknownWithImage int            `json:"unknown_with_image"`
	Verdicts         map[string]int `json:"verdicts"`
}

type imagesReport struct {
	Version  int           `json:"version"`
	Services []imageEntry  `json:"services"`
	Errors   []imagesError `json:"errors"`
	Summary  imagesSummary `json:"summary"`
}

// imagesError is a file that could not be loaded, as lint's JSON says it.
type imagesError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func runImages(ctx context.Context, o *imagesOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Format != "text" && o.Format != "json" {
		return usageError("--format %q: want text or json", o.Format)
	}
	cfg, err := o.buildRunConfig()
	if err != nil {
		return err
	}
	k := cfg.Knowledge
	if k == nil {
		k = knowledge.Default()
	}
	specs, errs := specsFor(cfg)
	entries := describeAll(ctx, specs, cfg, k, &errs)
	rep := imagesReport{Version: 1, Services: []imageEntry{}, Errors: []imagesError{}, Summary: imagesSummary{Verdicts: map[string]int{}}}
	for _, e := range errs {
		rep.Errors = append(rep.Errors, imagesError(e))
	}
	for _, e := range entries {
		rep.Summary.Services++
		rep.Summary.Verdicts[e.Verdict]++
		if e.Image != "" && !e.Build {
			rep.Summary.WithImage++
			if e.Verdict == rules.VerdictUnknown {
				rep.Summary.UnknownWithImage++
			}
		}
		if !o.Unknown || e.Verdict == rules.VerdictUnknown {
			rep.Services = append(rep.Services, e)
		}
	}
	if o.Format == "json" {
		enc := json.NewEncoder(o.io.Out)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = printImages(o.io.Out, &rep, o.Unknown)
	}
	if err != nil {
		return &exitError{code: ExitInternal, err: err}
	}
	if o.Format == "text" {
		printLoadErrorsText(o.io.Err, rep.Errors)
	}
	printImageNotes(o.io.Err, o.resolver)
	if len(rep.Errors) > 0 {
		return &exitError{code: ExitIncomplete}
	}
	return nil
}

// describeAll loads the projects as lint does (lint.Run) and describes
// their services; a file another project includes is described as part of
// that project only. Entries are in file, line and service order.
func describeAll(ctx context.Context, specs []project.Spec, cfg runConfig, k *knowledge.Knowledge, errs *[]report.LoadError) []imageEntry {
	type outcome struct {
		p     *project.Project
		facts []rules.ServiceFacts
		err   error
	}
	// The driver loads the projects in parallel; no rule runs, and the
	// models are kept for Describe.
	load := cfg.Config
	load.Rules, load.ReleaseModels, load.Knowledge = nil, false, k
	outs := make([]outcome, len(specs))
	for i, o := range lint.Run(ctx, specs, load) {
		if o.Err != nil {
			outs[i].err = o.Err
			continue
		}
		outs[i] = outcome{p: o.Project, facts: rules.Describe(o.Project, k)}
	}
	var loaded []*project.Project
	for _, o := range outs {
		if o.p != nil {
			loaded = append(loaded, o.p)
		}
	}
	parts := project.PartOf(loaded)
	var out []imageEntry
	seen := map[string]bool{}
	for i, o := range outs {
		if specs[i].Within(parts) {
			continue
		}
		if o.err != nil {
			*errs = append(*errs, toLoadError(o.err))
			continue
		}
		for _, f := range o.facts {
			key := fmt.Sprintf("%s:%d:%d:%s", f.Pos.File, f.Pos.Line, f.Pos.Column, f.Service)
			if seen[key] {
				continue // a file two projects share
			}
			seen[key] = true
			out = append(out, imageEntry{
				File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Column, Service: f.Service, Image: f.Image, Build: f.Build,
				BuiltFrom: f.BuiltFrom, Verdict: f.Verdict, Condition: f.Condition, DataPaths: nonNil(f.DataPaths),
				Alternatives: f.Alternatives, User: f.User, Sources: nonNilSources(f.Sources),
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Service < b.Service
	})
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilSources(s []rules.FactSource) []rules.FactSource {
	if s == nil {
		return []rules.FactSource{}
	}
	return s
}

// printImages is the text form: one line per service, then a summary.
func printImages(w io.Writer, rep *imagesReport, unknownOnly bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(rep.Services) > 0 {
		fmt.Fprintln(tw, "WHERE\tSERVICE\tIMAGE\tVERDICT\tDATA PATHS\tFROM")
	}
	for _, e := range rep.Services {
		img := e.Image
		if e.Build {
			built := "built locally"
			if e.BuiltFrom != "" {
				built = "built from " + e.BuiltFrom
			}
			img = strings.TrimPrefix(img+", "+built, ", ")
		}
		sep := ", "
		if e.Alternatives {
			sep = " or "
		}
		paths := strings.Join(e.DataPaths, sep)
		if paths == "" {
			paths = "-"
		}
		fmt.Fprintf(tw, "%s:%d\t%s\t%s\t%s\t%s\t%s\n", e.File, e.Line, e.Service, img, e.Verdict, paths, sourcesText(e.Sources))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	s := rep.Summary
	_, err := fmt.Fprintf(w, "%d services: %d stateful, %d conditional, %d stateless, %d unknown (%d of the %d that name an image)\n",
		s.Services, s.Verdicts[rules.VerdictStateful], s.Verdicts[rules.VerdictConditional], s.Verdicts[rules.VerdictStateless],
		s.Verdicts[rules.VerdictUnknown], s.UnknownWithImage, s.WithImage)
	if err == nil && unknownOnly && len(rep.Services) > 0 {
		_, err = fmt.Fprintf(w, "composure does not know these images: add those that keep state under stateful-images: in %s, or try --images=local|registry\n", config.FileName)
	}
	return err
}

// sourcesText groups the facts by source: "curated entry postgres
// (verdict, data paths); service: moved by PGDATA (data paths)".
func sourcesText(src []rules.FactSource) string {
	if len(src) == 0 {
		return "nothing known"
	}
	var order []string
	facts := map[string][]string{}
	for _, s := range src {
		where := s.From + " " + s.Detail
		switch s.From {
		case rules.FromDockerfile:
			where = s.Detail
		case rules.FromService:
			where = "service: " + s.Detail
		}
		if _, ok := facts[where]; !ok {
			order = append(order, where)
		}
		facts[where] = append(facts[where], s.Fact)
	}
	parts := make([]string, len(order))
	for i, where := range order {
		parts[i] = where + " (" + strings.Join(facts[where], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

// printLoadErrorsText says on stderr which files could not be loaded (in
// JSON they are in errors[]).
func printLoadErrorsText(w io.Writer, errs []imagesError) {
	for _, e := range errs {
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
		}
		if where == "" {
			fmt.Fprintf(w, "error: %s\n", e.Message)
		} else {
			fmt.Fprintf(w, "%s: error: %s\n", where, e.Message)
		}
	}
}
