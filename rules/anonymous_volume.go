package rules

import (
	"fmt"

	"github.com/composure-dev/composure/rules/lint"
)

// AnonymousVolume finds mounts with no source.
var AnonymousVolume = &lint.Rule{
	ID:       "anonymous-volume",
	Title:    "anonymous volume that `down` orphans",
	Severity: lint.Warning,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		What: "Finds volume mounts with no source: the short form `- /var/lib/mysql` and the long form " +
			"`type: volume` without `source`. An anonymous volume nested under another mount of the same " +
			"service (the `- .:/app` plus `- /app/node_modules` idiom) is not reported: it only masks part of " +
			"that mount and holds no state of its own. Nor is a dependency directory (`node_modules`, `vendor`, " +
			"`.venv`, `target`...) of a service that bind-mounts its source or is built locally: it keeps the " +
			"image's dependencies visible, and a named volume would keep them stale across rebuilds.",
		Why: "An anonymous volume has no stable name. Compose reuses it when it recreates the container, but " +
			"`docker compose down` leaves it behind as a dangling volume and the next `up` creates a new, empty " +
			"one; `down -v` and `up -V` delete it. Whatever the service wrote there is lost in practice.",
		Bad: `services:
  db:
    image: mysql:8.4
    volumes:
      - /var/lib/mysql
`,
		Good: `services:
  db:
    image: mysql:8.4
    volumes:
      - db-mysql:/var/lib/mysql
volumes:
  db-mysql:
`,
		FixText: "Name the volume `<service>-<last path segment>` and declare it under the top-level `volumes:` " +
			"(safe). The data already in the anonymous volume has to be copied into the named one before the next `up`. " +
			"No fix for a volume on a dependency directory (`node_modules`, `bower_components`, `.pnpm-store`, `vendor`, " +
			"`.venv`, `venv`, `__pycache__`, `site-packages`, `dist-packages`, `target`, `.gradle`, `.m2`, `deps`, `_build`, " +
			"`.bundle`, `packages`): a named volume is never renewed from the image, so after a rebuild the container " +
			"keeps the old dependencies; the message says so instead.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/services/#volumes",
			"https://docs.docker.com/reference/cli/docker/compose/down/",
		},
	},
	Check: checkAnonymousVolume,
}

func checkAnonymousVolume(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		for _, m := range s.Mounts {
			// An empty target comes from an unset variable (${DIR}:${DIR}):
			// there is nothing to name until it is set.
			if m.Kind != anonymousVolume || m.Target == "." || maskedByParent(s.Mounts, m) || dependencyCache(s, m) {
				continue
			}
			f := lint.Finding{
				Service: s.Name,
				Path:    dotted(m.Path),
				Message: fmt.Sprintf("service %q mounts an anonymous volume on %s; `docker compose down` orphans it and the next `up` starts empty: give it a name and declare it under top-level volumes",
					s.Name, m.Target),
			}
			if staleDir(m.Target) {
				f.Message = fmt.Sprintf("service %q mounts an anonymous volume on %s, where packages are installed: if the image installs them there, keep it anonymous (`docker compose up -V` renews it from the rebuilt image; a named volume would keep the old packages) and ignore this finding; if it holds data, `docker compose down` orphans it: give it a name and declare it under top-level volumes",
					s.Name, m.Target)
			} else {
				f.Fix = nameAnonymousFix(p, s, m)
			}
			p.Report(p.Project.Locate(m.Path...), f)
		}
	}
}

// maskedByParent reports whether an anonymous volume sits under another
// bind or named mount of the same service, the idiom that keeps e.g.
// node_modules of the image visible under a bind-mounted source tree.
func maskedByParent(ms []mount, anon mount) bool {
	for _, m := range ms {
		if (m.Kind == bindMount || m.Kind == namedVolume) && isAncestor(m.Target, anon.Target) {
			return true
		}
	}
	return false
}
