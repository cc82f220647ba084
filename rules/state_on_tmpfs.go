package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"
)

// StateOnTmpfs finds stateful data paths on tmpfs.
var StateOnTmpfs = &lint.Rule{
	ID:       "state-on-tmpfs",
	Title:    "stateful data path on tmpfs",
	Severity: lint.Error,
	Fix:      lint.Unsafe,
	Options:  []lint.Option{throwawayDirsOption},
	Doc: lint.Doc{
		What: "Finds stateful services whose data path is on a `tmpfs` mount, from the `tmpfs:` list or a " +
			"long-syntax volume of `type: tmpfs`, on the path itself or a directory above it. Images whose " +
			"state is optional are reported as a warning, as an error when the command turns persistence on, " +
			"and not at all when it turns persistence off. A throwaway test database (tmpfs data is the usual " +
			"way to make one fast) is reported as info, without a fix, when its server is told not to sync " +
			"(`fsync=off`) or its compose file is under a directory named by the option `throwaway-dirs` " +
			"(default `.ci`, `ci`, `.github`, `testing`, `test`, `tests`, `e2e`, `integration-tests`).",
		Why: "tmpfs lives in memory: everything on it disappears every time the container stops, not only when " +
			"it is removed. A database on tmpfs starts empty after every restart.",
		Bad: `services:
  db:
    image: postgres:16
    tmpfs:
      - /var/lib/postgresql/data
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
		FixText: "Replace the tmpfs mount with a named volume (unsafe: it changes the data's lifetime and the " +
			"service's performance, which may be what a test setup wanted).",
		References: []string{"https://docs.docker.com/reference/compose-file/services/#tmpfs"},
	},
	Check: checkStateOnTmpfs,
}

func checkStateOnTmpfs(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		if !s.Stateful() {
			continue
		}
		sev := lint.Error
		switch off, maybe := s.persistence(); {
		case off:
			continue
		case maybe:
			sev = lint.Warning
		}
		for _, dp := range s.DataPaths {
			m := covering(s.Mounts, dp)
			if m == nil || m.Kind != tmpfsMount {
				continue
			}
			f := lint.Finding{
				Severity: sev,
				Service:  s.Name,
				Path:     dotted(m.Path),
				Message: fmt.Sprintf("service %q (%s) keeps its data in %s on tmpfs; it is lost every time the container stops: mount a named volume there",
					s.Name, s.Label(), dp.Path),
			}
			if why := throwaway(p, s); why != "" {
				f.Severity = lint.Info
				f.Message += "; it looks like a throwaway test database (" + why + "): if so, ignore this finding"
			} else {
				f.Fix = tmpfsToVolumeFix(p, s, *m)
			}
			p.Report(p.Project.Locate(m.Path...), f)
		}
	}
}
