package lint

import "github.com/composure-dev/composure/rules/project"

// LegacyFormatRule is the id of the rule that reports a legacy v1 file
// and converts it: the one fix a project with such a file keeps.
const LegacyFormatRule = "legacy-compose-format"

// dropLegacyFixes removes the fixes of a project that reads a legacy v1
// file, but the conversion's: its services were linted through a view
// of the file (project.Legacy), and an edit made for the view would not
// be one for the file as written. Once the file is converted, the next
// round of `composure fix` offers them.
func dropLegacyFixes(p *project.Project, fs []Finding) {
	legacy := false
	for _, f := range p.AllFiles() {
		legacy = legacy || f.Legacy != nil
	}
	if !legacy {
		return
	}
	for i := range fs {
		if fs[i].Rule != LegacyFormatRule {
			fs[i].Fix = nil
		}
	}
}
