package project

import (
	"path/filepath"
	"strings"
)

// readDockerfiles reads the Dockerfile of each service built from a local
// context, so rules can see its VOLUME lines.
func (p *projectLoader) readDockerfiles() {
	for name, svc := range p.Model.Services {
		if svc.Build == nil || svc.Build.DockerfileInline != "" {
			continue
		}
		ctxDir := svc.Build.Context
		if ctxDir == "" || strings.Contains(ctxDir, "://") || strings.HasPrefix(ctxDir, "git@") {
			continue
		}
		df := svc.Build.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		if !filepath.IsAbs(df) {
			df = filepath.Join(ctxDir, df)
		}
		if p.Dockerfiles == nil {
			p.Dockerfiles = map[string][]byte{}
		}
		b, err := readBounded(df)
		if err != nil {
			b = nil
		}
		p.Dockerfiles[name] = b
	}
}
