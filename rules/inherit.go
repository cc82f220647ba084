package rules

import (
	"path"
	"strings"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/project"
)

// Where a service's knowledge comes from besides the curated entry for its
// `image:`: the base image of its Dockerfile's final stage, that stage's
// VOLUME, ENV and USER, and, when images mode is on, the image's own
// config.

// know applies a knowledge entry's match for ref (the service's image, or
// the base image it is built from).
func (s *service) know(m knowledge.Match, ref string) {
	s.Match, s.Image, s.DataPaths, s.Alternatives = m, m.Image, m.DataPaths, m.MajorUnknown
	if (tagUnresolved(ref) || strings.Contains(m.Tag, "$")) && versionedPaths(m.Image) {
		// The tag came from a variable that is not set here: the version
		// is unknown, so every version's path is a candidate.
		// (Paths that hold for every version stay all required.)
		s.DataPaths, s.Alternatives = m.Image.DataPaths, len(m.Image.DataPaths) > 1
	}
	if len(s.DataPaths) == 0 {
		// minio keeps its data where `server <path>` says
		s.DataPaths = m.Image.DataPathsFromCommand(commandLine(s))
	}
	s.relocate()
	s.DataPaths = dropSecondary(s.DataPaths, s.Mounts)
}

// knowFromConfig reads ref's image config; its declared state volumes make
// the service stateful (FromImageConfig). It reports whether a config was
// read.
func (s *service) knowFromConfig(k *knowledge.Knowledge, ref string) bool {
	if strings.Contains(ref, project.PlaceholderPrefix) {
		return false // an unset variable: not a name to ask about
	}
	c, ok := k.ImageConfigs().ImageConfig(ref)
	if !ok {
		return false
	}
	s.ImageConfig = c
	if img := knowledge.FromImageConfig(ref, c); img != nil {
		s.Image, s.DataPaths, s.FromImageConfig = img, img.DataPaths, true
	}
	return true
}

// knowBuilt gives a service built from a local Dockerfile what its final
// stage inherits: the knowledge of its base image when that keeps state
// (caddy's /data for `FROM caddy:2.10.0-alpine`), then the stage's own
// VOLUME lines. The stage's ENV counts as the image's environment under
// the service's (PGDATA set in the Dockerfile moves the data).
func (s *service) knowBuilt(content []byte, k *knowledge.Knowledge) {
	if content == nil {
		return
	}
	df := knowledge.ParseDockerfileArgs(content, buildArgs(s))
	s.Dockerfile = &df
	if base := df.Base; base != "" && !strings.EqualFold(base, "scratch") {
		if m, ok := k.Lookup(base); ok {
			if m.Image.Stateful != knowledge.Stateless {
				s.know(m, base)
				s.BuiltFrom = base
			}
		} else if k.ImageConfigs() != nil && !strings.Contains(base, "$") && s.knowFromConfig(k, base) && s.Image != nil {
			s.BuiltFrom = base
		}
	}
	var vols []knowledge.DataPath
	for _, v := range df.Volumes {
		if strings.HasPrefix(v, "/") && !strings.Contains(v, "$") {
			vols = append(vols, knowledge.DataPath{Path: path.Clean(v), VolumeDeclared: true})
		}
	}
	if len(vols) == 0 {
		return
	}
	if s.Image == nil || s.FromImageConfig {
		// The Dockerfile's own VOLUME lines are the project author's word:
		// they and what the base image declares are reported as such.
		var inherited []knowledge.DataPath
		if s.FromImageConfig {
			inherited = s.DataPaths
		}
		s.Image, s.BuiltFrom, s.FromImageConfig = nil, "", false
		vols = append(vols, missingFrom(inherited, vols)...)
		s.DataPaths = vols
		s.FromDockerfile = true
		return
	}
	if !s.Alternatives {
		s.DataPaths = append(s.DataPaths[:len(s.DataPaths):len(s.DataPaths)], missingFrom(vols, s.DataPaths)...)
	}
}

// missingFrom returns the paths of add that are not in have.
func missingFrom(add, have []knowledge.DataPath) []knowledge.DataPath {
	var out []knowledge.DataPath
outer:
	for _, a := range add {
		for _, h := range have {
			if h.Path == a.Path {
				continue outer
			}
		}
		out = append(out, a)
	}
	return out
}

// buildArgs are the service's literal build args (compose `build.args`);
// an arg without a value is left to the Dockerfile's default.
func buildArgs(s *service) map[string]string {
	if s.Config.Build == nil || len(s.Config.Build.Args) == 0 {
		return nil
	}
	out := make(map[string]string, len(s.Config.Build.Args))
	for k, v := range s.Config.Build.Args {
		if v != nil {
			out[k] = *v
		}
	}
	return out
}

// dockerfileEnv is the value the service's Dockerfile gives name with ENV.
func (s *service) dockerfileEnv(name string) (string, bool) {
	if s.Dockerfile == nil {
		return "", false
	}
	v, ok := s.Dockerfile.Env[name]
	return v, ok && v != "" && !strings.Contains(v, "$")
}
