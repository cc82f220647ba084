package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/config"
	"github.com/composure-dev/composure/rules/imagefacts"
	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
)

// lintOptions are the flags of `composure lint`.
type lintOptions struct {
	io         *IOStreams
	Paths      []string
	Files      []string
	EnvFiles   []string
	Profiles   []string
	ProjectDir string
	Format     string
	FailOn     string
	Color      string
	Enable     []string
	Disable    []string
	Severities []string
	Jobs       int
	Config     string
	Verbose    bool
	// Images is --images: off, local or registry ("": the config's).
	Images   string
	resolver *imagefacts.Resolver
	Output   outputOptions
	Stdin    stdinOptions
	Baseline baselineOptions
}

func newLintCmd(io *IOStreams) *cobra.Command {
	opts := &lintOptions{io: io}
	c := &cobra.Command{
		Use:   "lint [flags] [PATH ...]",
		Short: "report state and secret problems in compose projects",
		Long: "Lint compose projects. A PATH is a compose file or a directory searched recursively for\n" +
			"compose.yaml / docker-compose.yml (merged with their override sibling) and other *compose*.y(a)ml\n" +
			"files. No PATH means the current directory.",
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			return runLint(c.Context(), opts)
		},
	}
	addLintFlags(c, opts)
	addOutputFlags(c, opts)
	return c
}

func addLintFlags(c *cobra.Command, o *lintOptions) {
	f := c.Flags()
	f.StringArrayVarP(&o.Files, "file", "f", nil, "compose file of one project, merged in order (repeatable)")
	f.StringArrayVar(&o.EnvFiles, "env-file", nil, "env file used for interpolation instead of the project's .env (repeatable)")
	f.StringArrayVar(&o.Profiles, "profile", nil, "profile to enable (repeatable; default: every profile)")
	f.StringVar(&o.ProjectDir, "project-directory", "", "directory relative paths resolve from")
	f.StringVar(&o.Format, "format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	f.StringVar(&o.FailOn, "fail-on", "warning", "lowest severity that fails the run: error, warning, info or never")
	f.StringVar(&o.Color, "color", "auto", "colour output: auto, always or never")
	f.StringArrayVar(&o.Enable, "enable", nil, "enable a rule that is off by default (repeatable)")
	f.StringArrayVar(&o.Disable, "disable", nil, "disable a rule (repeatable)")
	f.StringArrayVar(&o.Severities, "severity", nil, "set a rule's severity, RULE=off|info|warning|error (repeatable)")
	f.IntVarP(&o.Jobs, "jobs", "j", 0, "projects linted in parallel (default: number of CPUs)")
	f.StringVar(&o.Config, "config", "", "config file (default: "+config.FileName+" in the linted directory or a parent)")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "say on stderr which files discovery passed over, and why (not compose, ignored by git, excluded by the config)")
	f.StringVar(&o.Images, "images", "", "read unknown images' configs: off, local (the Docker engine) or registry (default: the config's images:, else off)")
}

