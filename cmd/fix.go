package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/report"
	"github.com/composure-dev/composure/internal/parallel"
	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform/fixer"
	"github.com/composure-dev/composure/transform/udiff"
)

// fixOptions are the flags of `composure fix`.
type fixOptions struct {
	lintOptions
	Diff       bool
	Unsafe     bool
	SecretsDir string
	External   bool
}

func newFixCmd(io *IOStreams) *cobra.Command {
	opts := &fixOptions{lintOptions: lintOptions{io: io}}
	c := &cobra.Command{
		Use:   "fix [flags] [PATH ...]",
		Short: "apply fixes in place (or show them with --diff)",
		Long: "Fix compose projects: mount named volumes on stateful data paths and move committed secrets\n" +
			"into compose secrets or the gitignored .env, changing nothing else in the files. Only safe\n" +
			"fixes apply unless --unsafe-fixes is given. Findings left afterwards are reported in --format.",
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			return runFix(c.Context(), opts)
		},
	}
	addLintFlags(c, &opts.lintOptions)
	f := c.Flags()
	f.BoolVar(&opts.Diff, "diff", false, "print a unified diff of what would change and write nothing: on stdout with --format text\n"+
		"(load errors on stderr), on stderr with any other format so that stdout is only the report")
	f.BoolVar(&opts.Unsafe, "unsafe-fixes", false, "also apply fixes marked unsafe")
	f.StringVar(&opts.SecretsDir, "secrets-dir", "secrets", "directory, inside the project, where secret files are written")
	f.BoolVar(&opts.External, "external", false, "declare the volumes fixes create as external: true with fixed names (unsafe: they must be created before up)")
	return c
}

func runFix(ctx context.Context, o *fixOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	warmUp()
	cfg, err := o.buildRunConfig()
	if err != nil {
		return err
	}
	if filepath.IsAbs(o.SecretsDir) || strings.ContainsAny(o.SecretsDir, "\x00\n") || escapes(o.SecretsDir) {
		return usageError("--secrets-dir %q: must be a relative path inside the project", o.SecretsDir)
	}
	cfg.Run.SecretsDir = o.SecretsDir
	cfg.Run.External = o.External
	threshold, err := failThreshold(o.FailOn)
	if err != nil {
		return err
	}
	color, err := o.useColor()
	if err != nil {
		return err
	}
	rep, err := report.New(o.Format, report.Options{Color: color, Version: version(), Catalogue: rules.All(), DocsRef: docsRef(), FailOn: threshold})
	if err != nil {
		return usageError("%v", err)
	}
	specs, discoverErrs := specsFor(cfg)
	printGrouping(o.io.Err, specs)
	// SIGINT and SIGTERM cancel the run instead of killing it: the fixes
	// are not written if they come before the writing, and a writing under
	// way ends (every file whole, the lock and temp files removed) before
	// the run stops. A second signal after that is the default's.
	sigCtx, stop := ctx, context.CancelFunc(func() {})
	if o.io.Interrupt != nil {
		sigCtx, stop = o.io.Interrupt(ctx)
	}
	defer stop()
	// --external makes volume fixes unsafe; asking for it is the opt-in.
	res := fixer.Fix(sigCtx, specs, cfg.Config, fixer.Options{Unsafe: o.Unsafe || o.External, DryRun: o.Diff})
	stop()
	if res.Interrupted == fixer.InterruptedBeforeWriting {
		return &exitError{code: ExitIncomplete, err: errors.New("interrupted before writing anything; nothing was changed")}
	}
	var diffErr error
	if o.Diff {
		diffErr = printDiff(o.io, diffOut(o), res)
	}
	printFixSummary(o.io, res, o.Diff)
	printFreshClone(o.io.Err, res.FreshClones())
	printGitNotes(o.io.Err, res.Before())
	if res.Interrupted == fixer.InterruptedAfterWriting {
		return &exitError{code: ExitIncomplete, err: errors.New("interrupted after writing the files above; run again to see what is left")}
	}

	// What is left: in --diff mode, as if the fixes were written.
	left := &runResult{Result: report.Result{Errors: discoverErrs}}
	left.collect(res.After)
	left.Withheld = withheldFixes(res)
	if left.Internal != nil {
		return &exitError{code: ExitInternal, err: left.Internal}
	}
	if o.Diff && o.Format == "text" {
		// stdout is the diff: the report is left out, but a file that
		// could not be loaded must still be said, on stderr.
		if err := printLoadErrors(o.io.Err, left.Errors); err != nil {
			return outputError(err)
		}
	} else if err := rep.Report(o.io.Out, &left.Result); err != nil {
		return outputError(err)
	}
	if diffErr != nil {
		return outputError(diffErr)
	}
	printImageNotes(o.io.Err, o.resolver)
	if len(res.Refused) > 0 {
		return &exitError{code: ExitIncomplete}
	}
	return exitFor(&left.Result, threshold)
}

