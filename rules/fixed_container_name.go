package rules

import (
	"fmt"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
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
			loc := p.Project.Locate(path...)
			p.Report(loc, lint.Finding{
				Service: s.Name,
				Path:    dotted(path),
				Message: fmt.Sprintf("service %q pins container_name %s; it cannot be scaled or run twice on one host: drop it and use the service name", s.Name, containerNameLabel(loc, s.Config.ContainerName)),
			})
		}
	},
}

// containerNameLabel quotes the name as the file writes it when it is
// interpolated (container_name: ${APP}-db), with what the variables made
// of it when they are set; an unset variable's placeholder (unset-app) is
// never shown as if it were the name.
func containerNameLabel(loc project.Loc, resolved string) string {
	if loc.Node == nil || loc.Depth != 3 || !strings.Contains(loc.Node.Value, "$") {
		return fmt.Sprintf("%q", resolved)
	}
	raw := loc.Node.Value
	if resolved == "" || resolved == raw || strings.Contains(resolved, project.PlaceholderPrefix) {
		return fmt.Sprintf("%q", raw)
	}
	return fmt.Sprintf("%q (here %q)", raw, resolved)
}
