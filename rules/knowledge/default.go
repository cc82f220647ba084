package knowledge

import "sync"

// images.yaml is the source of truth, but decoding it with yaml cost every
// process about 4 ms on its first Default call (a pre-commit hook run is
// about 20 ms). The generator decodes and validates it with Parse ahead of
// time and writes the result as Go literals to images_gen.go, which the
// compiler lays out as static data. The tag keeps a stale images_gen.go
// that no longer compiles out of the generator's own build.
//
//go:generate go run -tags knowledgegen ./gen/main.go

var (
	defaultOnce sync.Once
	defaultK    *Knowledge
)

// Default returns the built-in knowledge, indexed on first use. The package
// tests check that it equals what Parse makes of images.yaml.
func Default() *Knowledge {
	defaultOnce.Do(func() { defaultK = indexBuiltin(builtinImages) })
	return defaultK
}

// indexBuiltin indexes entries that Parse has already validated (at
// generation time), so unlike Parse it checks nothing. It only reads the
// entries: they are static data, and the first write to each page of it
// would cost a copy-on-write page fault (together more than the rest of
// this function).
func indexBuiltin(images []Image) *Knowledge {
	names, families := 0, 0
	for i := range images {
		names += len(images[i].Images)
		families += len(images[i].Families)
	}
	k := &Knowledge{
		images:   make([]*Image, len(images)),
		index:    make(map[string]*Image, names),
		families: make([]family, 0, families),
	}
	for i := range images {
		img := &images[i]
		k.images[i] = img
		for _, name := range img.Images {
			k.index[name] = img
		}
		for _, prefix := range img.Families {
			k.families = append(k.families, family{prefix, img})
		}
	}
	return k
}
