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
func (ix *usedByIndex) usedBy(path string) (Spec, bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Spec{}, false
	}
	dir := filepath.Dir(abs)
	for range usedByLevels {
		for _, e := range ix.entries(dir) {
			if e.path != abs && slices.Contains(e.refs, abs) {
				return ix.specForFile(RelToWorkingDir(e.path)), true
			}
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

// usedByIndex holds, per folder, the files its compose files include or
// extend from, read once per discovery: a pre-commit run that names
// every file of a large folder (pre-commit run --all-files) looked
// through the whole folder again for each file named.
type usedByIndex struct {
	dirs map[string][]usedByEntry
}

// usedByEntry is a compose file of a folder and the files it pulls in.
type usedByEntry struct {
	path string
	refs []string
}

// entries are dir's compose files that pull another file in, in name
// order. A file that names neither include nor extends pulls in nothing.
func (ix *usedByIndex) entries(dir string) []usedByEntry {
	if es, ok := ix.dirs[dir]; ok {
		return es
	}
	var out []usedByEntry
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || !IsComposeName(e.Name()) {
			continue
		}
		cand := filepath.Join(dir, e.Name())
		content, rerr := ReadBounded(cand)
		if rerr != nil || !bytes.Contains(content, []byte("include")) && !bytes.Contains(content, []byte("extends")) {
			continue
		}
		f, perr := parseFile(cand, cand, content)
		if perr != nil {
			continue
		}
		if refs := referencedFiles(f); len(refs) > 0 {
			out = append(out, usedByEntry{path: cand, refs: refs})
		}
	}
	if ix.dirs == nil {
		ix.dirs = map[string][]usedByEntry{}
	}
	ix.dirs[dir] = out
	return out
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
