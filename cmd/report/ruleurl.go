package report

// RuleURL is the page of a rule's documentation at a git ref of the
// repository: the release tag the binary was built from, or main for any
// other build (Options.DocsRef). Text, JSON and SARIF link the same page.
func RuleURL(ref, rule string) string {
	if ref == "" {
		ref = "main"
	}
	return homepage + "/blob/" + ref + "/docs/rules/" + rule + ".md"
}
