package fixer

import (
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules/project"
)

// pendingIgnored reports whether a line that a fix of this run appends to
// a .gitignore (held in the overlay, not yet on disk, where git cannot see
// it) ignores abs: the fixes write "/<path>", "/<dir>/" or a bare name.
// Later passes and the lint after a fix then agree with what git will
// say once the lines are written.
func pendingIgnored(abs string, overlay map[string][]byte) bool {
	for path, content := range overlay {
		if filepath.Base(path) != ".gitignore" {
			continue
		}
		rel, err := filepath.Rel(filepath.Dir(path), abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		want := "/" + project.GitignorePattern(rel)
		base := project.GitignorePattern(filepath.Base(abs))
		for _, line := range strings.Split(string(content), "\n") {
			line = strings.TrimRight(line, "\r")
			switch {
			case line == "" || line[0] == '#' || line[0] == '!':
			case line == want, strings.HasSuffix(line, "/") && strings.HasPrefix(want, line), line == base:
				return true
			}
		}
	}
	return false
}
