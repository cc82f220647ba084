package lint

import (
	"fmt"
	"sort"
	"strings"
)

// Markdown renders a rule's documentation page: the same text feeds
// `composure explain`, docs/rules/<id>.md and SARIF's rule help.
func (r *Rule) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.ID)
	fmt.Fprintf(&b, "%s.\n\n", upperFirst(r.Title))
	def := r.Severity.String()
	if r.DefaultOff {
		def += " (off by default)"
	}
	fmt.Fprintf(&b, "- Default severity: **%s**\n- Fix: **%s**\n\n", def, r.Fix)
	section(&b, "What it finds", r.Doc.What)
	section(&b, "Why it matters", r.Doc.Why)
	fmt.Fprintf(&b, "## Bad\n\n```yaml\n%s```\n\n", r.Doc.Bad)
	exampleFiles(&b, r.Doc.BadFiles)
	fmt.Fprintf(&b, "## Good\n\n```yaml\n%s```\n\n", r.Doc.Good)
	exampleFiles(&b, r.Doc.GoodFiles)
	fix := r.Doc.FixText
	if fix == "" {
		fix = "No automatic fix."
	}
	section(&b, "Fix", fix)
	if len(r.Options) > 0 {
		b.WriteString("## Options\n\n")
		for _, o := range r.Options {
			fmt.Fprintf(&b, "- `%s` (%s): %s\n", o.Name, o.Kind, o.Doc)
		}
		b.WriteString("\n")
	}
	if len(r.Doc.References) > 0 {
		b.WriteString("## References\n\n")
		for _, ref := range r.Doc.References {
			fmt.Fprintf(&b, "- %s\n", ref)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// exampleFiles shows the other files of an example, by name.
func exampleFiles(b *strings.Builder, files map[string]string) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(b, "`%s`:\n\n```\n%s```\n\n", n, files[n])
	}
}

func section(b *strings.Builder, title, text string) {
	if text == "" {
		return
	}
	fmt.Fprintf(b, "## %s\n\n%s\n\n", title, text)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// CatalogueMarkdown renders docs/rules.md: one table row per rule of
// the catalogue rs.
func CatalogueMarkdown(rs []*Rule) string {
	var b strings.Builder
	b.WriteString("# Rules\n\nGenerated from the rule values by `go generate ./...`; do not edit.\n\n")
	b.WriteString("| id | default severity | fix | title |\n|---|---|---|---|\n")
	for _, r := range rs {
		def := r.Severity.String()
		if r.DefaultOff {
			def += " (off by default)"
		}
		fmt.Fprintf(&b, "| [`%s`](rules/%s.md) | %s | %s | %s |\n", r.ID, r.ID, def, r.Fix, r.Title)
	}
	return b.String()
}
