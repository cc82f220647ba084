package rules

import (
	"path"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
)

// allowNames is the option the secret rules share.
var allowNames = lint.Option{Name: "allow-names", Kind: lint.StringList,
	Doc: "variable names (globs, any case) never reported, e.g. the fake credentials of a test stack"}

// allowedName reports whether the allow-names option (globs, any case)
// exempts a variable.
func allowedName(p *lint.Pass, name string) bool {
	for _, g := range p.Options.StringList(allowNames.Name) {
		if ok, _ := path.Match(strings.ToUpper(g), strings.ToUpper(name)); ok {
			return true
		}
	}
	return false
}
