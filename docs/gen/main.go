//go:build ignore

// Command gen writes docs/rules.md, docs/rules/<id>.md and the README's
// rule table from the rule values. Run it with `go generate ./...`
// (docs/doc.go: go run ./gen/main.go .). It is built only by name, never
// by ./..., so `go install ./...` (pre-commit's golang hook) builds
// composure alone.
package main

import (
	"fmt"
	"os"

	"github.com/composure-dev/composure/docs/gen"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := gen.Write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
