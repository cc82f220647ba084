package rules

import (
	"fmt"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/composure-dev/composure/rules/knowledge"
)

// StatefulVolumeMissing finds stateful services whose data path has no
// mount at all.
var StatefulVolumeMissing = &lint.Rule{
	ID:       "stateful-volume-missing",
	Title:    "stateful service with nothing mounted on its data path",
	Severity: lint.Error,
	Fix:      lint.Safe,
	Options:  []lint.Option{throwawayDirsOption},
	Doc: lint.Doc{
		What: "Finds services whose image keeps data (databases, queues, search indexes, uploads) with no " +
			"mount on or above the path where the image writes it. Knowledge of images and their data paths " +
			"is built in (postgres, mysql, mariadb, mongo, redis, elasticsearch and many more, keyed by tag " +
			"where the path changed, as for postgres 18); a service built locally inherits the knowledge of its " +
			"Dockerfile's final base image (`FROM caddy:2.10.0-alpine`, through stage names and `ARG` defaults) " +
			"and counts as stateful when the Dockerfile declares `VOLUME`. With `--images=local|registry`, an image " +
			"no entry knows is read from the local engine or its registry: the `VOLUME`s its config declares " +
			"(leaving out logs, caches, tmp, run and sockets) are reported as a warning. Images whose state is optional (redis, valkey...) are reported as a " +
			"warning, and not at all when the service visibly turns persistence off. The data path follows the " +
			"image's variable or server flag when the service sets one (`PGDATA`, `mysqld --datadir=`, " +
			"`mongod --dbpath`). A data directory moved " +
			"by the image's variable (`PGDATA=/var/lib/postgresql/data/pgdata`) below a path the image declares " +
			"`VOLUME` for is held only by a mount at or below that path: above it, the anonymous volume " +
			"covers the data. What is not state is left out: one-shot jobs (another service waits for them to " +
			"complete, or they set `restart: \"no\"` and a command, or they sit in profiles only with a command, " +
			"no ports and no restart policy), and logs or snapshots an image writes beside a data path that is " +
			"mounted (zookeeper `/logs`, qdrant `/qdrant/snapshots`). Throwaway test databases are reported as " +
			"info, without a fix: a server told not to sync (`fsync=off`), or a compose file under a directory " +
			"named by the option `throwaway-dirs` (default `.ci`, `ci`, `.github`, `testing`, `test`, `tests`, " +
			"`e2e`, `integration-tests`).",
		Why: "A container's writable layer is deleted with the container. When the image declares `VOLUME`, " +
			"compose puts the data in an anonymous volume instead: it survives a recreate, but `docker compose " +
			"down` orphans it and the next `up` starts from an empty one. Either way the database is gone " +
			"after a routine redeploy.",
		Bad: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db-password
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
volumes:
  db-data:
`,
		FixText: "Mount a named volume `<service>-data` on the data path and declare it under the top-level " +
			"`volumes:` (safe). When the image declares `VOLUME` there, data may already sit in an anonymous " +
			"volume: copy it into the new named volume before the next `up`. The volume goes into the file that " +
			"defines the service (`compose.yaml`, not `compose.override.yaml`), so runs of the base file alone keep the " +
			"data too. No fix for a dependency directory (a Dockerfile's `VOLUME /app/node_modules`; the list is " +
			"`anonymous-volume`'s): a named volume would keep the old packages after a rebuild.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/services/#volumes",
			"https://docs.docker.com/reference/cli/docker/compose/down/",
		},
	},
	Check: checkStatefulVolumeMissing,
}

func checkStatefulVolumeMissing(p *lint.Pass) {
	for _, s := range servicesOf(p) {
		if !s.Stateful() || len(s.Config.VolumesFrom) > 0 {
			continue // volumes_from brings mounts we cannot see here
		}
		sev, cacheHint := lint.Error, ""
		switch off, maybe := s.persistence(); {
		case off:
			continue
		case maybe:
			sev, cacheHint = lint.Warning, "; if it is only a cache, turn persistence off or ignore this finding"
		}
		if s.FromImageConfig && sev == lint.Error {
			// Only the image's own VOLUME says so, not a curated entry.
			sev, cacheHint = lint.Warning, "; if it holds nothing worth keeping, ignore this finding"
		}
		missing := s.uncovered()
		if len(missing) == 0 {
			continue
		}
		paths := make([]string, len(missing))
		for i, dp := range missing {
			paths[i] = dp.Path
		}
		list := strings.Join(paths, " and ")
		if s.Alternatives {
			list = strings.Join(paths, " or ") + " (depending on the version)"
		}
		anchor := "image"
		if s.FromDockerfile || s.BuiltFrom != "" || s.Config.Image == "" {
			anchor = "build"
		}
		if old, dp := otherVersionMount(s); old != nil {
			var msg string
			switch {
			case s.RelocatedBy != "":
				msg = fmt.Sprintf("service %q (%s) mounts %s, but %s moves the data to %s, which is not on the volume: move the mount to %s",
					s.Name, s.Label(), old.Target, s.RelocatedBy, list, list)
			case dp.MaxMajor > 0 && s.Match.Major > dp.MaxMajor:
				msg = fmt.Sprintf("service %q (%s) mounts %s, where versions up to %d kept their data; this version keeps it in %s and may refuse to start with a mount on the old path: move the mount to %s or pin version %d",
					s.Name, s.Label(), old.Target, dp.MaxMajor, list, list, dp.MaxMajor)
			default:
				msg = fmt.Sprintf("service %q (%s) mounts %s, where other versions of the image keep their data; this version keeps it in %s, which is not on the volume: move the mount to %s",
					s.Name, s.Label(), old.Target, list, list)
			}
			p.Report(p.Project.Locate(old.Path...), lint.Finding{Severity: sev, Service: s.Name, Path: dotted(old.Path), Message: msg})
			continue
		}
		loss := "the data is lost when the container is removed"
		if missing[0].VolumeDeclared {
			loss = "the image's VOLUME puts it in an anonymous volume that `docker compose down` orphans"
		}
		if v := missing[0].InVolume; v != "" {
			loss = "it is inside the image's VOLUME " + v + ", whose anonymous volume `docker compose down` orphans, and a mount above " + v + " does not reach it"
		}
		from := s.Label()
		switch {
		case s.FromDockerfile:
			from = "its Dockerfile declares VOLUME " + list
		case s.BuiltFrom != "" && s.FromImageConfig:
			from = "built from " + s.BuiltFrom + ", read from its image config"
		case s.BuiltFrom != "":
			from = "built from " + s.BuiltFrom
		case s.FromImageConfig:
			from = s.Label() + ", read from its image config"
		}
		f := lint.Finding{
			Severity: sev,
			Service:  s.Name,
			Path:     dotted([]string{"services", s.Name, anchor}),
			Message: fmt.Sprintf("service %q (%s) keeps its data in %s but nothing is mounted there; %s: mount a named volume there%s",
				s.Name, from, list, loss, cacheHint),
		}
		if why := throwaway(p, s); why != "" {
			f.Severity = lint.Info
			f.Message += "; it looks like a throwaway test database (" + why + "): if so, ignore this finding"
		} else if dir, ok := staleTarget(paths); ok {
			f.Message += dependencyHint(dir) // a Dockerfile's VOLUME /app/node_modules
		} else {
			f.Fix = mountVolumeFix(p, s, missing)
		}
		p.Report(p.Project.Locate("services", s.Name, anchor), f)
	}
}

// otherVersionMount finds a mount on a data path the image uses in other
// versions than this one (postgres 18 moved from .../data to its parent).
func otherVersionMount(s *service) (*mount, knowledge.DataPath) {
	if s.Image == nil || s.Alternatives {
		return nil, knowledge.DataPath{}
	}
	current := map[string]bool{}
	for _, dp := range s.DataPaths {
		current[dp.Path] = true
	}
	for _, dp := range s.Image.DataPaths {
		if current[dp.Path] {
			continue
		}
		for i := range s.Mounts {
			if s.Mounts[i].Target == dp.Path && s.Mounts[i].Kind != tmpfsMount {
				return &s.Mounts[i], dp
			}
		}
	}
	return nil, knowledge.DataPath{}
}

// persistence is what a conditionally stateful image (redis: a cache or a
// store) does in this service: off when its command visibly turns
// persistence off, maybe when it turns it neither on nor off. Both are
// false for a service that keeps state for sure. The rules about where
// state goes all decide through it.
func (s *service) persistence() (off, maybe bool) {
	if s.Image == nil || s.Image.Stateful != knowledge.Conditional || persistenceOn(s) {
		return false, false
	}
	off = s.Image.PersistenceOff(commandLine(s))
	return off, !off
}

// persistenceOn reports a service whose command visibly turns optional
// persistence on (redis --appendonly yes, --save with a schedule): no
// longer "maybe a cache".
func persistenceOn(s *service) bool {
	args := knowledge.SplitCommand(commandLine(s))
	for i := 0; i+1 < len(args); i++ {
		a, next := strings.ToLower(args[i]), args[i+1]
		if a == "--appendonly" && strings.EqualFold(next, "yes") {
			return true
		}
		if a == "--save" && next != "" && next != `""` && next != "''" {
			return true
		}
	}
	return false
}

// commandLine is the service's entrypoint and command, for rules that look
// at how a process is started.
func commandLine(s *service) []string {
	out := append([]string{}, s.Config.Entrypoint...)
	return append(out, s.Config.Command...)
}
