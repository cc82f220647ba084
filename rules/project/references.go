package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/composure-dev/composure/transform"
	"go.yaml.in/yaml/v4"
)

// collectReferences parses the extends bases and included files of every
// file, recursively, so the locator can point into them. Each file is
// visited once, so include and extends cycles end (compose-go reports
// them). A file that does not exist is left to compose-go to report; one
// that exists but cannot be read or parsed within the limits (a FIFO, a
// device, a directory, too large, too deep) is an error here, before
// compose-go reads it without those checks: it would block on a FIFO and
// read /dev/zero until memory runs out.
func (p *projectLoader) collectReferences() error {
	byAbs := map[string]*File{}
	for _, f := range p.Files {
		byAbs[f.Abs] = f
	}
	var refErr error
	get := func(from *File, ref *yaml.Node) *File {
		rel := ref.Value
		path := rel
		if !filepath.IsAbs(rel) {
			path = filepath.Join(filepath.Dir(from.Path), rel)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil
		}
		if f, ok := byAbs[abs]; ok {
			return f
		}
		byAbs[abs] = nil // cycle guard and negative cache
		f, err := readFile(path)
		if err != nil {
			p.refsMissing = true
			if _, serr := os.Stat(path); serr == nil && refErr == nil {
				refErr = err
				// Without a place inside the file, point at the reference.
				if e := (*Error)(nil); errors.As(err, &e) && e.Line == 0 {
					refErr = &Error{File: from.Path, Line: ref.Line, Column: ref.Column, Msg: fmt.Sprintf("%s: %s", rel, e.Msg)}
				}
			}
			return nil
		}
		byAbs[abs] = f
		p.Extra = append(p.Extra, f)
		return f
	}
	queue := append([]*File{}, p.Files...)
	queued := map[*File]bool{}
	for _, f := range queue {
		queued[f] = true
	}
	enqueue := func(f *File) {
		if !queued[f] {
			queued[f] = true
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		root := f.Root()
		if root == nil {
			continue
		}
		for _, ref := range includeNodes(root) {
			if inc := get(f, ref); inc != nil {
				f.Includes = append(f.Includes, inc)
				enqueue(inc)
			}
		}
		services := mapValue(root, "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for key, val := range transform.Pairs(services) {
			name, svc := key.Value, resolve(val)
			ext := resolve(mapValue(svc, "extends"))
			if ext == nil {
				continue
			}
			ref := ExtendsRef{}
			switch ext.Kind {
			case yaml.ScalarNode:
				ref.Service = ext.Value
			case yaml.MappingNode:
				if s := resolve(mapValue(ext, "service")); s != nil {
					ref.Service = s.Value
				}
				if fn := resolve(mapValue(ext, "file")); fn != nil && fn.Value != "" {
					ref.File = get(f, fn)
					ref.Missing = ref.File == nil
					if ref.File != nil {
						enqueue(ref.File)
					}
				}
			}
			if f.Extends == nil {
				f.Extends = map[string]ExtendsRef{}
			}
			f.Extends[name] = ref
		}
	}
	return refErr
}

// includePaths lists the files of a top-level `include:` (short form,
// `path:` string or list).
func includePaths(root *yaml.Node) []string {
	var out []string
	for _, n := range includeNodes(root) {
		out = append(out, n.Value)
	}
	return out
}

// includeNodes is includePaths as the scalar nodes that name the files.
func includeNodes(root *yaml.Node) []*yaml.Node {
	inc := resolve(mapValue(root, "include"))
	if inc == nil || inc.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, item := range inc.Content {
		item = resolve(item)
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, item)
		case yaml.MappingNode:
			path := resolve(mapValue(item, "path"))
			if path == nil {
				continue
			}
			if path.Kind == yaml.ScalarNode {
				out = append(out, path)
			}
			for _, s := range path.Content {
				if s = resolve(s); s.Kind == yaml.ScalarNode {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
