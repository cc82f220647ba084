package rules

import (
	"path/filepath"
	"regexp"

	"github.com/composure-dev/composure/rules/lint"
)

// Whether a project is deployed to Swarm is decided for the project as a
// whole, by weighing what its files say, not by one key of one service: a
// plain compose file with one `deploy.endpoint_mode: dnsrr` copied from an
// example, run with `docker compose up`, is not a stack.
//
//   - A file name with `stack` or `swarm` as a word (docker-stack.yml,
//     compose.swarm.yaml) decides for Swarm: it says how the file is run.
//   - Each service with a setting only Swarm reads (deploy.placement,
//     deploy.endpoint_mode, a global or job mode) counts for Swarm.
//   - Each service with a key only docker compose reads (build,
//     container_name, restart, a depends_on condition) and none of the
//     above counts against, as does a top-level `name:`: `docker stack
//     deploy` ignores them all, so a file that relies on them is run with
//     compose.
//
// The project is a stack when the Swarm side outweighs the compose side.
// update_config, rollback_config, replicas and resources weigh nothing:
// compose reads or tolerates them and plain files copy them often.

// stackName matches file names that say Swarm: stack.yml,
// docker-stack.yml, app-stack.yml, compose.swarm.yaml...
var stackName = regexp.MustCompile(`(?i)(^|[._-])(stack|swarm)([._-]|$)`)

// swarmStack reports whether the project is meant for docker stack
// deploy, by the evidence above.
func swarmStack(p *lint.Pass) bool {
	for _, f := range p.Project.Files {
		if stackName.MatchString(filepath.Base(f.Path)) {
			return true
		}
	}
	forSwarm, forCompose := 0, 0
	if loc := p.Project.Locate("name"); loc.Depth == 1 && loc.Node != nil {
		forCompose++
	}
	for _, s := range servicesOf(p) {
		switch {
		case swarmOnly(s):
			forSwarm++
		case composeOnly(s):
			forCompose++
		}
	}
	return forSwarm > forCompose
}

// swarmOnly: the service uses a deploy setting only Swarm reads.
func swarmOnly(s *service) bool {
	d := s.Config.Deploy
	if d == nil {
		return false
	}
	pl := d.Placement
	if len(pl.Constraints) > 0 || len(pl.Preferences) > 0 || pl.MaxReplicas > 0 || d.EndpointMode != "" {
		return true
	}
	switch d.Mode {
	case "global", "replicated-job", "global-job":
		return true
	}
	return false
}

// composeOnly: the service uses a key `docker stack deploy` ignores. A
// depends_on condition counts when it is one compose waits for (healthy,
// completed); service_started is what the short form means too.
func composeOnly(s *service) bool {
	c := &s.Config
	if c.Build != nil || c.ContainerName != "" || c.Restart != "" {
		return true
	}
	for _, d := range c.DependsOn {
		if d.Condition == "service_healthy" || d.Condition == "service_completed_successfully" {
			return true
		}
	}
	return false
}
