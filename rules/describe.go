package rules

import (
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/knowledge"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Verdicts of ServiceFacts.
const (
	VerdictStateful    = "stateful"
	VerdictConditional = "conditional" // state only with a feature on (redis persistence, traefik ACME)
	VerdictStateless   = "stateless"
	VerdictUnknown     = "unknown"
)

// Where a fact comes from (FactSource.From).
const (
	FromCurated     = "curated entry"
	FromUserConfig  = "user config"
	FromDockerfile  = "Dockerfile"
	FromImageConfig = "image config"
	FromService     = "service"
)

// FactSource says where one fact about a service comes from.
type FactSource struct {
	Fact   string `json:"fact"`   // what it decided: "verdict", "data paths", "user"...
	From   string `json:"from"`   // one of the From* constants
	Detail string `json:"detail"` // the entry id, the Dockerfile and line, the image, what the service sets
}

// ServiceFacts is what composure knows about one service's image and why:
// what `composure images` prints.
type ServiceFacts struct {
	Service string
	Pos     lint.Position
	// Image is the service's image after interpolation ("" when it is only
	// built); Build is set for a service built from a local context (Image
	// is then the name the build produces).
	Image     string
	Build     bool
	BuiltFrom string // the final stage's base image, when read
	Verdict   string
	Condition string // for VerdictConditional: when there is state
	DataPaths []string
	// Alternatives: the version is unknown and DataPaths are the candidate
	// paths of its versions.
	Alternatives bool
	User         string // the user the image runs as, when read
	Sources      []FactSource
}

// Describe returns the facts of every service of a loaded project, in
// name order, as the rules see them.
func Describe(p *project.Project, k *knowledge.Knowledge) []ServiceFacts {
	sh := newShared(p, k)
	out := make([]ServiceFacts, 0, len(sh.services))
	for _, s := range sh.services {
		out = append(out, describe(p, k, s))
	}
	return out
}

func describe(p *project.Project, k *knowledge.Knowledge, s *service) ServiceFacts {
	f := ServiceFacts{Service: s.Name, Image: s.Config.Image, Build: s.Config.Build != nil, BuiltFrom: s.BuiltFrom, Verdict: VerdictUnknown}
	anchor := "image"
	if s.Config.Image == "" {
		anchor = "build"
	}
	f.Pos = lint.Pos(p.Locate("services", s.Name, anchor))
	for _, dp := range s.DataPaths {
		f.DataPaths = append(f.DataPaths, dp.Path)
	}
	f.Alternatives = s.Alternatives
	add := func(fact, from, detail string) {
		f.Sources = append(f.Sources, FactSource{Fact: fact, From: from, Detail: detail})
	}
	dockerfile := dockerfileName(p, s)
	switch {
	case s.FromDockerfile:
		f.Verdict = VerdictStateful
		add("data paths", FromDockerfile, dockerfile+": VOLUME "+strings.Join(s.Dockerfile.Volumes, " "))
		if s.ImageConfig != nil {
			add("data paths", FromImageConfig, s.Dockerfile.Base+" ("+s.ImageConfig.Source+")")
		}
	case s.Image != nil:
		from, detail := entrySource(s.Image)
		if s.FromImageConfig {
			from, detail = FromImageConfig, imageOf(s)+" ("+s.ImageConfig.Source+")"
		}
		if s.BuiltFrom != "" {
			add("base image", FromDockerfile, dockerfile+": FROM "+s.BuiltFrom)
		}
		f.Verdict = verdictOf(s)
		add("verdict", from, detail)
		if f.Verdict == VerdictConditional {
			f.Condition = s.Image.Condition
		}
		if len(f.DataPaths) > 0 {
			add("data paths", from, detail)
		}
		switch {
		case s.RelocatedBy != "":
			add("data paths", FromService, "moved by "+s.RelocatedBy)
		case s.Image.StatelessFor(s.Config.Environment):
			add("verdict", FromService, "its environment turns state off")
		}
		if off, _ := s.persistence(); off {
			add("verdict", FromService, "its command turns persistence off")
		}
	default:
		// Unknown, or a Dockerfile base that keeps no state.
		if s.Dockerfile != nil && s.Dockerfile.Base != "" {
			if m, ok := k.Lookup(s.Dockerfile.Base); ok && m.Image.Stateful == knowledge.Stateless {
				f.Verdict, f.BuiltFrom = VerdictStateless, s.Dockerfile.Base
				from, detail := entrySource(m.Image)
				add("base image", FromDockerfile, dockerfile+": FROM "+s.Dockerfile.Base)
				add("verdict", from, detail)
			}
		}
		if s.ImageConfig != nil && f.Verdict == VerdictUnknown {
			_, skipped := s.ImageConfig.StateVolumes()
			detail := imageOf(s) + " (" + s.ImageConfig.Source + "): no VOLUME that holds state"
			if len(skipped) > 0 {
				detail += "; not state: " + strings.Join(skipped, ", ")
			}
			add("data paths", FromImageConfig, detail)
		}
	}
	switch {
	case s.Dockerfile != nil && s.Dockerfile.User != "":
		f.User = s.Dockerfile.User
		add("user", FromDockerfile, dockerfile+": USER")
	case s.ImageConfig != nil && s.ImageConfig.User != "":
		f.User = s.ImageConfig.User
		add("user", FromImageConfig, imageOf(s)+" ("+s.ImageConfig.Source+")")
	}
	if s.Config.User != "" {
		f.User = s.Config.User
		add("user", FromService, "user:")
	}
	return f
}

// verdictOf is the service's verdict when it has a knowledge entry.
func verdictOf(s *service) string {
	switch {
	case s.Image.Stateful == knowledge.Stateless, s.Image.StatelessFor(s.Config.Environment):
		return VerdictStateless
	case s.Image.Stateful == knowledge.Conditional:
		if off, _ := s.persistence(); off {
			return VerdictStateless
		}
		if persistenceOn(s) {
			return VerdictStateful
		}
		return VerdictConditional
	}
	return VerdictStateful
}

func entrySource(img *knowledge.Image) (from, detail string) {
	if img.IsUserEntry() {
		return FromUserConfig, "stateful-images: " + strings.Join(img.Images, ", ")
	}
	return FromCurated, img.ID
}

// imageOf names the image an image config was read for.
func imageOf(s *service) string {
	if s.Config.Build != nil && s.Dockerfile != nil && s.Dockerfile.Base != "" {
		return s.Dockerfile.Base
	}
	return s.Config.Image
}

// dockerfileName is the service's Dockerfile relative to the project.
func dockerfileName(p *project.Project, s *service) string {
	b := s.Config.Build
	if b == nil {
		return ""
	}
	df := b.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	if !filepath.IsAbs(df) {
		df = filepath.Join(b.Context, df)
	}
	if rel, err := filepath.Rel(p.Dir, df); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return df
}
