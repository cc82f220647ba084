package rules

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

// FixKind says what kind of fix a rule can offer, for the catalogue.
type FixKind string

// Fix kinds as the catalogue shows them.
const (
	NoFix          FixKind = "none"
	SafeFix        FixKind = "safe"
	UnsafeFix      FixKind = "unsafe"
	DisplayOnlyFix FixKind = "display-only"
)

// Rule is a declarative check: an id that is never reused, a title, a
// default severity, its documentation and a check function that reads the
// loaded project and reports findings. Rules never write files.
type Rule struct {
	ID       string
	Title    string
	Severity Severity
	// DefaultOff rules run only when enabled in config or with --enable.
	DefaultOff bool
	Fix        FixKind
	// Meta rules report on composure's own comments; their findings come
	// from the suppression step, and Check does nothing.
	Meta bool
	// Options are the typed settings the config file may give the rule.
	Options []Option
	Doc     Doc
	Check   func(*Pass)
}

// OptionKind is the type of a rule option's value.
type OptionKind string

// Option kinds.
const (
	StringList OptionKind = "list of strings"
	Bool       OptionKind = "boolean"
)

// Option is one typed rule setting.
type Option struct {
	Name string
	Kind OptionKind
	Doc  string
}
