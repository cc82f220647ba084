package cmd

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/composure-dev/composure/rules"
)

func newRulesCmd(io *IOStreams) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "rules",
		Short: "list every rule: id, default severity, fix availability, title",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			switch format {
			case "text":
				w := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tSEVERITY\tFIX\tTITLE")
				for _, r := range rules.All() {
					sev := r.Severity.String()
					if r.DefaultOff {
						sev += " (off)"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.ID, sev, r.Fix, r.Title)
				}
				return w.Flush()
			case "json":
				type entry struct {
					ID         string `json:"id"`
					Title      string `json:"title"`
					Severity   string `json:"severity"`
					DefaultOff bool   `json:"default_off"`
					Fix        string `json:"fix"`
				}
				var out []entry
				for _, r := range rules.All() {
					out = append(out, entry{r.ID, r.Title, r.Severity.String(), r.DefaultOff, r.Fix.String()})
				}
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			return usageError("--format %q: want text or json", format)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return c
}

func newExplainCmd(io *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "print a rule's full documentation",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r := rules.ByID(args[0])
			if r == nil {
				return usageError("unknown rule %q (see 'composure rules')", args[0])
			}
			_, err := fmt.Fprint(io.Out, r.Markdown())
			return err
		},
	}
}
