package project

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/paths"
	"github.com/compose-spec/compose-go/v2/transform"
	"github.com/compose-spec/compose-go/v2/types"
)

// pruneShapes are values a key may hold, with relative paths and the
// sub-keys compose-go resolves or sets defaults under, and others beside
// them.
var pruneShapes = []func() any{
	func() any { return "./rel" },
	func() any { return []any{"./rel", "default=./key"} },
	func() any { return map[string]any{"x": "./rel", "path": "./rel", "file": "./rel"} },
	func() any {
		return []any{map[string]any{"path": "./rel", "file": "./rel", "source": "./rel", "type": "bind", "target": "/t", "bind": map[string]any{}}}
	},
	func() any {
		return map[string]any{"x": map[string]any{"path": "./rel", "file": "./rel", "source": "./rel", "device": "./rel",
			"driver_opts": map[string]any{"device": "./rel", "o": "bind", "type": "none"}}}
	},
	func() any {
		return map[string]any{
			"context": "./rel", "dockerfile": "./D", "args": map[string]any{"A": "./rel"},
			"additional_contexts": map[string]any{"a": "./rel"}, "ssh": []any{"default=./rel"},
			"watch":      []any{map[string]any{"path": "./rel", "action": "sync", "target": "/x", "ignore": []any{"./rel"}}},
			"env_file":   []any{map[string]any{"path": "./rel", "required": true}},
			"volumes":    []any{map[string]any{"type": "bind", "source": "./rel", "target": "/x", "bind": map[string]any{}}},
			"label_file": []any{"./rel"},
			"resources":  map[string]any{"reservations": map[string]any{"devices": []any{map[string]any{"capabilities": []any{"gpu"}}}}},
			"labels":     map[string]any{"l": "./rel"},
		}
	},
	func() any {
		return []any{map[string]any{
			"env_file": []any{map[string]any{"path": "./rel"}}, "label_file": []any{"./rel"},
			"volumes": []any{map[string]any{"type": "bind", "source": "./rel", "target": "/x"}},
			"target":  80, "published": "8080", "source": "s", "capabilities": []any{"gpu"},
		}}
	},
}

// TestPrunedWalksSameAsWhole guards the pruned views of prune.go against
// a compose-go upgrade: under every key of a service, a job and the top
// level, whatever shape it holds, resolving paths and setting defaults on
// the pruned view leaves the model as compose-go's walk of the whole
// model does.
func TestPrunedWalksSameAsWhole(t *testing.T) {
	type walk struct {
		name        string
		whole, ours func(map[string]any) error
	}
	walks := []walk{
		{"paths",
			func(d map[string]any) error { return paths.ResolveRelativePaths(d, "/base", nil) },
			func(d map[string]any) error { return resolvePaths(d, "/base") }},
		{"defaults",
			func(d map[string]any) error { _, err := transform.SetDefaultValues(d); return err },
			setDefaults},
	}
	var wraps []func(v any) map[string]any
	serviceKeys := yamlKeys(reflect.TypeFor[types.ServiceConfig]())
	for _, key := range serviceKeys {
		for _, kind := range []string{"services", "jobs"} {
			wraps = append(wraps, func(v any) map[string]any {
				return map[string]any{kind: map[string]any{"s": map[string]any{key: v, "image": "x"}}}
			})
		}
	}
	for _, key := range yamlKeys(reflect.TypeFor[types.Project]()) {
		wraps = append(wraps, func(v any) map[string]any { return map[string]any{key: v} })
		wraps = append(wraps, func(v any) map[string]any { return map[string]any{key: map[string]any{"x": v}} })
	}
	changed := map[string]int{}
	for _, w := range walks {
		for i, wrap := range wraps {
			for j, shape := range pruneShapes {
				whole, ours := wrap(shape()), wrap(shape())
				werr, oerr := noPanic(w.whole, whole), noPanic(w.ours, ours)
				if (werr == nil) != (oerr == nil) {
					t.Errorf("%s, wrap %d, shape %d: errors %v and %v", w.name, i, j, werr, oerr)
				}
				if werr != nil {
					continue // the load ends there: what a walk left half done is dropped
				}
				if !reflect.DeepEqual(whole, ours) {
					t.Errorf("%s, wrap %d, shape %d: the pruned walk leaves\n%v\nthe whole walk\n%v", w.name, i, j, ours, whole)
				}
				if !reflect.DeepEqual(whole, wrap(shape())) {
					changed[w.name]++
				}
			}
		}
	}
	// The check can fail: both walks change something.
	for _, w := range walks {
		if changed[w.name] == 0 {
			t.Errorf("%s changed nothing in any shape: the comparison proves nothing", w.name)
		}
	}
}

// noPanic runs walk, a panic (compose-go's walkers assert the shapes its
// schema has checked) being an error.
func noPanic(walk func(map[string]any) error, d map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return walk(d)
}