// excluder matches paths against the config's exclude globs, relative
// to the config's folder; a path outside it is never excluded.
func excluder(globs []lint.Glob, base string) func(string) bool {
	if len(globs) == 0 {
		return nil
	}
	return func(path string) bool {
		abs, err := filepath.Abs(path)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(base, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
		if strings.HasSuffix(path, string(filepath.Separator)) {
			rel += "/"
		}
		for _, g := range globs {
			if g.Match(rel) {
				return true
			}
		}
		return false
	}
}

// usageError is a bad flag value: exit code 2 before anything is linted.
func usageError(format string, a ...any) error {
	return &exitError{code: ExitIncomplete, err: fmt.Errorf(format, a...)}
}

// buildRunConfig validates the flags into a run configuration.
func (o *lintOptions) buildRunConfig() (runConfig, error) {
	cfg := runConfig{Paths: o.Paths, Files: o.Files}
	cfg.Jobs = o.Jobs
	if o.Verbose && o.io != nil {
		errOut := o.io.Err
		cfg.Discover.Skipped = func(path, why string) {
			fmt.Fprintf(errOut, "%s: note: skipped: %s\n", path, why)
		}
	}
	if o.Jobs < 0 {
		return cfg, usageError("-j %d: want a number of projects at a time, or 0 for one per CPU", o.Jobs)
	}
	cfg.Severity = map[string]lint.Severity{}
	cfg.ReleaseModels = true
	cfg.Load.EnvFiles = o.EnvFiles
	cfg.Load.Profiles = o.Profiles
	cfg.Load.ProjectDir = o.ProjectDir
	if len(o.Files) > 0 && len(o.Paths) > 0 {
		return cfg, usageError("give either -f files or paths, not both")
	}
	file, err := o.loadConfig()
	if err != nil {
		return cfg, err
	}
	enabled := map[string]bool{}
	for _, r := range rules.All() {
		enabled[r.ID] = !r.DefaultOff
	}
	// The config file first, the command line over it.
	if file != nil {
		for id, sev := range file.Severity {
			cfg.Severity[id] = sev
			enabled[id] = sev != lint.Off
		}
		cfg.Run.RuleOptions = file.Options
		cfg.Ignores = file.Ignores
		cfg.BaseDir = file.Dir
		cfg.Discover.Exclude = excluder(file.Exclude, file.Dir)
		if len(file.Images) > 0 {
			cfg.Knowledge = knowledge.Default().With(file.Images, nil)
		}
	}
	if err := o.useImages(&cfg.Config, file); err != nil {
		return cfg, err
	}
	for _, id := range o.Enable {
		if rules.ByID(id) == nil {
			return cfg, usageError("--enable: unknown rule %q (see 'composure rules')", id)
		}
		enabled[id] = true
		if cfg.Severity[id] == lint.Off {
			delete(cfg.Severity, id)
		}
	}
	for _, id := range o.Disable {
		if rules.ByID(id) == nil {
			return cfg, usageError("--disable: unknown rule %q (see 'composure rules')", id)
		}
		enabled[id] = false
	}
	for _, kv := range o.Severities {
		id, level, ok := strings.Cut(kv, "=")
		if !ok {
			return cfg, usageError("--severity %q: want RULE=LEVEL", kv)
		}
		if rules.ByID(id) == nil {
			return cfg, usageError("--severity: unknown rule %q (see 'composure rules')", id)
		}
		sev, err := lint.ParseSeverity(level)
		if err != nil {
			return cfg, usageError("--severity %s: %v", id, err)
		}
		cfg.Severity[id] = sev
		enabled[id] = sev != lint.Off
	}
	cfg.Catalogue = rules.All()
	for _, r := range cfg.Catalogue {
		if enabled[r.ID] {
			cfg.Rules = append(cfg.Rules, r)
		}
	}
	return cfg, nil
}

// loadConfig reads --config, or the config file found from the first
// linted path (or the current directory) upwards; nil when there is none.
// A bad config fails the run before anything is linted.
func (o *lintOptions) loadConfig() (*config.Config, error) {
	path := o.Config
	if path == "" {
		start := "."
		switch {
		case len(o.Files) > 0:
			start = filepath.Dir(o.Files[0])
		case len(o.Paths) > 0:
			start = o.Paths[0]
			if st, err := os.Stat(start); err == nil && !st.IsDir() {
				start = filepath.Dir(start)
			}
		}
		path = config.Find(start)
		if path == "" {
			return nil, nil
		}
	}
	c, err := config.Load(path, rules.All())
	if err != nil {
		return nil, &exitError{code: ExitIncomplete, err: err}
	}
	return c, nil
}

// failThreshold parses --fail-on; never returns a level above Error.
func failThreshold(s string) (lint.Severity, error) {
	if s == "never" {
		return lint.Error + 1, nil
	}
	sev, err := lint.ParseSeverity(s)
	if err != nil || sev == lint.Off {
		return 0, usageError("--fail-on %q: want error, warning, info or never", s)
	}
	return sev, nil
}

func (o *lintOptions) useColor() (bool, error) {
	on, ok := colorFor(o.Color, o.io.OutTTY, o.io.Getenv)
	if !ok {
		return false, usageError("--color %q: want auto, always or never", o.Color)
	}
	return on, nil
}

func runLint(ctx context.Context, o *lintOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	warmUp()
	if err := o.readStdin(); err != nil {
		return err
	}
	cfg, err := o.buildRunConfig()
	if err != nil {
		return err
	}
	if cfg.Load.Overlay, err = o.stdinOverlay(); err != nil {
		return err
	}
	threshold, err := failThreshold(o.FailOn)
	if err != nil {
		return err
	}
	color, err := o.useColor()
	if err != nil {
		return err
	}
	out, err := o.Output.open(o.Format, report.Options{Color: color, Version: version(), Catalogue: rules.All(), DocsRef: docsRef(), FailOn: threshold})
	if err != nil {
		return err
	}
	if err := o.loadBaseline(); err != nil {
		out.close()
		return err
	}
	res := lintAll(ctx, cfg)
	if res.Internal != nil {
		out.close()
		return &exitError{code: ExitInternal, err: res.Internal}
	}
	if err := o.applyBaseline(res); err != nil {
		out.close()
		return err
	}
	if show, _ := showSourceFor(o.Output.ShowSource, o.io.OutTTY, o.io.Getenv); show {
		out.showSource(redactedSource(res))
	}
	if err := out.write(o.io.Out, &res.Result); err != nil {
		return outputError(err)
	}
	printGrouping(o.io.Err, res.Specs)
	printUnchecked(o.io.Err, res.Projects)
	printImageNotes(o.io.Err, o.resolver)
	warnNoComposeFile(o.io.Err, o.Paths, res.Files, len(res.Errors))
	return exitFor(&res.Result, threshold)
}

// printUnchecked says on stderr, whatever the format, what the rules could
// not check: unset variables linted as placeholders, env files that are not
// there (SPEC §4). They are not findings and do not change the exit code.
func printUnchecked(w io.Writer, ps []*project.Project) {
	printNotes(w, ps, func(n project.Note) bool { return n.Unchecked })
}

// printNotes writes the notes of ps that keep says, each once, sorted.
func printNotes(w io.Writer, ps []*project.Project, keep func(project.Note) bool) {
	seen := map[project.Note]bool{}
	var notes []project.Note
	for _, p := range ps {
		for _, n := range p.Notes {
			if keep(n) && !seen[n] {
				seen[n] = true
				notes = append(notes, n)
			}
		}
	}
	sort.SliceStable(notes, func(i, j int) bool {
		if notes[i].File != notes[j].File {
			return notes[i].File < notes[j].File
		}
		return notes[i].Line < notes[j].Line
	})
	for _, n := range notes {
		where := n.File
		if n.Line > 0 {
			where += ":" + strconv.Itoa(n.Line)
		}
		fmt.Fprintf(w, "%s: note: %s\n", where, n.Msg)
	}
}

// exitFor maps a result to the process exit code: load errors win (the run
// is incomplete), then findings at or above the threshold.
func exitFor(r *report.Result, threshold lint.Severity) error {
	if len(r.Errors) > 0 {
		return &exitError{code: ExitIncomplete}
	}
	for _, f := range r.Findings {
		if f.Severity >= threshold {
			return &exitError{code: ExitFindings}
		}
	}
	return nil
}

// redactedSource serves file bytes for source lines with every secret the
// findings name masked where it stands (secretplaces.go), so a terminal
// never shows one, and shows the names and images around it as they are.
func redactedSource(res *runResult) func(string) []byte {
	files := map[string][]byte{}
	for _, p := range res.Projects {
		for _, f := range p.Files {
			files[f.Path] = f.Content
		}
		for _, f := range p.Extra {
			files[f.Path] = f.Content
		}
	}
	var all []string
	for _, f := range res.Findings {
		all = append(all, f.Redact...)
	}
	mask, set := secrets.NewMasker(all), newSecretSet(all)
	return func(file string) []byte {
		content := files[file]
		spans := append(findingSpans(res.Findings, file), set.valueSpans(content)...)
		return []byte(mask.MaskSpans(string(content), spans))
	}
}
