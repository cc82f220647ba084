package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/report"
)

// outputOptions are --output-file and --output-format: one lint run can
// write a machine report to a file and a readable one to stdout (the
// GitHub Action: annotations on stdout, SARIF in a file), instead of
// linting twice.
type outputOptions struct {
	File   string
	Format string
	// ShowSource is auto, always or never: source lines under each text
	// finding (masked secrets), by default on a terminal only.
	ShowSource string
}

// addOutputFlags adds the flags only lint has: its outputs and stdin.
func addOutputFlags(c *cobra.Command, lo *lintOptions) {
	o := &lo.Output
	f := c.Flags()
	f.StringVar(&lo.Baseline.Use, "baseline", "", "report only findings not recorded in this baseline file; its stale entries are noted on stderr")
	f.StringVar(&lo.Baseline.Write, "write-baseline", "", "record every finding in this baseline file (and report none), to adopt composure on an existing repository")
	f.StringVar(&lo.Stdin.Filename, "stdin-filename", "", "with the path -: the name the compose file read from stdin is linted as (its folder is the project's)")
	f.StringVarP(&o.File, "output-file", "o", "", "write the report to FILE instead of stdout (parent directories are created)")
	f.StringVar(&o.Format, "output-format", "", "format of --output-file (default: --format); stdout then gets the --format report too")
	f.StringVar(&o.ShowSource, "show-source", "auto", "source line and caret under each text finding: auto (on a terminal), always (CI logs too) or never")
}

// output is where the reports of one run go.
type output struct {
	// stdout is nil when only the file gets a report.
	stdout report.Reporter
	format string // of stdout
	ropts  report.Options
	file   report.Reporter
	path   string
	f      *os.File
}

// open validates the output flags and creates the file before anything is
// linted, so a path that cannot be written fails at once (exit 2).
func (o outputOptions) open(format string, ropts report.Options) (*output, error) {
	if _, ok := showSourceFor(o.ShowSource, false, nil); !ok {
		return nil, usageError("--show-source %q: want auto, always or never", o.ShowSource)
	}
	if o.File == "" {
		if o.Format != "" {
			return nil, usageError("--output-format needs --output-file")
		}
		rep, err := report.New(format, ropts)
		if err != nil {
			return nil, usageError("%v", err)
		}
		return &output{stdout: rep, format: format, ropts: ropts}, nil
	}
	out := &output{path: o.File, format: format, ropts: ropts}
	fileFormat := format
	if o.Format != "" {
		fileFormat = o.Format
		rep, err := report.New(format, ropts)
		if err != nil {
			return nil, usageError("%v", err)
		}
		out.stdout = rep
	}
	fileOpts := ropts
	fileOpts.Color = false // a file is never a terminal
	fileOpts.Source = nil
	rep, err := report.New(fileFormat, fileOpts)
	if err != nil {
		return nil, usageError("--output-format: %v", strings.TrimPrefix(err.Error(), "unknown format "))
	}
	out.file = rep
	if dir := filepath.Dir(o.File); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, usageError("--output-file: %v", err)
		}
	}
	f, err := os.Create(o.File)
	if err != nil {
		return nil, usageError("--output-file: %v", err)
	}
	out.f = f
	return out, nil
}

// showSource gives the text report on stdout source lines from src.
func (out *output) showSource(src func(string) []byte) {
	if out.stdout == nil || out.format != "text" {
		return
	}
	ropts := out.ropts
	ropts.Source = src
	out.stdout, _ = report.New(out.format, ropts)
}

// write renders the result to stdout and the file, and closes the file.
func (out *output) write(stdout io.Writer, r *report.Result) error {
	if out.stdout != nil {
		if err := out.stdout.Report(stdout, r); err != nil {
			out.close()
			return err
		}
	}
	if out.f == nil {
		return nil
	}
	err := out.file.Report(out.f, r)
	if cerr := out.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--output-file %s: %w", out.path, err)
	}
	return nil
}

// close gives up the file (an internal error ended the run first).
func (out *output) close() {
	if out.f != nil {
		out.f.Close()
	}
}
