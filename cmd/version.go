package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/cmd/buildinfo"
)

func newVersionCmd(io *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print composure's version, commit, build date, Go version and platform",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprint(io.Out, buildinfo.Get().String())
			return err
		},
	}
}

// version is the version the reports name (SARIF's tool.driver.version,
// JSON's tool.version): the one `composure version` prints first.
func version() string {
	return buildinfo.Get().Version
}

// docsRef is the git ref rule links point at: this release's tag, or main.
func docsRef() string {
	return buildinfo.Get().DocsRef()
}
