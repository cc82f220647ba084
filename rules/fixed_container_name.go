package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"
)

// FixedContainerName finds container_name.
var FixedContainerName = &lint.Rule{
	ID:       "fixed-container-name",
	Title:    "fixed container_name",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds services with `container_name`.",
		Why: "A fixed name is global on the host: the service cannot be scaled, the project cannot run twice " +
			"(a second checkout, a CI job next to a dev stack), and anything that identifies the instance by that " +
			"name breaks when the container moves. Services find each other by service name on the project network.",
		Bad: `services:
  db:
    image: postgres:16
    container_name: db
`,
		Good: `services:
  db:
    image: postgres:16
`,
		References: []string{"https://docs.docker.com/reference/compose-file/services/#container_name"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range servicesOf(p) {
			if s.Config.ContainerName == "" {
				continue
			}
			path := []string{"services", s.Name, "container_name"}
			p.Report(p.Project.Locate(path...), lint.Finding{
				Service: s.Name,
				Path:    dotted(path),
				Message: fmt.Sprintf("service %q pins container_name %q; it cannot be scaled or run twice on one host: drop it and use the service name", s.Name, s.Config.ContainerName),
			})
		}
	},
}
