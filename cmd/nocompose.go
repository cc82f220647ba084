package cmd

import (
	"fmt"
	"io"
	"strings"
)

// warnNoComposeFile says on stderr that a run found nothing to lint: a
// directory without compose files, or a typo in a path, would otherwise
// exit 0 in silence and look like a clean project. The exit code stays 0
// (an empty directory is not an error), as ruff and hadolint do.
func warnNoComposeFile(w io.Writer, paths []string, files int, errs int) {
	if files > 0 || errs > 0 {
		return
	}
	where := "."
	if len(paths) > 0 {
		where = strings.Join(paths, " ")
	}
	fmt.Fprintf(w, "composure: warning: no compose file found in %s (looked for compose.yaml, docker-compose.yml, *compose*.y(a)ml and YAML files with a top-level services:); name files with -f or give another path\n", where)
}
