package rules

import (
	"fmt"
	"sort"

	"github.com/composure-dev/composure/rules/lint"
)

// PinnedMacAddress finds mac_address on a service or one of its networks.
var PinnedMacAddress = &lint.Rule{
	ID:       "pinned-mac-address",
	Title:    "pinned mac_address",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds `mac_address` on a service or on one of its network attachments.",
		Why: "A pinned MAC address ties an identity (licences, DHCP leases, cluster membership) to one " +
			"container. Two replicas collide, and the identity breaks when the service moves or is recreated " +
			"elsewhere. Cluster identity belongs in configuration the service reads, not in its network card.",
		Bad: `services:
  app:
    image: example/licensed-app
    mac_address: 02:42:ac:11:00:02
`,
		Good: `services:
  app:
    image: example/licensed-app
`,
		References: []string{"https://docs.docker.com/reference/compose-file/services/#mac_address"},
	},
	Check: func(p *lint.Pass) {
		for _, s := range servicesOf(p) {
			if s.Config.MacAddress != "" {
				path := []string{"services", s.Name, "mac_address"}
				p.Report(p.Project.Locate(path...), lint.Finding{
					Service: s.Name,
					Path:    dotted(path),
					Message: fmt.Sprintf("service %q pins mac_address %s; replicas collide and the identity breaks when the container moves: drop it", s.Name, s.Config.MacAddress),
				})
			}
			nets := make([]string, 0, len(s.Config.Networks))
			for n, cfg := range s.Config.Networks {
				if cfg != nil && cfg.MacAddress != "" {
					nets = append(nets, n)
				}
			}
			sort.Strings(nets)
			for _, n := range nets {
				path := []string{"services", s.Name, "networks", n, "mac_address"}
				p.Report(p.Project.Locate(path...), lint.Finding{
					Service: s.Name,
					Path:    dotted(path),
					Message: fmt.Sprintf("service %q pins mac_address %s on network %s; replicas collide and the identity breaks when the container moves: drop it", s.Name, s.Config.Networks[n].MacAddress, n),
				})
			}
		}
	},
}
