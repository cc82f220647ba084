//go:build knowledgegen

package knowledge

// With the knowledgegen tag the generator builds this package without
// images_gen.go, which may be stale to the point of not compiling. Default
// is then empty, and only the generator uses this build.
var builtinImages []Image
