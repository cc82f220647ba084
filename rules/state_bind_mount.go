package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// StateBindMount points out stateful data kept in a host directory.
var StateBindMount = &lint.Rule{
	ID:       "state-bind-mount",
	Title:    "stateful data path bind-mounted from the host",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds stateful services whose data path is bind-mounted from a host directory.",
		Why: "A bind mount survives the container, but it ties the data to one host and one directory " +
			"layout: the service cannot move to another node, the directory must be owned by the uid the " +
			"image runs as (999 for postgres and mysql, 1001 for Bitnami images, 1000 for elasticsearch), it is " +
			"never pre-populated from the image, and backups depend on the host's own tooling. A named volume " +
			"avoids all of that; a bind mount is still a sound choice when you manage the directory on purpose.",
		Bad: `services:
  db:
    image: postgres:16
    volumes:
      - ./pgdata:/var/lib/postgresql/data
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
		FixText: "Display only: moving data from a host directory into a volume is a migration composure does " +
			"not do for you.",
		References: []string{"https://docs.docker.com/engine/storage/bind-mounts/"},
	},
	Check: checkStateBindMount,
}

func checkStateBindMount(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		if !s.Stateful() {
			continue
		}
		for _, dp := range s.DataPaths {
			m := covering(s.Mounts, dp)
			if m == nil || m.Kind != bindMount {
				continue
			}
			p.Report(p.Project.Locate(m.Path...), lint.Finding{
				Service: s.Name,
				Path:    dotted(m.Path),
				Message: fmt.Sprintf("service %q (%s) keeps its data in host directory %s; it is tied to this host and must be owned by the image's user: prefer a named volume on %s",
					s.Name, s.Label(), displayPath(p.Project.Dir, m.Source), dp.Path),
			})
		}
	}
}

// displayPath shows a host path as the user wrote it relative to the
// project: compose-go has made it absolute.
func displayPath(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return "./" + filepath.ToSlash(rel)
	}
	return p
}
