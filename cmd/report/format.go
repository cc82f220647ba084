package report

import (
	"fmt"
	"strings"
)

// formats lists every output format in the order --help shows them. Adding a
// format is one file with its constructor plus one line here.
var formats = []struct {
	name string
	new  func(Options) Reporter
}{
	{"text", NewText},
	{"json", newJSON},
	{"sarif", NewSARIF},
	{"github", func(Options) Reporter { return NewGitHub() }},
	{"junit", newJUnit},
	{"checkstyle", func(Options) Reporter { return NewCheckstyle() }},
	{"codeclimate", func(Options) Reporter { return NewCodeClimate() }},
}

// Formats returns the names New accepts, in display order.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// New returns the reporter for a --format value.
func New(format string, opts Options) (Reporter, error) {
	for _, f := range formats {
		if f.name == format {
			return f.new(opts), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (valid formats: %s)", format, strings.Join(Formats(), ", "))
}
