// Package cmd is composure's command line: one file per command, each an
// options struct, a constructor and a run function.
package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/buildinfo"
)

// NewRoot builds the command tree.
func NewRoot(io *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "composure",
		Short: "lint and fix Docker Compose files for state and secrets",
		Long: "composure finds stateful services whose data would be lost and secrets committed as plain\n" +
			"environment variables in Docker Compose projects, and says exactly where.",
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints what `composure version` prints.
		Version: buildinfo.Get().Version,
	}
	root.SetVersionTemplate(buildinfo.Get().String())
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.AddCommand(newLintCmd(io), newFixCmd(io), newImagesCmd(io), newRulesCmd(io), newInitCmd(io), newExplainCmd(io), newVersionCmd(io))
	// cobra's `composure completion bash|zsh|fish|powershell` stays on:
	// shells and the Homebrew cask load it.
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(io *IOStreams, args []string) int {
	root := NewRoot(io)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(io.Err, "composure: "+ee.err.Error())
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong arguments.
	fmt.Fprintln(io.Err, "composure: "+err.Error())
	return ExitIncomplete
}
