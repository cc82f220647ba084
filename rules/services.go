package rules

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/lint"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// service is the rules' view of one service: its merged config and what
// is known about the state its image keeps.
type service struct {
	Name   string
	Config types.ServiceConfig
	// Image is the knowledge entry for the image (nil: unknown image).
	Image *knowledge.Image
	Match knowledge.Match
	// DataPaths are where the service keeps state: from the knowledge for
	// its image and tag, or from its Dockerfile's VOLUME lines.
	DataPaths []knowledge.DataPath
	// FromDockerfile is set when DataPaths come from a local Dockerfile's
	// VOLUME lines.
	FromDockerfile bool
	// BuiltFrom is the base image of the final stage of the service's
	// Dockerfile when Image is what it inherits from it.
	BuiltFrom string
	// Dockerfile is what the service's Dockerfile says (nil: no build, or
	// no Dockerfile read).
	Dockerfile *knowledge.Dockerfile
	// ImageConfig is the image config Image was made from (FromImageConfig),
	// or that was read without making the image stateful.
	ImageConfig *knowledge.ImageConfig
	// FromImageConfig: Image comes only from the image's own config (its
	// declared VOLUMEs), not from a curated or user entry.
	FromImageConfig bool
	// Alternatives: the image's version is unknown and DataPaths are the
	// candidate paths of its versions; one covered path is enough.
	Alternatives bool
	// RelocatedBy names what moved the data off the image's default path:
	// the image's variable (PGDATA) or command-line flag (--datadir).
	RelocatedBy string
	Mounts      []mount
	// RawImage is `image:` as written, before interpolation.
	RawImage string
	// OneShot: the service runs to completion and keeps no state of its
	// own (see markOneShots).
	OneShot bool

	env     []envEntry // environment, once envDone (envEntries)
	envDone bool
}

// Stateful reports whether the service keeps state the rules care about.
func (s *service) Stateful() bool {
	if s.OneShot {
		return false
	}
	if s.FromDockerfile {
		return len(s.DataPaths) > 0
	}
	return s.Image != nil && s.Image.Stateful != knowledge.Stateless && len(s.DataPaths) > 0 &&
		!s.Image.StatelessFor(s.Config.Environment) // keycloak with an external database
}

// Label names the service's image for messages: "postgres:16", or "build"
// for a service built locally without an image name.
func (s *service) Label() string {
	if strings.Contains(s.RawImage, "$") {
		// What the file says, and what its variables made of it: the
		// rules apply to the latter (postgres:${PG:-16} with PG=18 in .env).
		if img := s.Config.Image; img != "" && img != s.RawImage && !tagUnresolved(img) && !strings.Contains(img, project.PlaceholderPrefix) {
			return s.RawImage + ", here " + img
		}
		return s.RawImage
	}
	if s.Config.Image != "" {
		return s.Config.Image
	}
	return "built locally"
}

// mountKind is how something is mounted at a path.
type mountKind int

const (
	namedVolume mountKind = iota
	anonymousVolume
	bindMount
	tmpfsMount
	otherMount
)

// mount is one entry of `volumes:` or `tmpfs:`, with the model path that
// locates it.
type mount struct {
	Kind     mountKind
	Source   string
	Target   string
	ReadOnly bool
	Path     []string
}

func mountsOf(name string, svc types.ServiceConfig) []mount {
	var out []mount
	for _, v := range svc.Volumes {
		m := mount{Source: v.Source, Target: path.Clean(v.Target), ReadOnly: v.ReadOnly,
			Path: []string{"services", name, "volumes", path.Clean(v.Target)}}
		switch v.Type {
		case types.VolumeTypeVolume, "":
			m.Kind = namedVolume
			if v.Source == "" {
				m.Kind = anonymousVolume
			}
		case types.VolumeTypeBind:
			m.Kind = bindMount
		case types.VolumeTypeTmpfs:
			m.Kind = tmpfsMount
		default:
			m.Kind = otherMount
		}
		out = append(out, m)
	}
	for _, t := range svc.Tmpfs {
		target, _, _ := strings.Cut(t, ":")
		target = path.Clean(target)
		out = append(out, mount{Kind: tmpfsMount, Target: target, Path: []string{"services", name, "tmpfs", target}})
	}
	return out
}

