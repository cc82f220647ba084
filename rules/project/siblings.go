package project

import (
	"os"
	"path/filepath"
	"slices"
)

// DirSpecs lists the projects docker compose can run from one directory,
// without searching below it: the groups discovery makes there (the main
// file with its override, COMPOSE_FILE, overlays, every other compose file
// on its own), plus the main file alone when an override sits beside it
// (`docker compose -f compose.yaml`, as production and CI run it). The
// fixer checks a fix against each of them: every one reads the same .env.
func DirSpecs(dir string) []Spec {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	shapes := map[string]fileShape{}
	for _, e := range entries {
		if !e.Type().IsRegular() && e.Type()&os.ModeSymlink == 0 {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if shape, ok := isComposeFile(path); ok {
			shapes[path] = shape
			names = append(names, e.Name())
		}
	}
	specs := specsInDir(dir, names, shapes)
	for _, s := range specs {
		if len(s.Files) == 2 && !s.Overlay && !s.ComposeFile && slices.Contains(overrideNames, filepath.Base(s.Files[1])) {
			specs = append(specs, Spec{Files: s.Files[:1:1], Dir: dir})
			break
		}
	}
	return specs
}
