package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// VolumeNotExternal finds named volumes holding a stateful service's data
// that `docker compose down -v` would delete.
var VolumeNotExternal = &lint.Rule{
	ID:         "volume-not-external",
	Title:      "stateful data on a volume that `down -v` deletes",
	Severity:   lint.Info,
	DefaultOff: true,
	Fix:        lint.Unsafe,
	Doc: lint.Doc{
		What: "Finds named volumes on a stateful service's data path that the project owns, that is not " +
			"declared `external: true`. Off by default: it is a policy for stacks whose data must outlive the " +
			"compose project.",
		Why: "A volume the project creates is also one it deletes: `docker compose down -v` (a common reflex to " +
			"\"start clean\") and `docker compose rm -v` remove it with the database in it. An external volume " +
			"is created once, outside compose, and compose never deletes it.",
		Bad: `services:
  db:
    image: postgres:16
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
    external: true
    name: myapp_db-data
`,
		FixText: "Declare the volume `external: true` with a fixed `name:`, the name compose gives it now " +
			"(`<project>_<volume>`), so the data already in it is kept (unsafe: `up` fails until the volume " +
			"exists; the fix prints the `docker volume create` command, and the name assumes the project name " +
			"composure sees). `driver: local`, the default, gives way to `external: true`. Display only when the " +
			"declaration has other settings (another `driver`, `driver_opts`, `labels`), which an external " +
			"volume cannot have.",
		References: []string{
			"https://docs.docker.com/reference/compose-file/volumes/#external",
			"https://docs.docker.com/reference/cli/docker/compose/down/",
		},
	},
	Check: checkVolumeNotExternal,
}

func checkVolumeNotExternal(p *lint.Pass) {
	users := map[string][]*service{}
	paths := map[string][]string{}
	firstMount := map[string]mount{}
	for _, s := range servicesOf(p) {
		if !keepsState(s) {
			continue
		}
		for _, dp := range s.DataPaths {
			m := covering(s.Mounts, dp)
			if m == nil || m.Kind != namedVolume {
				continue
			}
			v, ok := p.Project.Model.Volumes[m.Source]
			if !ok || bool(v.External) {
				continue
			}
			if _, ok := firstMount[m.Source]; !ok {
				firstMount[m.Source] = *m
			}
			if n := len(users[m.Source]); n == 0 || users[m.Source][n-1] != s {
				users[m.Source] = append(users[m.Source], s)
			}
			if !slices.Contains(paths[m.Source], dp.Path) {
				paths[m.Source] = append(paths[m.Source], dp.Path)
			}
		}
	}
	vols := make([]string, 0, len(users))
	for v := range users {
		vols = append(vols, v)
	}
	sort.Strings(vols)
	for _, vol := range vols {
		ss := users[vol]
		loc := p.Project.Locate("volumes", vol)
		path := []string{"volumes", vol}
		if loc.Depth != 2 {
			loc, path = p.Project.Locate(firstMount[vol].Path...), firstMount[vol].Path
		}
		labels := make([]string, len(ss))
		for i, s := range ss {
			labels[i] = fmt.Sprintf("%q (%s)", s.Name, s.Label())
		}
		who := "service " + labels[0]
		if len(labels) > 1 {
			who = "services " + strings.Join(labels[:len(labels)-1], ", ") + " and " + labels[len(labels)-1]
		}
		p.Report(loc, lint.Finding{
			Service: ss[0].Name,
			Path:    dotted(path),
			Message: fmt.Sprintf("volume %s holds the data of %s in %s, and `docker compose down -v` deletes it: declare it external with a fixed name",
				vol, who, strings.Join(paths[vol], " and ")),
			Fix: externalVolumeFix(p, vol),
		})
	}
}