// covering returns the mount that holds a data path: one on exactly that
// path, or, unless the image declares VOLUME there (which puts an anonymous
// volume on top of any parent mount), the deepest mount above it.
func covering(ms []mount, dp knowledge.DataPath) *mount {
	var best *mount
	for i := range ms {
		m := &ms[i]
		if m.Target == dp.Path || containsPath(dp.CoveredBy, m.Target) {
			return m
		}
		if dp.VolumeDeclared {
			continue
		}
		if dp.InVolume != "" && isAncestor(m.Target, dp.InVolume) {
			continue // the image's anonymous volume on InVolume shadows it
		}
		if isAncestor(m.Target, dp.Path) && (best == nil || len(m.Target) > len(best.Target)) {
			best = m
		}
	}
	return best
}

// versionedPaths reports an image whose data paths depend on the tag
// (a major version or a variant).
func versionedPaths(img *knowledge.Image) bool {
	for _, dp := range img.DataPaths {
		if dp.MinMajor > 0 || dp.MaxMajor > 0 || len(dp.Variants) > 0 {
			return true
		}
	}
	return false
}

func containsPath(list []string, p string) bool {
	for _, v := range list {
		if v == p {
			return true
		}
	}
	return false
}

// dropSecondary leaves out the logs and snapshots an image writes beside
// its data (zookeeper /logs, qdrant /qdrant/snapshots) once one of its
// real data paths is mounted: the service then keeps its state, and what
// is left is not worth a finding or a volume. With nothing mounted they
// stay, so a fix keeps them with the data.
func dropSecondary(paths []knowledge.DataPath, ms []mount) []knowledge.DataPath {
	mounted, secondary := false, false
	for _, dp := range paths {
		if dp.Secondary {
			secondary = true
		} else if covering(ms, dp) != nil {
			mounted = true
		}
	}
	if !mounted || !secondary {
		return paths
	}
	out := make([]knowledge.DataPath, 0, len(paths))
	for _, dp := range paths {
		if !dp.Secondary {
			out = append(out, dp)
		}
	}
	return out
}

func isAncestor(dir, p string) bool {
	return dir == "/" || strings.HasPrefix(p, dir+"/")
}

// tagUnresolved reports an image whose tag interpolated to nothing or to a
// placeholder.
func tagUnresolved(image string) bool {
	return strings.HasSuffix(image, ":") || strings.Contains(image, ":"+project.PlaceholderPrefix)
}

// relocate applies the image's data-directory variable (PGDATA,
// KAFKA_LOG_DIRS...) when the service sets it to absolute paths.
func (s *service) relocate() {
	var value, by string
	if s.Image.DataEnv != "" {
		if v := s.Config.Environment[s.Image.DataEnv]; v != nil {
			value, by = *v, s.Image.DataEnv
		} else if v, ok := s.dockerfileEnv(s.Image.DataEnv); ok {
			value, by = v, s.Image.DataEnv+" (set by its Dockerfile)"
		}
	}
	if s.Image.DataFlag != "" {
		// The server reads its flag over its environment.
		if v, ok := flagValue(knowledge.SplitCommand(commandLine(s)), s.Image.DataFlag); ok {
			value, by = v, s.Image.DataFlag
		}
	}
	if value == "" {
		return
	}
	var moved []knowledge.DataPath
	for _, p := range strings.Split(value, ",") {
		p = strings.TrimSpace(p)
		if !strings.HasPrefix(p, "/") {
			continue
		}
		dp := knowledge.DataPath{Path: path.Clean(p)}
		for _, orig := range s.DataPaths {
			if orig.Path == dp.Path {
				dp.VolumeDeclared = orig.VolumeDeclared
			}
			if orig.VolumeDeclared && isAncestor(orig.Path, dp.Path) {
				dp.InVolume = orig.Path
			}
		}
		moved = append(moved, dp)
	}
	if len(moved) > 0 {
		s.DataPaths, s.Alternatives, s.RelocatedBy = moved, false, by
	}
}

