package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/compose-spec/compose-go/v2/types"
)

// StatePinnedToHost finds Swarm services whose state lives on one node
// without the service being pinned to that node.
var StatePinnedToHost = &lint.Rule{
	ID:       "state-pinned-to-host",
	Title:    "Swarm service with state on one node but free to move",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "In a stack deployed to Docker Swarm, finds stateful services whose data path is on a `local`-driver " +
			"named volume (no `driver`, or `driver: local` without a network filesystem in `driver_opts`, and " +
			"not external) or on a host bind mount, while no placement constraint pins the service to one node " +
			"(`node.hostname == ...` or `node.id == ...`). Whether a project is a Swarm stack is decided for the " +
			"project, not by one key: a file whose name has `stack` or `swarm` as a word (`docker-stack.yml`, " +
			"`app-stack.yml`, `compose.swarm.yaml`) is one; otherwise the services that use a setting only Swarm " +
			"reads (`deploy.placement`, `deploy.endpoint_mode`, `deploy.mode: global` or a job mode) must outnumber " +
			"the evidence for `docker compose`: services with a key `docker stack deploy` ignores (`build`, " +
			"`container_name`, `restart`, a `depends_on` condition) and a top-level `name:`. So a plain compose file " +
			"with one `endpoint_mode: dnsrr` copied from an example is not a stack. `deploy.replicas`, `resources` " +
			"and `update_config` weigh nothing: plain compose files use or copy them too. A constraint on a node label (`node.labels.db == true`) is reported as info only: it pins " +
			"the service when exactly one node carries the label, which composure cannot see. Global services " +
			"(one task per node, each with its own data) and replicated ones (`stateful-replicas`) are left out.",
		Why: "A local volume or a host directory exists on one node only. When Swarm reschedules the task on " +
			"another node (a node drains, fails or is updated), the service starts there with an empty volume: " +
			"the database looks wiped, and the old data sits unused on the first node.",
		Bad: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
    deploy:
      placement:
        constraints:
          - node.role == manager
volumes:
  db-data:
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
    deploy:
      placement:
        constraints:
          - node.hostname == db-1
volumes:
  db-data:
`,
		FixText: "Display only. Pin the service to the node that holds the data (`node.hostname == <node>`), use a " +
			"volume driver or plugin whose volumes follow the container across nodes (NFS, a cloud block " +
			"storage plugin), or keep the data in an external store.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/deploy/#placement",
			"https://docs.docker.com/engine/swarm/services/#placement-constraints",
			"https://docs.docker.com/engine/swarm/services/#data-volumes",
		},
	},
	Check: checkStatePinnedToHost,
}

// pin is how firmly placement constraints hold a service on one node.
type pin int

const (
	notPinned pin = iota
	labelPinned
	hostPinned
)

// constraintRe reads `attribute == value` and `attribute != value`.
var constraintRe = regexp.MustCompile(`^\s*([A-Za-z0-9_.\-]+)\s*(==|!=)\s*(.+?)\s*$`)

// pinning reads the placement constraints: node.hostname or node.id ==
// pins to one node; a node or engine label == may.
func pinning(d *types.DeployConfig) (pin, string) {
	if d == nil {
		return notPinned, ""
	}
	best, by := notPinned, ""
	for _, c := range d.Placement.Constraints {
		m := constraintRe.FindStringSubmatch(c)
		if m == nil || m[2] != "==" {
			continue
		}
		attr := strings.ToLower(m[1])
		switch {
		case attr == "node.hostname" || attr == "node.id":
			return hostPinned, strings.TrimSpace(c)
		case strings.HasPrefix(attr, "node.labels.") || strings.HasPrefix(attr, "engine.labels."):
			best, by = labelPinned, strings.TrimSpace(c)
		}
	}
	return best, by
}

// networkFS are driver_opts types of the local driver whose data is on
// a network filesystem, reachable from any node.
var networkFS = map[string]bool{"nfs": true, "nfs4": true, "cifs": true, "smb": true, "smb3": true, "glusterfs": true, "ceph": true}

// nodeLocalVolume reports whether a named volume keeps its data on the
// node that runs the task: the local driver (explicit or default), not
// external, not backed by a network filesystem.
func nodeLocalVolume(v types.VolumeConfig) bool {
	if bool(v.External) || (v.Driver != "" && v.Driver != "local") {
		return false
	}
	if networkFS[strings.ToLower(v.DriverOpts["type"])] || strings.Contains(v.DriverOpts["o"], "addr=") {
		return false
	}
	return true
}

func checkStatePinnedToHost(p *lint.Pass) {
	if !swarmStack(p) {
		return
	}
	for _, s := range servicesOf(p) {
		if !keepsState(s) {
			continue
		}
		d := s.Config.Deploy
		if d != nil && (d.Mode == "global" || d.Mode == "global-job") {
			continue // one task per node, each with its own data
		}
		if d != nil && d.Replicas != nil && *d.Replicas > 1 || s.Config.Scale != nil && *s.Config.Scale > 1 {
			continue // stateful-replicas reports it
		}
		pinned, by := pinning(d)
		if pinned == hostPinned {
			continue
		}
		for _, dp := range s.DataPaths {
			m := covering(s.Mounts, dp)
			if m == nil {
				continue
			}
			var where string
			switch m.Kind {
			case namedVolume:
				v, ok := p.Project.Model.Volumes[m.Source]
				if !ok || !nodeLocalVolume(v) {
					continue
				}
				where = "local volume " + m.Source
			case bindMount:
				where = "host directory " + displayPath(p.Project.Dir, m.Source)
			default:
				continue
			}
			sev, risk := lint.Warning, "nothing pins it to one node, so when Swarm reschedules it on another node it starts there without its data"
			if pinned == labelPinned {
				sev, risk = lint.Info, fmt.Sprintf("it is placed by %q, which pins it only if exactly one node carries that label", by)
			}
			p.Report(p.Project.Locate(m.Path...), lint.Finding{
				Severity: sev,
				Service:  s.Name,
				Path:     dotted(m.Path),
				Message: fmt.Sprintf("service %q (%s) is deployed to Swarm and keeps %s on %s, which exists on one node only; %s: pin it with a placement constraint (node.hostname == <node>), use a volume driver that follows the container, or keep the data in an external store",
					s.Name, s.Label(), dp.Path, where, risk),
			})
			break
		}
	}
}
