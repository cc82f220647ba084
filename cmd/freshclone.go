package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// printFreshClone says once, after the summary, what a fresh clone of the
// repository or a CI job needs that the fixes moved out of git: per
// project, the variables of the gitignored .env, the secret files, and the
// committed template that names them (without values).
func printFreshClone(w io.Writer, needs []fixer.FreshClone) {
	if len(needs) == 0 {
		return
	}
	rel := project.RelToWorkingDir
	fmt.Fprintln(w, "\na fresh clone or a CI job does not have the secrets moved out of git; there, before `docker compose up`:")
	for _, fc := range needs {
		template := ""
		if fc.Template != "" {
			template = "; " + rel(fc.Template) + " names them without values: commit it"
		}
		if len(fc.Vars) > 0 {
			fmt.Fprintf(w, "  set %s in %s (copy the template and fill it in) or in the environment (in CI, from its secret store)%s\n",
				strings.Join(fc.Vars, ", "), rel(fc.EnvFile), template)
			template = ""
		}
		for _, f := range fc.Files {
			fmt.Fprintf(w, "  create %s holding the secret (in CI, write it from its secret store before `up`)%s\n", rel(f), template)
			template = ""
		}
	}
}
