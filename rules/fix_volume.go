package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform"
)

// names hands out volume and secret names that clash with nothing in the
// project and with nothing handed out before in the same run.
type names struct {
	taken map[string]bool
}

func newNames(existing ...map[string]bool) *names {
	n := &names{taken: map[string]bool{}}
	for _, m := range existing {
		for k := range m {
			n.taken[k] = true
		}
	}
	return n
}

// get returns base, or base-2, base-3... whichever is free, and takes it.
func (n *names) get(base string) string {
	base = sanitizeName(base)
	name := base
	for i := 2; n.taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	n.taken[name] = true
	return name
}

// getFree is get for a name that must also pass free (a secret file
// that is not on disk with other bytes): base, base-2... whichever is
// free of both, taken.
func (n *names) getFree(base string, free func(string) bool) string {
	name := n.peekFree(base, free)
	n.taken[name] = true
	return name
}

// peekFree is getFree without taking the name.
func (n *names) peekFree(base string, free func(string) bool) string {
	base = sanitizeName(base)
	name := base
	for i := 2; n.taken[name] || !free(name); i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// sanitizeName keeps what Docker accepts in a volume or secret name:
// [a-zA-Z0-9][a-zA-Z0-9_.-]*.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-_.")
	if out == "" {
		return "data"
	}
	return out
}

// lastSegment is the last element of a container path, for volume names.
func lastSegment(p string) string {
	seg := path.Base(p)
	if seg == "/" || seg == "." {
		return "data"
	}
	return seg
}

// mountVolumeFix mounts a named volume on a data path of a service and
// declares it, in the file that defines the service (the base file, not
// an override: see placement.go).
func mountVolumeFix(p *lint.Pass, s *service, paths []knowledge.DataPath) *lint.Fix {
	if s.Alternatives {
		return nil // the version decides the path; a wrong mount can stop the service
	}
	f, loc := serviceNode(p.Project, s.Name)
	if f == nil || replacedAfter(p.Project, f, s.Name, "volumes") {
		return nil
	}
	b := newFixBuilder(p, f)
	var mounted, items, names []string
	for _, dp := range paths {
		base := s.Name + "-data"
		if len(paths) > 1 {
			base = s.Name + "-" + lastSegment(dp.Path)
		}
		name := sharedOf(p).volumes.get(base)
		items = append(items, name+":"+dp.Path)
		names = append(names, name)
		b.notes = append(b.notes, migrationNote(p.Project, s, name, dp))
		mounted = append(mounted, name+" on "+dp.Path)
	}
	b.addItems(loc.Node, "volumes", items)
	declareVolumes(p, b, names)
	return b.build(externalTitle(p, "mount named volume "+strings.Join(mounted, " and ")), lint.Safe)
}

// nameAnonymousFix gives an anonymous volume a name and declares it.
func nameAnonymousFix(p *lint.Pass, s *service, m mount) *lint.Fix {
	loc := p.Project.Locate(m.Path...)
	if loc.Depth != len(m.Path) || loc.Node == nil || loc.File == nil {
		return nil
	}
	// The item must belong to this service in the file that holds it (the
	// base or an override, whichever wrote the mount), not to an extends
	// base or an anchor other services share.
	if own := p.Project.LocateIn(loc.File, m.Path...); own.Node != loc.Node || transform.IsAliased(loc.File.Source(), loc.Node) {
		return nil
	}
	b := newFixBuilder(p, loc.File)
	name := sharedOf(p).volumes.get(s.Name + "-" + lastSegment(m.Target))
	switch loc.Node.Kind {
	case yaml.ScalarNode:
		b.add(transform.ReplaceScalar(b.src, loc.Node, quoteLike(loc.Node, name+":"+loc.Node.Value)))
	case yaml.MappingNode:
		b.add(transform.AddMappingEntry(b.src, loc.Node, "source", name))
	default:
		return nil
	}
	declareVolumes(p, b, []string{name})
	b.notes = append(b.notes, migrationNote(p.Project, s, name, knowledge.DataPath{Path: m.Target, VolumeDeclared: true}))
	return b.build(externalTitle(p, "name the anonymous volume on "+m.Target+" "+name), lint.Safe)
}

// quoteLike writes text with the quoting style of the scalar it replaces.
func quoteLike(n *yaml.Node, text string) string {
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
	case n.Style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(text, "'", "''") + "'"
	}
	return text
}

// migrationNote tells how to keep data that already exists: the next `up`
// mounts the new, empty named volume. It names the project's files, and
// its commands run that project (composeCommand).
func migrationNote(p *project.Project, s *service, volume string, dp knowledge.DataPath) string {
	target := p.Name + "_" + volume
	dc := composeCommand(p)
	if dp.VolumeDeclared {
		// The volume is created by hand with compose's own labels, so
		// compose adopts it, and filled before compose recreates anything.
		return fmt.Sprintf(`%s, service %q: if it has run before, its data in %s sits in an anonymous volume; copy it into %s before the next "up":
  old=$(docker inspect --format '{{range .Mounts}}{{if eq .Destination "%s"}}{{.Name}}{{end}}{{end}}' $(%s ps -aq %s))
  %s stop %s
  docker volume create --label com.docker.compose.project=%s --label com.docker.compose.volume=%s %s
  docker run --rm -v "$old":/from -v %s:/to alpine cp -a /from/. /to/
  %s up -d %s`, projectFiles(p), s.Name, dp.Path, target, dp.Path, dc, s.Name, dc, s.Name, p.Name, volume, target, target, dc, s.Name)
	}
	return fmt.Sprintf(`%s, service %q: if it has run before, its data in %s is in the container's writable layer; copy it out before the next "up" recreates the container:
  %s cp %s:%s ./%s-backup
  then, after "%s up -d %s": %s cp ./%s-backup/. %s:%s`, projectFiles(p), s.Name, dp.Path, dc, s.Name, dp.Path, volume, dc, s.Name, dc, volume, s.Name, dp.Path)
}
