package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composure-dev/composure/transform"
)

// DataVolumeContainer finds services that take their volumes from another
// container with volumes_from.
var DataVolumeContainer = &lint.Rule{
	ID:       "data-volume-container",
	Title:    "volumes shared through `volumes_from`",
	Severity: lint.Warning,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		What: "Finds services with `volumes_from`: the data-volume-container pattern, where a service mounts " +
			"whatever volumes another service (`service`, `service:ro`) or a container outside the project " +
			"(`container:name`) has.",
		Why: "The pattern predates named volumes. The data lives wherever the other container keeps it, often " +
			"in anonymous volumes that `docker compose down` orphans and the next `up` replaces with empty ones; a " +
			"`container:` source is not even managed by the project. Which paths are shared is invisible in the " +
			"file, and `docker stack deploy` does not support `volumes_from` at all. Named volumes mounted by " +
			"each service say exactly what is shared, and survive `down`.",
		Bad: `services:
  data:
    image: busybox
    volumes:
      - uploads:/srv/uploads
  app:
    image: nginx:1.27
    volumes_from:
      - data:ro
volumes:
  uploads:
`,
		Good: `services:
  app:
    image: nginx:1.27
    volumes:
      - uploads:/srv/uploads:ro
volumes:
  uploads:
`,
		FixText: "When every source is a service of the project whose mounts are all named volumes: mount those " +
			"volumes directly on the same paths, in the mode the entry forces (`:ro`, `:rw`) or else the " +
			"source's own, and remove `volumes_from` (unsafe: the service no longer starts after its source, so " +
			"add `depends_on` if it relied on that, and volumes that the source's image declares with `VOLUME` " +
			"are not carried over). No automatic fix when a source is a container, has anonymous volumes, bind " +
			"mounts or tmpfs, or takes its own volumes from elsewhere: name those volumes first.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/services/#volumes_from",
			"https://docs.docker.com/engine/storage/volumes/",
		},
	},
	Check: checkDataVolumeContainer,
}

// volumesFromEntry is one item of volumes_from.
type volumesFromEntry struct {
	Service   string // "" for a container
	Container string
	Mode      string // "", "ro" or "rw"
}

func parseVolumesFrom(item string) volumesFromEntry {
	if name, ok := strings.CutPrefix(item, "container:"); ok {
		name, mode, _ := strings.Cut(name, ":")
		return volumesFromEntry{Container: name, Mode: mode}
	}
	name, mode, _ := strings.Cut(item, ":")
	return volumesFromEntry{Service: name, Mode: mode}
}

func checkDataVolumeContainer(p *lint.Pass) {
	byName := map[string]*service{}
	for _, s := range servicesOf(p) {
		byName[s.Name] = s
	}
	for _, s := range servicesOf(p) {
		if len(s.Config.VolumesFrom) == 0 {
			continue
		}
		var sources, lost []string
		for _, item := range s.Config.VolumesFrom {
			e := parseVolumesFrom(item)
			if e.Container != "" {
				sources = append(sources, fmt.Sprintf("container %q", e.Container))
				continue
			}
			sources = append(sources, fmt.Sprintf("service %q", e.Service))
			if src := byName[e.Service]; src != nil {
				lost = append(lost, anonymousPaths(src)...)
			}
		}
		why := "what is shared is invisible here, and `docker stack deploy` does not support it"
		if len(lost) > 0 {
			why = "the anonymous volumes on " + strings.Join(lost, ", ") + " are orphaned by `docker compose down`, and the next `up` shares empty ones"
		}
		key := []string{"services", s.Name, "volumes_from"}
		p.Report(p.Project.Locate(key...), lint.Finding{
			Service: s.Name,
			Path:    dotted(key),
			Message: fmt.Sprintf("service %q takes its volumes from %s with volumes_from; %s: mount named volumes directly",
				s.Name, strings.Join(sources, " and "), why),
			Fix: volumesFromFix(p, s, byName),
		})
	}
}

// anonymousPaths are the paths where a service keeps data in anonymous
// volumes: its own nameless mounts and the VOLUME paths of its image that
// nothing is mounted on.
func anonymousPaths(s *service) []string {
	var out []string
	for _, m := range s.Mounts {
		if m.Kind == anonymousVolume {
			out = append(out, m.Target)
		}
	}
	for _, dp := range s.DataPaths {
		if dp.VolumeDeclared && covering(s.Mounts, dp) == nil && !s.Alternatives {
			out = append(out, dp.Path)
		}
	}
	return out
}

// volumesFromFix mounts the sources' named volumes on the service itself
// and removes volumes_from. nil (no fix) when anything shared is not a
// plain named volume.
func volumesFromFix(p *lint.Pass, s *service, byName map[string]*service) *lint.Fix {
	f, loc := serviceNode(p.Project, s.Name)
	if f == nil || hasMergeKey(loc.Node) {
		return nil
	}
	if own := p.Project.LocateIn(f, "services", s.Name, "volumes_from"); own.Depth != 3 ||
		own.Node != p.Project.Locate("services", s.Name, "volumes_from").Node {
		return nil // volumes_from comes from an override or an extends base
	}
	targets := map[string]bool{}
	for _, m := range s.Mounts {
		targets[m.Target] = true
	}
	var items, names []string
	for _, it := range s.Config.VolumesFrom {
		e := parseVolumesFrom(it)
		src := byName[e.Service]
		if e.Container != "" || src == nil || src == s || (e.Mode != "" && e.Mode != "ro" && e.Mode != "rw") ||
			len(src.Config.VolumesFrom) > 0 || len(anonymousPaths(src)) > 0 {
			return nil
		}
		for _, v := range src.Config.Volumes {
			if v.Type != types.VolumeTypeVolume || v.Source == "" || v.Consistency != "" ||
				(v.Volume != nil && (v.Volume.NoCopy || v.Volume.Subpath != "")) {
				return nil
			}
			target := path.Clean(v.Target)
			if targets[target] {
				return nil // two mounts on one path
			}
			targets[target] = true
			item := v.Source + ":" + target
			// the entry's mode wins; without one the source's mode stays
			if e.Mode == "ro" || e.Mode == "" && v.ReadOnly {
				item += ":ro"
			}
			items = append(items, item)
		}
		if len(src.Config.Tmpfs) > 0 {
			return nil
		}
		names = append(names, fmt.Sprintf("%q", src.Name))
	}
	b := newFixBuilder(p, f)
	b.add(transform.RemoveMappingEntry(b.src, loc.Node, "volumes_from"))
	if len(items) > 0 {
		b.addItems(loc.Node, "volumes", items)
	}
	b.notes = append(b.notes, fmt.Sprintf("service %q no longer starts after %s, as volumes_from made it: add depends_on if it needs that; volumes their images declare with VOLUME are not shared any more",
		s.Name, strings.Join(names, " and ")))
	title := "mount the named volumes of " + strings.Join(names, " and ") + " directly instead of volumes_from"
	if len(items) == 0 {
		title = "remove volumes_from: " + strings.Join(names, " and ") + " mounts no volumes"
	}
	return b.build(title, lint.Unsafe)
}
