package rules

import "strings"

// dotted renders a model path for findings: keys joined with dots, a
// segment that itself contains a dot or a slash (a volume target) in
// brackets, e.g. services.db.volumes[/var/lib/mysql].
func dotted(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		switch {
		case strings.ContainsAny(s, "./[] "):
			b.WriteString("[" + s + "]")
		case i > 0:
			b.WriteString("." + s)
		default:
			b.WriteString(s)
		}
	}
	return b.String()
}