// escapes reports a relative path that climbs out of its base.
func escapes(rel string) bool {
	clean := filepath.Clean(rel)
	return clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || clean == "."
}

// diffOut is where `fix --diff` writes the diff. With --format text the
// diff is the output, on stdout alone (load errors go to stderr), so it
// can be piped to a pager or a file.
// With any other format (json, sarif, github, ...) stdout carries only the
// report document, which a tool parses, so the diff goes to stderr for the
// human reading the run (as ruff and golangci-lint keep stdout parseable).
func diffOut(o *fixOptions) io.Writer {
	if o.Format == "text" {
		return o.io.Out
	}
	return o.io.Err
}

// printDiff writes the unified diff of every changed compose file to out,
// and what would be created on stderr; it returns the first error writing
// the diff (a diff cut short must not pass for the whole). Every secret the
// run saw is masked where it stands, on either side (shownSide): the diff
// keeps its hunks, and applies to the files as masked.
func printDiff(s *IOStreams, out io.Writer, res *fixer.Result) error {
	mask, all := secrets.NewMasker(res.Redact), newSecretSet(res.Redact)
	w := &errWriter{w: out}
	before, after := outcomesByFile(res.Before()), outcomesByFile(res.After)
	// Each file's masked diff is drawn on its own (parsing both sides for
	// the places of secrets), on all cores; they are written in order.
	diffs := make([]string, len(res.Changes))
	parallel.Each(context.Background(), len(res.Changes), func(i int) {
		c := res.Changes[i]
		name := filepath.ToSlash(c.Path)
		d, ok := udiff.UnifiedShown(name, c.Original, c.Fixed,
			shownSide(mask, c.Path, c.Original, before[c.Path], all),
			shownSide(mask, c.Path, c.Fixed, after[c.Path], all))
		if !ok {
			// Cannot happen (masking keeps lines): every occurrence, then.
			d = mask.Mask(udiff.Unified(name, c.Original, c.Fixed))
		}
		diffs[i] = d
	})
	for _, d := range diffs {
		fmt.Fprint(w, d)
	}
	for _, wr := range res.Writes {
		fmt.Fprintln(s.Err, "would "+describeWrite(wr))
	}
	return w.err
}

// printGitNotes says, once per repository, that git could not tell what
// it tracks, so fixes that would move a secret into an existing .env were
// withheld (the fix rules skip it).
func printGitNotes(w io.Writer, outs []lint.Outcome) {
	var ps []*project.Project
	for _, o := range outs {
		if o.Project != nil {
			ps = append(ps, o.Project)
		}
	}
	printNotes(w, ps, func(n project.Note) bool { return n.Git })
}

// printLoadErrors writes each load error as the text report does,
// "file:line:col: error: message" with control characters escaped, without
// colour and without the report's summary line.
func printLoadErrors(w io.Writer, errs []report.LoadError) error {
	if len(errs) == 0 {
		return nil
	}
	var b strings.Builder
	if err := report.NewText(report.Options{}).Report(&b, &report.Result{Errors: errs}); err != nil {
		return err
	}
	// The text report ends with one summary line; everything before it
	// is the errors.
	text := strings.TrimSuffix(b.String(), "\n")
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		_, err := io.WriteString(w, text[:i+1])
		return err
	}
	return nil
}

