package lint

// Meta rules are reported by the suppression step, not by a check: they
// are in the catalogue so they can be documented, configured and listed
// in SARIF like any other rule.

// IgnoreWithoutReason reports suppression comments without a reason.
var IgnoreWithoutReason = &Rule{
	ID:       "ignore-without-reason",
	Title:    "suppression comment without a reason",
	Severity: Warning,
	Fix:      NoFix,
	Meta:     true,
	Doc: Doc{
		What: "Finds `# composure:ignore` and `# composure:ignore-file` comments that do not say why, after ` -- `.",
		Why: "A suppressed finding is a decision someone made about data or a secret. Without the reason, the " +
			"next reader cannot tell a deliberate exception from a forgotten shortcut.",
		Bad: `services:
  db:
    image: postgres:16
    container_name: db # composure:ignore fixed-container-name
`,
		Good: `services:
  db:
    image: postgres:16
    container_name: db # composure:ignore fixed-container-name -- the backup job addresses it by name
`,
	},
	Check: func(*Pass) {},
}

// UnusedIgnore reports suppression comments that suppress nothing.
var UnusedIgnore = &Rule{
	ID:       "unused-ignore",
	Title:    "suppression comment that suppresses nothing",
	Severity: Warning,
	Fix:      NoFix,
	Meta:     true,
	Doc: Doc{
		What: "Finds `# composure:ignore` comments that suppress no finding (the problem was fixed, or the rule " +
			"id is misspelled or unknown), each rule id of a comment naming several that silences nothing there, " +
			"and ignore comments that name no rule.",
		Why: "A stale suppression hides the next real problem on that line. A misspelled rule id silences nothing " +
			"while looking like it does.",
		Bad: `services:
  db:
    image: postgres:16
    # composure:ignore fixed-container-name -- legacy name
    hostname: db
`,
		Good: `services:
  db:
    image: postgres:16
    hostname: db
`,
	},
	Check: func(*Pass) {},
}

// isMeta reports whether a rule id is one of the directives' own rules.
func isMeta(id string) bool {
	return id == IgnoreWithoutReason.ID || id == UnusedIgnore.ID
}