// externalVolumeFix declares a volume `external: true` with the name
// compose gives it now, so the data in it stays where it is.
func externalVolumeFix(p *lint.Pass, vol string) *lint.Fix {
	loc := p.Project.Locate("volumes", vol)
	if loc.Depth != 2 || loc.File == nil || loc.Node == nil {
		return nil
	}
	name := p.Project.Model.Volumes[vol].Name
	if name == "" || strings.Contains(name, "$") {
		return nil
	}
	title := fmt.Sprintf("declare volume %s external with name %s", vol, name)
	notes := []string{
		fmt.Sprintf("volume %s is external now: `docker compose up` expects it to exist; compose created it on earlier runs, otherwise create it:\n  docker volume create %s", vol, name),
		fmt.Sprintf("the name %s assumes the project name %s: use the name of the existing volume if you run the project under another name (-p, COMPOSE_PROJECT_NAME)", name, p.Project.Name),
	}
	b := newFixBuilder(p, loc.File)
	n := loc.Node
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		section := p.Project.LocateIn(loc.File, "volumes")
		if section.Node == nil || section.Node.Kind != yaml.MappingNode || section.Node != mappingParent(loc) {
			return nil
		}
		b.add(transform.EnsureKey(b.src, section.Node, vol, "external: true\nname: "+name, true))
	case n.Kind == yaml.MappingNode && len(n.Content) == 0:
		// `vol: {}`: the flow mapping gets both keys at once.
		if !plainName.MatchString(name) {
			return nil
		}
		start, end, err := transform.NodeExtent(b.src, n)
		b.addRaw([]transform.Edit{{File: b.src.File, Start: start, End: end, New: "{external: true, name: " + name + "}"}}, err)
	case n.Kind == yaml.MappingNode && onlyNameAndLocalDriver(n):
		// `driver: local` is the default, which an external volume
		// cannot state: the key becomes `external: true`.
		if i := transform.KeyIndex(n, "driver"); i >= 0 {
			b.add(transform.ReplaceScalar(b.src, n.Content[i], "external"))
			b.add(transform.ReplaceScalar(b.src, n.Content[i+1], "true"))
		} else {
			b.add(transform.AddMappingEntry(b.src, n, "external", "true"))
		}
		if transform.KeyIndex(n, "name") < 0 {
			b.add(transform.AddMappingEntry(b.src, n, "name", name))
		}
	default:
		var keys []string
		if n.Kind == yaml.MappingNode {
			for key := range transform.Pairs(n) {
				keys = append(keys, key.Value)
			}
		}
		why := "its declaration is not in a form the fix edits"
		if len(keys) > 0 {
			why = "its declaration sets " + strings.Join(keys, ", ") + ", which an external volume cannot have"
		}
		return &lint.Fix{Title: title, Applicability: lint.DisplayOnly, Notes: append([]string{
			fmt.Sprintf("%s: create the volume by hand with its settings (docker volume create), then declare it as `%s: {external: true, name: %s}`", why, vol, name),
		}, notes[1:]...)}
	}
	b.notes = notes
	return b.build(title, lint.Unsafe)
}

// mappingParent is the top-level volumes mapping that holds loc's key,
// found from the file root (nil when the key is not a direct entry).
func mappingParent(loc project.Loc) *yaml.Node {
	root := loc.File.Root()
	sec := transform.Value(root, "volumes")
	if sec == nil || sec.Kind != yaml.MappingNode {
		return nil
	}
	for key := range transform.Pairs(sec) {
		if key == loc.Key {
			return sec
		}
	}
	return nil
}

// keepsState is Stateful without the services that visibly turn optional
// persistence off (redis --save "" --appendonly no): a pure cache.
func keepsState(s *service) bool {
	off, _ := s.persistence()
	return s.Stateful() && !off
}

// plainName is a volume name that YAML reads as itself without quotes.
var plainName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// onlyNameAndLocalDriver reports a volume declaration with nothing but
// `name:` and `driver: local`, at least one of them.
func onlyNameAndLocalDriver(m *yaml.Node) bool {
	if len(m.Content) == 0 {
		return false
	}
	for k, v := range transform.Pairs(m) {
		switch {
		case k.Value == "name" && v.Kind == yaml.ScalarNode:
		case k.Value == "driver" && v.Kind == yaml.ScalarNode && v.Value == "local":
		default:
			return false
		}
	}
	return true
}