// flagValue finds `--flag=value` or `--flag value` in args; the last one
// wins, as for mysqld and mongod.
func flagValue(args []string, flag string) (string, bool) {
	var value string
	found := false
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			value, found = v, true
		} else if a == flag && i+1 < len(args) {
			value, found = args[i+1], true
		}
	}
	return value, found
}

// uncovered returns the data paths nothing is mounted on. When the paths
// are alternatives (unknown version), one covered path clears them all.
func (s *service) uncovered() []knowledge.DataPath {
	var out []knowledge.DataPath
	for _, dp := range s.DataPaths {
		if covering(s.Mounts, dp) == nil {
			out = append(out, dp)
		}
	}
	if s.Alternatives && len(out) < len(s.DataPaths) {
		return nil
	}
	return out
}

// shared is computed once per project (sharedFact) and used by every
// rule's pass.
type shared struct {
	services []*service
	// volumes and secrets hand out names for fixes.
	volumes, secrets *names
	// envVars are the .env variables and their values, with those fixes
	// of this run add; refs counts each variable's interpolations.
	envVars map[string]string
	refs    map[string]int
}

// envVar returns a new .env variable name for value: name itself when it
// is free (not in .env with another value, not interpolated anywhere in
// the project, where the secret would start to appear), else
// SERVICE_NAME; false when both are taken.
func (sh *shared) envVar(name, service, value string) (string, bool) {
	candidates := []string{name, strings.ToUpper(sanitizeEnv(service)) + "_" + name}
	for _, c := range candidates {
		if old, ok := sh.envVars[c]; (!ok && sh.refs[c] == 0) || (ok && old == value) {
			sh.envVars[c] = value
			return c, true
		}
	}
	return "", false
}

// varRef finds interpolated variable names: $NAME and ${NAME...}.
var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// countRefs counts how often each variable is interpolated in the
// project's files ($$ is an escaped dollar, not a reference).
func countRefs(p *project.Project) map[string]int {
	refs := map[string]int{}
	for _, f := range p.AllFiles() {
		text := strings.ReplaceAll(string(f.Content), "$$", "")
		for _, m := range varRef.FindAllStringSubmatch(text, -1) {
			refs[m[1]]++
		}
	}
	return refs
}

func sanitizeEnv(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

func newShared(p *project.Project, k *knowledge.Knowledge) *shared {
	names := make([]string, 0, len(p.Model.Services))
	for name := range p.Model.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	sh := &shared{volumes: newNames(keys(p.Model.Volumes)), secrets: newNames(keys(p.Model.Secrets)), envVars: map[string]string{}, refs: countRefs(p)}
	for k, v := range p.DotEnv {
		sh.envVars[k] = v
	}
	for _, name := range names {
		cfg := p.Model.Services[name]
		s := &service{Name: name, Config: cfg, Mounts: mountsOf(name, cfg)}
		if loc := p.Locate("services", name, "image"); loc.Depth == 3 && loc.Node != nil {
			s.RawImage = loc.Node.Value
		}
		if cfg.Image != "" {
			if m, ok := k.Lookup(cfg.Image); ok {
				s.know(m, cfg.Image)
			} else if k.ImageConfigs() != nil && cfg.Build == nil {
				// The name of an image built here is not asked about: the
				// registry may not have it, or may learn a private name.
				s.knowFromConfig(k, cfg.Image)
			}
		}
		if s.Image == nil && cfg.Build != nil {
			s.knowBuilt(p.Dockerfiles[name], k)
		}
		sh.services = append(sh.services, s)
	}
	markOneShots(sh.services)
	return sh
}

// sharedFact is what the rules of one project share, built by the first
// rule that asks.
var sharedFact = &lint.Fact[*shared]{Name: "shared", Build: func(p *lint.Pass) *shared { return newShared(p.Project, p.Knowledge) }}

// sharedOf returns the project's shared view and name allocators.
func sharedOf(p *lint.Pass) *shared { return sharedFact.Of(p) }

// servicesOf returns the project's services in name order.
func servicesOf(p *lint.Pass) []*service { return sharedOf(p).services }

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
