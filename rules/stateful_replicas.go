package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"
)

// StatefulReplicas finds stateful services scaled over one shared volume.
var StatefulReplicas = &lint.Rule{
	ID:       "stateful-replicas",
	Title:    "stateful service with several replicas on one volume",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds stateful services with `deploy.replicas` or `scale` above 1 whose data path is on a named " +
			"volume or a bind mount, which every replica then shares.",
		Why: "Two database processes writing one data directory corrupt it (most refuse to start on a locked " +
			"directory, some do not notice). Replication is something the database does, with one volume per " +
			"member, not something compose scaling provides.",
		Bad: `services:
  db:
    image: postgres:16
    deploy:
      replicas: 3
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
		References: []string{"https://docs.docker.com/reference/compose-file/deploy/#replicas"},
	},
	Check: checkStatefulReplicas,
}

func checkStatefulReplicas(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		if !s.Stateful() {
			continue
		}
		n, key := 0, []string{}
		if s.Config.Deploy != nil && s.Config.Deploy.Replicas != nil && *s.Config.Deploy.Replicas > 1 {
			n, key = *s.Config.Deploy.Replicas, []string{"services", s.Name, "deploy", "replicas"}
		}
		if s.Config.Scale != nil && *s.Config.Scale > 1 {
			n, key = *s.Config.Scale, []string{"services", s.Name, "scale"}
		}
		if n < 2 {
			continue
		}
		for _, dp := range s.DataPaths {
			m := covering(s.Mounts, dp)
			if m == nil || (m.Kind != namedVolume && m.Kind != bindMount) {
				continue
			}
			p.Report(p.Project.Locate(key...), lint.Finding{
				Service: s.Name,
				Path:    dotted(key),
				Message: fmt.Sprintf("service %q (%s) runs %d replicas that share %s on %s; several processes on one data directory corrupt it: run one replica or give each its own volume",
					s.Name, s.Label(), n, m.Source, dp.Path),
			})
			break
		}
	}
}
