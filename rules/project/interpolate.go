package project

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/tree"
)

// Why this file exists: compose-go's interpolation looks up the type cast
// of every string in the model by matching its path against each cast
// pattern, and tree.Path.Matches splits both paths into new slices on
// every call: the most expensive part of interpolating, for the few
// strings that are cast at all. interpolateData is the same
// interpolation (compose-go's interpolation.Interpolate, whose code this
// follows step for step) with each pattern split once and each path kept
// as its parts on the way down; a string without a `$` is left as it is
// without a call to substitute, which could change nothing in it.
//
// loadFast hands compose-go the files interpolated so, with its own
// interpolation off, when nothing else reads the options (no include, no
// extends from a file, the project name already settled). A value that
// fails to interpolate sends the load back to compose-go's own
// interpolation, which says why in its words. TestFastLoadSameModelCorpus
// and TestInterpolateDataSameAsComposeGo compare the two.

// castTable is a cast mapping with its patterns split.
type castTable struct {
	parts [][]string
	casts []interpolation.Cast
}

func newCastTable(m map[tree.Path]interpolation.Cast) castTable {
	var t castTable
	for pattern, cast := range m {
		t.parts = append(t.parts, pattern.Parts())
		t.casts = append(t.casts, cast)
	}
	return t
}

// lookup is interpolation.Options.getCasterForPath on a split path.
func (t castTable) lookup(parts []string) (interpolation.Cast, bool) {
	for i, pattern := range t.parts {
		if len(pattern) != len(parts) {
			continue
		}
		match := true
		for j, part := range parts {
			if pattern[j] != tree.PathMatchAll && pattern[j] != part {
				match = false
				break
			}
		}
		if match {
			return t.casts[i], true
		}
	}
	return nil, false
}

type interpolator struct {
	lookup     interpolation.LookupValue
	substitute func(string, template.Mapping) (string, error)
	casts      castTable
}

// interpolateData is interpolation.Interpolate(config, opts) for the
// options i was made from, when that succeeds; ok is false when it would
// fail (compose-go's own interpolation then says how), or when config
// holds a mapping with keys that are not strings (which compose-go
// refuses before it interpolates).
//
// The path of a value is kept as the parts tree.Path.Parts would give:
// compose-go starts it with tree.NewPath(key), so a top-level key's dots
// split it; a deeper key is one part (compose-go's Next hides its dots),
// which no pattern part equals unless it is "*", with its dots or
// without; a list item is "[]".
func (i interpolator) interpolateData(config map[string]any) (map[string]any, bool) {
	out := make(map[string]any, len(config))
	parts := make([]string, 0, 16)
	for key, elem := range config {
		if key == "" {
			return nil, false // compose-go's paths below it start afresh
		}
		v, ok := i.value(elem, append(parts[:0], strings.Split(key, ".")...))
		if !ok {
			return nil, false
		}
		out[key] = v
	}
	return out, true
}

func (i interpolator) value(value any, parts []string) (any, bool) {
	switch value := value.(type) {
	case string:
		if strings.Contains(value, "$") {
			var err error
			if value, err = i.substitute(value, template.Mapping(i.lookup)); err != nil {
				return nil, false
			}
		}
		cast, ok := i.casts.lookup(parts)
		if !ok {
			return value, true
		}
		casted, err := cast(value)
		return casted, err == nil
	case map[string]any:
		out := make(map[string]any, len(value))
		for key, elem := range value {
			v, ok := i.value(elem, append(parts, key))
			if !ok {
				return nil, false
			}
			out[key] = v
		}
		return out, true
	case []any:
		out := make([]any, len(value))
		for n, elem := range value {
			v, ok := i.value(elem, append(parts, tree.PathMatchList))
			if !ok {
				return nil, false
			}
			out[n] = v
		}
		return out, true
	case map[any]any:
		return nil, false
	default:
		return value, true
	}
}
