package rules

import (
	"errors"
	"path"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// The rules' options are typed structs, one per family of rules that
// shares them, read from the values the config loader checked against the
// declared kinds and item checks: a rule never sees an untyped value.

// secretOptions are the settings of the secret rules.
type secretOptions struct {
	// AllowNames are variable names (globs, any case) never reported.
	AllowNames []string
}

// allowNames is the option the secret rules share.
var allowNames = lint.Option{Name: "allow-names", Kind: lint.StringList,
	Doc: "variable names (globs, any case) never reported, e.g. the fake credentials of a test stack",
	CheckItem: func(glob string) error {
		if _, err := path.Match(glob, ""); err != nil {
			return errors.New("is not a valid glob (an unclosed [ or a trailing \\): write it as path.Match reads it, [[] for a literal [")
		}
		return nil
	}}

func secretOptionsOf(p *lint.Pass) secretOptions {
	return secretOptions{AllowNames: p.Options.StringList(allowNames.Name)}
}

// allowedName reports whether the allow-names option exempts a variable.
func allowedName(p *lint.Pass, name string) bool {
	for _, g := range secretOptionsOf(p).AllowNames {
		if ok, _ := path.Match(strings.ToUpper(g), strings.ToUpper(name)); ok {
			return true
		}
	}
	return false
}

// stateOptions are the settings of the rules that find data to lose.
type stateOptions struct {
	// ThrowawayDirs replace defaultThrowawayDirs when given (not_state.go).
	ThrowawayDirs []string
}

func stateOptionsOf(p *lint.Pass) stateOptions {
	return stateOptions{ThrowawayDirs: p.Options.StringList(throwawayDirsOption.Name)}
}