func describeWrite(w lint.FileWrite) string {
	path := project.RelToWorkingDir(w.Path)
	switch {
	case w.Kind == lint.CreateSecret:
		return fmt.Sprintf("create secret file %s (mode 0600)", path)
	case w.Kind == lint.DeleteLine:
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(w.Content), "export "), "=")
		return fmt.Sprintf("remove %s from %s", name, path)
	case w.Secret:
		name, _, _ := strings.Cut(w.Content, "=")
		return fmt.Sprintf("add %s to %s", name, path)
	}
	return fmt.Sprintf("add %q to %s", w.Content, path)
}

// printFixSummary says on stderr what was fixed, what was refused and what
// to do next: migration notes for data already on disk.
func printFixSummary(io *IOStreams, res *fixer.Result, diff bool) {
	verb := "applied"
	if diff {
		verb = "would apply"
	}
	rulesApplied := make([]string, 0, len(res.Applied))
	for r, n := range res.Applied {
		rulesApplied = append(rulesApplied, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(rulesApplied)
	total := res.Total()
	// A refused file is not counted: nothing of it was (or would be) written.
	files := 0
	for _, c := range res.Changes {
		if !slices.ContainsFunc(res.Refused, func(r fixer.Refusal) bool { return r.File == c.Path }) {
			files++
		}
	}
	line := fmt.Sprintf("%s %d %s in %d %s", verb, total, plural(total, "fix", "fixes"), files, plural(files, "file", "files"))
	if len(rulesApplied) > 0 {
		line += " (" + strings.Join(rulesApplied, ", ") + ")"
	}
	// The problems `lint` called fixable that are gone: fixes can be more
	// (a problem in a shared anchor takes one per service; a moved secret
	// is moved on by a later pass).
	fixedVerb := "fixing"
	if diff {
		fixedVerb = "which would fix"
	}
	line += fmt.Sprintf(", %s %d of the reported %s", fixedVerb, res.Fixed, plural(res.Fixed, "problem", "problems"))
	switch {
	case res.Left > 0:
		line = fmt.Sprintf("%s %d of %d fixes; run again", verb, total, total+res.Left)
	case total == 0:
		line = "nothing to fix"
	}
	fmt.Fprintln(io.Err, line)
	for _, r := range slices.Concat(res.Refused, res.Skipped) {
		fmt.Fprintf(io.Err, "%s: %s\n", r.File, r.Reason)
	}
	for _, w := range withheldFixes(res) {
		fmt.Fprintf(io.Err, "%s:%d: withheld the %s fix of service %q: %s\n", w.File, w.Line, w.Rule, w.Service, w.Reason)
	}
	if len(res.Notes) > 0 {
		fmt.Fprintln(io.Err, "\nbefore the next `docker compose up`:")
		for _, n := range uniqueNotes(res.Notes) {
			fmt.Fprintln(io.Err, n)
		}
	}
}

// withheldFixes are the fixes the run withheld, as reports show them:
// the reason masked like every output (it names variables and files,
// never values, and a compose-go error it quotes is masked too).
//
// A reason built from names alone (services, variables, files) is masked
// for the strong secrets only: a weak one ("postgres", "n8n") masked
// everywhere would hide the very names that say which run failed. A
// reason that quotes a load error is masked for every secret.
func withheldFixes(res *fixer.Result) []report.WithheldFix {
	all := secrets.NewMasker(res.Redact)
	var strongs []string
	for _, s := range res.Redact {
		if strong(s) {
			strongs = append(strongs, s)
		}
	}
	names := secrets.NewMasker(strongs)
	out := make([]report.WithheldFix, 0, len(res.Withheld))
	for _, w := range res.Withheld {
		mask := names
		if strings.Contains(w.Reason, "would no longer load") {
			mask = all
		}
		out = append(out, report.WithheldFix{
			File: project.RelToWorkingDir(w.File), Line: w.Line, Rule: w.Rule, Service: w.Service, Reason: mask.Mask(w.Reason),
		})
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
