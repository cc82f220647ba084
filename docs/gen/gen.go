// Package gen renders docs/rules.md, docs/rules/<id>.md,
// docs/composure.schema.json and the README's rule table from the rule
// values. `go generate ./...` writes them through main.go (a program built
// only by name); the package tests fail when they are stale.
package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/config"
	"github.com/composure-dev/composure/rules/lint"
)

// Write renders every page under dir (the docs folder) and the README
// table beside it.
func Write(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o755); err != nil {
		return err
	}
	for name, text := range Pages() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	readme := filepath.Join(dir, "..", "README.md")
	old, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	updated, err := WithRuleTable(string(old))
	if err != nil {
		return err
	}
	return os.WriteFile(readme, []byte(updated), 0o644)
}

// The README's rule table sits between these two lines.
const (
	tableStart = "<!-- rules table: generated from the rule values by `go generate ./...`; do not edit -->\n"
	tableEnd   = "<!-- end of rules table -->\n"
)

// WithRuleTable returns the README text with its rule table rendered
// anew from the catalogue.
func WithRuleTable(readme string) (string, error) {
	i := strings.Index(readme, tableStart)
	j := strings.Index(readme, tableEnd)
	if i < 0 || j < i {
		return "", fmt.Errorf("README.md has no rule table markers (%q ... %q)", strings.TrimSpace(tableStart), strings.TrimSpace(tableEnd))
	}
	var b strings.Builder
	b.WriteString("| rule | default | fix | finds |\n|---|---|---|---|\n")
	for _, r := range rules.All() {
		def := r.Severity.String()
		if r.DefaultOff {
			def += ", off"
		}
		fmt.Fprintf(&b, "| [`%s`](docs/rules/%s.md) | %s | %s | %s |\n", r.ID, r.ID, def, r.Fix, r.Title)
	}
	return readme[:i+len(tableStart)] + b.String() + readme[j:], nil
}

// Pages maps each generated file, relative to docs/, to its content.
func Pages() map[string]string {
	pages := map[string]string{
		"rules.md": lint.CatalogueMarkdown(rules.All()),
		// The JSON Schema of .composure.yaml, which `composure init` names.
		strings.TrimPrefix(config.SchemaFile, "docs/"): string(config.Schema(rules.All())),
	}
	for _, r := range rules.All() {
		pages[filepath.Join("rules", r.ID+".md")] = r.Markdown()
	}
	return pages
}
