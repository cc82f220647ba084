// Command gen writes docs/rules.md and docs/rules/<id>.md from the rule
// values. Run it with `go generate ./...`.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// write renders every page under dir (the docs folder).
func write(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o755); err != nil {
		return err
	}
	for name, text := range Pages() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Pages maps each generated file, relative to docs/, to its content.
func Pages() map[string]string {
	pages := map[string]string{"rules.md": lint.CatalogueMarkdown(rules.All())}
	for _, r := range rules.All() {
		pages[filepath.Join("rules", r.ID+".md")] = r.Markdown()
	}
	return pages
}
