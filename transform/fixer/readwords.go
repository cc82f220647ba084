package fixer

// Why this file exists: in a folder of many compose files sharing one
// .env, a sibling is judged before and after every pass whose fixes
// change a .env variable its text names. A key given a value
// (`POSTGRES_PASSWORD: example`, `- PASSWORD=x`) names the variable but
// does not read it; judging each sibling that only sets its own
// POSTGRES_PASSWORD cost two strict loads for nothing. readWords leaves
// those out, and keeps every other place a name may be read from the
// interpolation environment.

// readWords adds to out every name in b that a variable read from the
// interpolation environment could have: every word but those plainly
// given a value there, that is a word not after `$` and followed
// (after a closing quote) by `=`, or by `: ` and a value on the same
// line. A null value (`NAME:`, `NAME: ~`, `NAME: null`, `NAME: # x`, an
// anchor, tag or alias that may be null, `{NAME: }`) reads the variable
// and is kept, as are words in any other place.
func readWords(b []byte, out map[string]bool) {
	isStart := func(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
	for i := 0; i < len(b); {
		if !isStart(b[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(b) && (isStart(b[j]) || b[j] >= '0' && b[j] <= '9') {
			j++
		}
		if interpolated(b, i) || !givenValue(b, j) {
			out[string(b[i:j])] = true
		}
		i = j
	}
}

// interpolated reports whether the word at i follows `$` or `${`.
func interpolated(b []byte, i int) bool {
	return i > 0 && b[i-1] == '$' || i > 1 && b[i-1] == '{' && b[i-2] == '$'
}

// givenValue reports whether the word ending at j is set to a value on
// its line: `NAME=...` or `NAME: value`.
func givenValue(b []byte, j int) bool {
	if j < len(b) && (b[j] == '"' || b[j] == '\'') {
		j++
	}
	if j >= len(b) {
		return false
	}
	if b[j] == '=' {
		return true
	}
	if b[j] != ':' || j+1 >= len(b) || b[j+1] != ' ' && b[j+1] != '\t' {
		return false
	}
	k := j + 1
	for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
		k++
	}
	if k >= len(b) {
		return false
	}
	switch b[k] {
	case '\r', '\n', '#', ',', '}', ']', '~', '&', '!', '*':
		return false
	}
	end := k
	for end < len(b) && b[end] != ' ' && b[end] != '\t' && b[end] != '\r' && b[end] != '\n' && b[end] != ',' && b[end] != '}' && b[end] != '#' {
		end++
	}
	switch string(b[k:end]) {
	case "null", "Null", "NULL":
		return false
	}
	return true
}
