package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// SharedVolumeWriters finds named volumes that hold a stateful service's
// data and that several services mount read-write.
var SharedVolumeWriters = &lint.Rule{
	ID:       "shared-volume-writers",
	Title:    "stateful data volume mounted read-write by several services",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		What: "Finds named volumes on the data path of a stateful service that two or more services mount " +
			"read-write. One finding per volume, at its top-level declaration, naming the writers. Not reported: " +
			"one service scaled over one volume (`deploy.replicas`, `scale`: `stateful-replicas` reports it), " +
			"mounts through `volumes_from` (`data-volume-container`), and other roles of the same application, " +
			"that is services running the same image (or local build) with another command or entrypoint, such " +
			"as nextcloud's cron container or an n8n worker: they share the data by design.",
		Why: "A database, queue or index assumes it is the only process writing its data directory. A second " +
			"container writing there (a second instance, a migration or backup job mounting the same volume " +
			"read-write) corrupts it or makes the first one fail on its lock, and a read-only consumer does not " +
			"need write access to do its job.",
		Bad: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
  backup:
    image: alpine:3.20
    volumes:
      - db-data:/data
volumes:
  db-data:
`,
		Good: `services:
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
  backup:
    image: alpine:3.20
    volumes:
      - db-data:/data:ro
volumes:
  db-data:
`,
		References: []string{
			"https://docs.docker.com/reference/compose-file/services/#volumes",
			"https://docs.docker.com/engine/storage/volumes/#use-a-read-only-volume",
		},
	},
	Check: checkSharedVolumeWriters,
}

func checkSharedVolumeWriters(p *lint.Pass) {
	type owner struct {
		s    *service
		path string
	}
	writers := map[string][]*service{}
	firstMount := map[string]mount{}
	owners := map[string][]owner{}
	for _, s := range servicesOf(p) {
		for i, m := range s.Mounts {
			if m.Kind != namedVolume || m.ReadOnly {
				continue
			}
			if _, ok := firstMount[m.Source]; !ok {
				firstMount[m.Source] = m
			}
			if n := len(writers[m.Source]); n == 0 || writers[m.Source][n-1] != s {
				writers[m.Source] = append(writers[m.Source], s)
			}
			if !keepsState(s) {
				continue
			}
			for _, dp := range s.DataPaths {
				if c := covering(s.Mounts, dp); c == &s.Mounts[i] {
					owners[m.Source] = append(owners[m.Source], owner{s, dp.Path})
					break
				}
			}
		}
	}
	vols := make([]string, 0, len(owners))
	for v := range owners {
		vols = append(vols, v)
	}
	sort.Strings(vols)
	for _, vol := range vols {
		o := owners[vol][0]
		var ws []*service
		for _, w := range writers[vol] {
			if w == o.s || !roleOf(w, o.s) {
				ws = append(ws, w)
			}
		}
		if len(ws) < 2 {
			continue // one service, even scaled: stateful-replicas
		}
		loc, path := p.Project.Locate("volumes", vol), []string{"volumes", vol}
		if loc.Depth != 2 {
			loc, path = p.Project.Locate(firstMount[vol].Path...), firstMount[vol].Path
		}
		p.Report(loc, lint.Finding{
			Service: ws[0].Name,
			Path:    dotted(path),
			Message: fmt.Sprintf("volume %s holds the data of service %q (%s) in %s and %s mount it read-write; two processes writing one data directory corrupt it: mount it read-only (:ro) where a service only reads it, or give each its own volume",
				vol, o.s.Name, o.s.Label(), o.path, lint.ServiceList(serviceNames(ws))),
		})
	}
}

// roleOf reports whether w is another role of the application o runs:
// the same image (or local build) started with another command or
// entrypoint, such as nextcloud's cron container or n8n's worker. Such
// roles share the application's data by design, and the application
// coordinates them.
func roleOf(w, o *service) bool {
	if imageKey(w) == "" || imageKey(w) != imageKey(o) {
		return false
	}
	return strings.Join(commandLine(w), "\x00") != strings.Join(commandLine(o), "\x00")
}

// imageKey names what a service runs: the image repository without tag
// or digest, or the build context and Dockerfile.
func imageKey(s *service) string {
	if img := s.Config.Image; img != "" {
		img, _, _ = strings.Cut(img, "@")
		if i := strings.LastIndexByte(img, ':'); i > strings.LastIndexByte(img, '/') {
			img = img[:i]
		}
		return img
	}
	if b := s.Config.Build; b != nil {
		return "build:" + b.Context + "|" + b.Dockerfile
	}
	return ""
}
