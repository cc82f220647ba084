package cmd

// colorFor decides --color: always and never are final; auto follows the
// conventions terminals and CI systems set, in this order:
//
//   - FORCE_COLOR (any non-empty value but "0" or "false") or CLICOLOR_FORCE
//     (non-empty, not "0") turn colour on even when stdout is not a
//     terminal: CI logs that render ANSI (GitHub Actions, GitLab);
//   - NO_COLOR (non-empty) turns it off;
//   - TERM=dumb turns it off (Emacs shells, editors' output panes);
//   - otherwise colour when stdout is a terminal.
func colorFor(mode string, tty bool, getenv func(string) string) (bool, bool) {
	switch mode {
	case "always":
		return true, true
	case "never":
		return false, true
	case "auto":
	default:
		return false, false
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if v := getenv("FORCE_COLOR"); v != "" && v != "0" && v != "false" {
		return true, true
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true, true
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false, true
	}
	return tty, true
}

// showSourceFor decides --show-source: auto shows source lines on a
// terminal that is not TERM=dumb; always shows them in CI logs too.
func showSourceFor(mode string, tty bool, getenv func(string) string) (bool, bool) {
	switch mode {
	case "always":
		return true, true
	case "never":
		return false, true
	case "auto", "":
		return tty && (getenv == nil || getenv("TERM") != "dumb"), true
	}
	return false, false
}
