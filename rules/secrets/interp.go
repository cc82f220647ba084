package secrets

import "strings"

// interp is one compose interpolation expression found in a raw value:
// `${NAME}`, `${NAME:-arg}`, `${NAME-arg}`, `${NAME:?arg}`, `${NAME?arg}`,
// `${NAME:+arg}`, `${NAME+arg}` or `$NAME`.
type interp struct {
	start, end int    // byte range of the whole expression in the raw text
	name       string // the variable name
	op         byte   // 0 (no argument), '-' (default), '?' (error), '+' (alternate)
	arg        string // the raw argument text (default, error message or alternate)
}

// literalArg reports whether the expression carries literal text that ends up
// in the value: a default (`:-`, `-`) or an alternate (`:+`, `+`). An error
// message (`:?`, `?`) never reaches the container.
func (it interp) literalArg() bool { return it.op == '-' || it.op == '+' }

func isNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isNameChar(c byte) bool { return isNameStart(c) || (c >= '0' && c <= '9') }

// nextInterp finds the first interpolation expression in raw at or after
// from. `$$` is the escaped dollar and is skipped; a `$` that does not start
// a valid expression (compose would reject the file) is treated as literal
// text.
func nextInterp(raw string, from int) (interp, bool) {
	for i := from; i < len(raw); i++ {
		if raw[i] != '$' {
			// Jump to the next '$' quickly.
			j := strings.IndexByte(raw[i:], '$')
			if j < 0 {
				return interp{}, false
			}
			i += j
		}
		if i+1 >= len(raw) {
			return interp{}, false
		}
		switch c := raw[i+1]; {
		case c == '$':
			i++ // escaped dollar
		case c == '{':
			if it, ok := parseBraced(raw, i); ok {
				return it, true
			}
		case isNameStart(c):
			j := i + 2
			for j < len(raw) && isNameChar(raw[j]) {
				j++
			}
			return interp{start: i, end: j, name: raw[i+1 : j]}, true
		}
	}
	return interp{}, false
}

// parseBraced parses `${...}` starting at raw[i] == '$'.
func parseBraced(raw string, i int) (interp, bool) {
	j := i + 2
	if j >= len(raw) || !isNameStart(raw[j]) {
		return interp{}, false
	}
	for j < len(raw) && isNameChar(raw[j]) {
		j++
	}
	it := interp{start: i, name: raw[i+2 : j]}
	if j >= len(raw) {
		return interp{}, false
	}
	if raw[j] == '}' {
		it.end = j + 1
		return it, true
	}
	if raw[j] == ':' {
		j++
		if j >= len(raw) {
			return interp{}, false
		}
	}
	switch raw[j] {
	case '-', '?', '+':
		it.op = raw[j]
	default:
		return interp{}, false
	}
	argStart := j + 1
	depth := 1
	for k := argStart; k < len(raw); k++ {
		switch raw[k] {
		case '$':
			if k+1 < len(raw) && (raw[k+1] == '$' || raw[k+1] == '{') {
				if raw[k+1] == '{' {
					depth++
				}
				k++
			}
		case '}':
			depth--
			if depth == 0 {
				it.arg = raw[argStart:k]
				it.end = k + 1
				return it, true
			}
		}
	}
	return interp{}, false
}

// bracedEnd returns the end of the `${...}` block of raw that contains
// position k, scanning blocks from position from, or -1 when k is outside
// every block.
func bracedEnd(raw string, from, k int) int {
	for i := from; i < k; i++ {
		if raw[i] != '$' || i+1 >= len(raw) {
			continue
		}
		switch raw[i+1] {
		case '$':
			i++
		case '{':
			if it, ok := parseBraced(raw, i); ok {
				if it.end > k {
					return it.end
				}
				i = it.end - 1
			}
		}
	}
	return -1
}

// whole reports whether raw is exactly one interpolation expression.
func whole(raw string) (interp, bool) {
	if len(raw) < 2 || raw[0] != '$' {
		return interp{}, false
	}
	it, ok := nextInterp(raw, 0)
	if !ok || it.start != 0 || it.end != len(raw) {
		return interp{}, false
	}
	return it, true
}

// badBrace reports a `${` that does not start a valid expression. compose
// rejects such a file ("Invalid template"), so there is no value to judge. A
// `$` followed by anything else than `$`, `{` or a name is literal text for
// compose.
//
// Expressions nested deeper than maxNest also count as bad: real files nest
// one or two levels, and a bound keeps every scan linear.
func badBrace(raw string) bool { return badBraceDepth(raw, 0) }

func badBraceDepth(raw string, depth int) bool {
	if depth > maxNest {
		return true
	}
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] != '$' {
			continue
		}
		switch raw[i+1] {
		case '$':
			i++
		case '{':
			it, ok := parseBraced(raw, i)
			if !ok || (it.arg != "" && it.literalArg() && badBraceDepth(it.arg, depth+1)) {
				return true
			}
			i = it.end - 1
		}
	}
	return false
}

// hasInterp reports whether raw contains at least one interpolation.
func hasInterp(raw string) bool {
	if strings.IndexByte(raw, '$') < 0 {
		return false
	}
	_, ok := nextInterp(raw, 0)
	return ok
}

// resolveDefault follows a chain of whole-value defaults
// (`${A:-${B:-lit}}` -> "lit") and returns the innermost argument text and
// whether it is a plain literal (no interpolation left). Names met on the way
// are appended to vars when vars is non-nil.
func resolveDefault(it interp, vars *[]string) (string, bool) {
	for depth := 0; depth <= maxNest; depth++ {
		if !it.literalArg() {
			return "", false
		}
		inner, ok := whole(it.arg)
		if !ok {
			return it.arg, !hasInterp(it.arg)
		}
		if vars != nil {
			*vars = appendVar(*vars, inner.name)
		}
		it = inner
	}
	return "", false
}

// maxNest bounds how deep nested defaults are followed.
const maxNest = 16

// collectVars appends every variable name referenced in raw, including names
// nested in defaults (up to maxNest levels).
func collectVars(raw string, vars []string) []string { return collectVarsDepth(raw, vars, 0) }

func collectVarsDepth(raw string, vars []string, depth int) []string {
	for n, from := 0, 0; n < 256; n++ {
		it, ok := nextInterp(raw, from)
		if !ok {
			break
		}
		vars = appendVar(vars, it.name)
		if it.arg != "" && it.literalArg() && depth < maxNest {
			vars = collectVarsDepth(it.arg, vars, depth+1)
		}
		from = it.end
	}
	return vars
}

func appendVar(vars []string, name string) []string {
	for _, v := range vars {
		if v == name {
			return vars
		}
	}
	return append(vars, name)
}

// Unescape turns the compose escape `$$` into `$`: the text a secret file
// must contain when a literal value moves out of the compose file.
func Unescape(raw string) string {
	if !strings.Contains(raw, "$$") {
		return raw
	}
	return strings.ReplaceAll(raw, "$$", "$")
}

// isReference reports whether s refers to a variable instead of holding a
// literal: it contains `$NAME`, `${...}` or `$(...)` (shell or compose,
// escaped or not).
func isReference(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] == '$' {
			j++
		}
		if j < len(s) && (isNameStart(s[j]) || s[j] == '{' || s[j] == '(') {
			return true
		}
		i = j - 1
	}
	return false
}
