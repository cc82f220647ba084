package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/config"
)

func newInitCmd(io *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "write a starter " + config.FileName + " listing every rule with its default",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			f, err := os.OpenFile(config.FileName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				if os.IsExist(err) {
					return usageError("%s already exists; edit it or remove it first", config.FileName)
				}
				return usageError("cannot write %s: %v", config.FileName, err)
			}
			// The first line names the JSON Schema, so editors complete and
			// check the file (the schema of this release's tag, or main).
			if _, err := f.WriteString(config.SchemaComment(docsRef()) + config.Starter(rules.All())); err != nil {
				f.Close()
				return &exitError{code: ExitIncomplete, err: err}
			}
			if err := f.Close(); err != nil {
				return &exitError{code: ExitIncomplete, err: err}
			}
			_, err = fmt.Fprintln(io.Err, "wrote "+config.FileName)
			return err
		},
	}
}
