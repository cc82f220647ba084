package project

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// usedByLevels bounds how many folders up usedBy looks for the project
// that includes or extends a named file.
const usedByLevels = 4

// usedBy finds the project that pulls path in through include or extends,
// looking in path's folder and its parents (up to the repository's root,
// at most usedByLevels up): a pre-commit run that names only an extends
// source or an included file lints it as the project that runs it sees
// it, not as a fragment.
func usedBy(path string) (Spec, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Spec{}, false
	}
	base := []byte(filepath.Base(abs))
	dir := filepath.Dir(abs)
	for range usedByLevels {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			cand := filepath.Join(dir, e.Name())
			if e.IsDir() || !IsComposeName(e.Name()) || cand == abs {
				continue
			}
			content, rerr := ReadBounded(cand)
			if rerr != nil || !bytes.Contains(content, base) {
				continue
			}
			f, perr := parseFile(cand, cand, content)
			if perr != nil || !slices.Contains(referencedFiles(f), abs) {
				continue
			}
			return specForFile(RelToWorkingDir(cand)), true
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return Spec{}, false
}

// referencedFiles are the absolute paths f's include entries and its
// services' extends name.
func referencedFiles(f *File) []string {
	root := f.Root()
	if root == nil {
		return nil
	}
	var out []string
	add := func(n *yaml.Node) {
		if n == nil || n.Value == "" {
			return
		}
		p := n.Value
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(f.Abs), p)
		}
		out = append(out, filepath.Clean(p))
	}
	for _, n := range includeNodes(root) {
		add(n)
	}
	if services := mapValue(root, "services"); services != nil && services.Kind == yaml.MappingNode {
		for _, val := range transform.Pairs(services) {
			if ext := resolve(mapValue(resolve(val), "extends")); ext != nil && ext.Kind == yaml.MappingNode {
				add(resolve(mapValue(ext, "file")))
			}
		}
	}
	return out
}
