package lint

// Doc is a rule's structured documentation. One value renders
// `composure explain`, docs/rules/<id>.md and SARIF's rule list.
type Doc struct {
	// What the rule finds, one paragraph.
	What string
	// Why it matters for state or secrets.
	Why string
	// Bad and Good are complete compose snippets.
	Bad  string
	Good string
	// BadFiles and GoodFiles are the other files of the examples (an env
	// file, a secret file, a .gitignore) by path relative to compose.yaml:
	// the pages show them, and the doc test writes them beside
	// compose.yaml in a fresh git repository.
	BadFiles, GoodFiles map[string]string
	// FixText explains the fix and its safety ("" when there is none).
	FixText string
	// References are URLs or short citations.
	References []string
}

// Rule is a declarative check: an id that is never reused, a title, a
// default severity, its documentation and a check function that reads the
// loaded project and reports findings. Rules never write files.
type Rule struct {
	ID       string
	Title    string
	Severity Severity
	// DefaultOff rules run only when enabled in config or with --enable.
	DefaultOff bool
	// Fix is the applicability of the fixes the rule attaches (NoFix:
	// none). A rule whose fixes differ by case declares the most
	// automatic one; the fixture tests hold it to that.
	Fix Applicability
	// Meta rules report on composure's own comments; their findings come
	// from the suppression step, and Check does nothing.
	Meta bool
	// Options are the typed settings the config file may give the rule.
	Options []Option
	Doc     Doc
	Check   func(*Pass)
}
