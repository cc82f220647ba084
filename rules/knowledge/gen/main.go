//go:build ignore

// Command gen writes images_gen.go, the Go form of images.yaml, in the
// current directory. `go generate ./rules/knowledge` runs it there, with the
// build tag that leaves the old images_gen.go out of the build:
//
//	go run -tags knowledgegen ./gen/main.go
//
// It is built only by name, never by ./..., so `go install ./...`
// (pre-commit's golang hook) builds composure alone.
package main

import (
	"fmt"
	"os"

	"github.com/composure-dev/composure/rules/knowledge/internal/imagegen"
)

func main() {
	if err := run("images.yaml", "images_gen.go"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	code, err := imagegen.Generate(src)
	if err != nil {
		return err
	}
	return os.WriteFile(out, code, 0o644)
}
