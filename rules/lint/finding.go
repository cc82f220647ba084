package lint

import (
	"fmt"

	"github.com/composure-dev/composure/transform"
)

// Severity orders findings; the zero value is Off so an unset severity never
// reports anything by accident.
type Severity int

// Severities, lowest first.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "off"
}

// ParseSeverity reads off|info|warning|error.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "off":
		return Off, nil
	case "info":
		return Info, nil
	case "warning":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return Off, fmt.Errorf("unknown severity %q (want off, info, warning or error)", s)
}

// Position is a range in one file. Lines and columns are 1-based and columns
// count Unicode code points, not bytes. Offsets are byte offsets, used by
// fixes and SARIF.
type Position struct {
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	Offset    int
	EndOffset int
}

func (p Position) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Applicability says when a fix may be applied without asking. It is
// the one fix enum: a fix carries it, and a rule declares the one its
// fixes have (NoFix when it never attaches one), so `composure rules`,
// the docs and the JSON output say the same thing.
type Applicability int

// Applicabilities, from the most to the least automatic. Safe is the
// zero value, so a fix is safe unless its builder says otherwise.
const (
	Safe Applicability = iota
	Unsafe
	DisplayOnly
	// NoFix is for rules, never for a fix: the rule attaches no fix.
	NoFix
)

func (a Applicability) String() string {
	switch a {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	case DisplayOnly:
		return "display-only"
	}
	return "none"
}

// Fix is a verb-phrase title and the byte edits that carry it out, all in
// one compose file (Edit.File is its absolute path). Files outside the
// compose files (a secret file, a .gitignore line) are described by
// Writes and written by the fixer: rules never touch the disk.
type Fix struct {
	Title         string
	Applicability Applicability
	Edits         []transform.Edit
	Writes        []FileWrite
	// Notes are printed after fixing (migration commands, next steps).
	Notes []string
}

// WriteKind says how a FileWrite changes its file.
type WriteKind int

const (
	// CreateSecret creates a file with mode 0600 and never overwrites one
	// with different content.
	CreateSecret WriteKind = iota
	// EnsureLine appends Content as a line unless the file has it.
	EnsureLine
	// DeleteLine removes Content, the exact bytes of one whole line with
	// its line break, which must occur exactly once. It runs after the
	// compose file is written, so a failure never loses the value.
	DeleteLine
)

// FileWrite is a file a fix creates or appends to. Path is absolute.
// Secret content is never printed.
type FileWrite struct {
	Kind WriteKind
	// Root is the project directory: nothing is written outside it.
	Root    string
	Path    string
	Content string
	// Secret marks content that must not appear in any output (a secret
	// file, a .env line).
	Secret bool
}

// Finding is one problem at one place. It never carries a secret value.
type Finding struct {
	Rule     string
	Severity Severity
	Message  string
	Pos      Position
	Service  string
	// Path is the dotted path of the offending node in the merged model.
	Path string
	// Services lists every service the finding concerns when that can be
	// several (an env file they all load). Findings merged across
	// projects gain each other's; when ServicesFormat is set (a fmt
	// format with one %s), the message is rendered again from it to name
	// them all.
	Services       []string
	ServicesFormat string
	// Partial: found in a project that does not load, on what compose-go
	// could make of it (never blind); such findings carry no fix.
	Partial bool
	Fix     *Fix
	// Redact lists secret texts at this place. They are never printed: a
	// reporter that shows source lines masks them there.
	Redact []string
}
