package project

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/tree"
	"go.yaml.in/yaml/v4"
)

// Why this file exists: compose-go's interpolation looks up a type cast
// for every string in the model by matching its path against each of ~75
// patterns (services.*.read_only, services.*.ports.[].target, ...), and
// each match splits both paths: 13% of a lint's CPU. A pattern can only
// match a path whose keys include every literal part of the pattern, so a
// project with no `cpu_count` key anywhere never needs the cpu_count
// casts. typeCasts hands compose-go only the patterns whose literal parts
// all occur as scalars in the project's files: the same casts are applied
// to the same values, at a fraction of the cost.
//
// The argument holds only while compose-go reads no YAML we did not parse
// (an include or extends file we could not resolve, a `jobs:` extends we
// do not follow): then the full mapping is kept. TestFastPathSameFindings
// compares the result with compose-go's own defaults on the whole corpus.

// typeCasts returns the subset of all that can apply to this project.
func (p *projectLoader) typeCasts(all map[tree.Path]interpolation.Cast) map[tree.Path]interpolation.Cast {
	if !p.refsComplete() {
		return all
	}
	set := castPatternsOf(all)
	seen := make([]bool, len(set.literals))
	for _, f := range p.AllFiles() {
		for _, d := range f.Docs {
			markScalars(d, set.literals, seen)
		}
	}
	out := make(map[tree.Path]interpolation.Cast)
	for _, pt := range set.patterns {
		if allSeen(pt.literals, seen) {
			out[pt.path] = all[pt.path]
		}
	}
	return out
}

// castPatterns is a cast mapping split once into its patterns' literal
// parts, numbered.
type castPatterns struct {
	patterns []castPattern
	literals map[string]int
}

type castPattern struct {
	path     tree.Path
	literals []int
}

var castCache struct {
	sync.Mutex
	of  unsafe.Pointer
	set *castPatterns
}

// castPatternsOf splits all, once per process: compose-go hands every
// load the same package-level mapping.
func castPatternsOf(all map[tree.Path]interpolation.Cast) *castPatterns {
	id := reflect.ValueOf(all).UnsafePointer()
	castCache.Lock()
	defer castCache.Unlock()
	if castCache.set != nil && castCache.of == id {
		return castCache.set
	}
	set := &castPatterns{literals: map[string]int{}}
	for path := range all {
		pt := castPattern{path: path}
		for _, part := range path.Parts() {
			if part == tree.PathMatchAll || part == tree.PathMatchList {
				continue
			}
			i, ok := set.literals[part]
			if !ok {
				i = len(set.literals)
				set.literals[part] = i
			}
			pt.literals = append(pt.literals, i)
		}
		set.patterns = append(set.patterns, pt)
	}
	castCache.of, castCache.set = id, set
	return set
}

// refsComplete reports whether every file compose-go will read is one we
// parsed: all include and extends references resolved, single documents
// (compose-go reads every document; we follow references in the first),
// and no `jobs:` (whose extends we do not follow).
func (p *projectLoader) refsComplete() bool {
	if p.refsMissing {
		return false
	}
	for _, f := range p.AllFiles() {
		if len(f.Docs) > 1 {
			return false
		}
		if mapValue(f.Root(), "jobs") != nil {
			return false
		}
	}
	return true
}

// markScalars sets seen[i] for every scalar value in the tree that is
// literal number i. Aliases are not followed: their anchor is in the tree.
func markScalars(n *yaml.Node, literals map[string]int, seen []bool) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		if i, ok := literals[n.Value]; ok {
			seen[i] = true
		}
		return
	}
	for _, c := range n.Content {
		markScalars(c, literals, seen)
	}
}

func allSeen(literals []int, seen []bool) bool {
	for _, i := range literals {
		if !seen[i] {
			return false
		}
	}
	return true
}
