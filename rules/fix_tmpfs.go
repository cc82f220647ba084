package rules

import (
	"github.com/composure-dev/composure/rules/lint"
	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// tmpfsToVolumeFix replaces a tmpfs mount on a data path with a named
// volume on the same target. Unsafe: data that lived only in memory now
// persists, and the service writes to disk instead of RAM.
//
// The edit goes where the tmpfs is written (an override's tmpfs is
// replaced in the override: the base file never had it), under the
// service's own mapping there, not an anchor or an extends base.
func tmpfsToVolumeFix(p *lint.Pass, s *service, m mount) *lint.Fix {
	at := p.Project.Locate(m.Path...)
	f := at.File
	if at.Depth != len(m.Path) || at.Node == nil || f == nil || replacedAfter(p.Project, f, s.Name, "volumes", "tmpfs") {
		return nil
	}
	svc := p.Project.LocateIn(f, "services", s.Name)
	if svc.Depth != 2 || svc.Node == nil || svc.Node.Kind != yaml.MappingNode || transform.IsAliased(f.Source(), svc.Node) {
		return nil
	}
	loc := p.Project.LocateIn(f, m.Path...)
	if loc.Node != at.Node {
		return nil // the mount comes from an extends base
	}
	b := newFixBuilder(p, f)
	name := sharedOf(p).volumes.get(s.Name + "-" + lastSegment(m.Target))
	switch {
	case m.Path[2] == "tmpfs":
		list := transform.Value(svc.Node, "tmpfs")
		switch {
		case list != nil && list.Kind == yaml.ScalarNode:
			b.add(transform.RemoveMappingEntry(b.src, svc.Node, "tmpfs"))
		case list != nil && list.Kind == yaml.SequenceNode:
			idx := -1
			for i, it := range list.Content {
				if it == loc.Node {
					idx = i
				}
			}
			if idx < 0 {
				return nil
			}
			b.add(transform.RemoveSequenceItem(b.src, list, idx))
		default:
			return nil
		}
		b.addItems(svc.Node, "volumes", []string{name + ":" + m.Target})
	case loc.Node.Kind == yaml.MappingNode:
		b.add(transform.ReplaceScalar(b.src, transform.Value(loc.Node, "type"), "volume"))
		b.add(transform.AddMappingEntry(b.src, loc.Node, "source", name))
		if transform.Value(loc.Node, "tmpfs") != nil {
			b.add(transform.RemoveMappingEntry(b.src, loc.Node, "tmpfs"))
		}
	default:
		return nil
	}
	declareVolumes(p, b, []string{name})
	return b.build("replace the tmpfs on "+m.Target+" with named volume "+name, lint.Unsafe)
}

// declareVolumes declares new named volumes under top-level volumes:, as
// external stores with fixed names under --external (then the fix is
// unsafe: the volume must exist before `up`, and a note says how).
func declareVolumes(p *lint.Pass, b *fixBuilder, names []string) {
	values := make([]string, len(names))
	if p.External {
		for i, n := range names {
			full := p.Project.Name + "_" + n
			values[i] = "external: true\nname: " + full
			b.notes = append(b.notes, "create the external volume "+full+" before `docker compose up`:\n  docker volume create "+full)
		}
		b.forceUnsafe = true
	}
	b.declare("volumes", names, values)
}

// externalTitle marks fix titles that declare external stores.
func externalTitle(p *lint.Pass, title string) string {
	if p.External {
		return title + " (external)"
	}
	return title
}
