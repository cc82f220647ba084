package project

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
)

// compose-go's dotenv parser quotes the text it refuses: the whole line
// for a bad character in a name (`DB/PASSWORD=Zx9…`), the value for an
// unterminated quote. Either may hold a secret, and no output may show
// one, so these messages are rewritten from their parts: the key when it
// is one (followed by `=`, `:` or a blank), never what comes after it.
var (
	dotenvBadCharRe    = regexp.MustCompile(`(?s)^line (\d+): unexpected character "((?:[^"\\]|\\.)*)" in variable name "(.*)"$`)
	dotenvUnterminated = regexp.MustCompile(`(?s)^line (\d+): unterminated quoted value (.*)$`)
	dotenvKeySpaceRe   = regexp.MustCompile(`^line (\d+): key cannot contain a space$`)
)

// envFileError turns an error of compose-go's dotenv parser on content
// into an Error on file with the line and column of the problem and a
// message that quotes no value.
func envFileError(file string, content []byte, msg string) *Error {
	src := strings.TrimPrefix(string(content), utf8BOM)
	bom := len(content) - len(src)
	at := func(off int) (int, int) {
		f := &File{Content: content}
		return f.LineCol(off + bom)
	}
	e := &Error{File: file}
	switch {
	case dotenvBadCharRe.MatchString(msg):
		m := dotenvBadCharRe.FindStringSubmatch(msg)
		n, _ := strconv.Atoi(m[1])
		char, _ := strconv.Unquote(`"` + m[2] + `"`)
		text := m[3] // the line from the key on
		key, _, hasSep := strings.Cut(text, "=")
		if k := strings.IndexAny(key, ": \t"); k >= 0 {
			key, hasSep = key[:k], true
		}
		e.Line = n
		if off := lineOffset(src, n); off >= 0 {
			if k := strings.Index(src[off:], text); k >= 0 && !strings.Contains(src[off:off+k], "\n") {
				if c := strings.Index(text, char); c >= 0 {
					e.Line, e.Column = at(off + k + c)
				}
			}
		}
		switch {
		case hasSep && strings.Contains(key, char):
			e.Msg = "unexpected character " + strconv.Quote(char) + " in variable name " + strconv.Quote(key) + ": a name has letters, digits and _ . - [ ] only"
		case hasSep:
			e.Msg = "variable name " + strconv.Quote(key) + " is followed by text, not by = or a colon: write KEY=value"
		default:
			e.Msg = "unexpected character " + strconv.Quote(char) + " in a line with no =: write KEY=value"
		}
	case dotenvUnterminated.MatchString(msg):
		first := dotenvUnterminated.FindStringSubmatch(msg)[2] // the value's first line, quote included
		e.Msg = "unterminated quoted value: close the quote or escape it with \\"
		// compose-go counts the lines to the end of the file, where it
		// stopped looking; the problem is the quote that opened the value.
		for k := 0; ; {
			i := strings.Index(src[k:], first)
			if i < 0 || first == "" {
				break
			}
			if _, _, ok := quotedValue(src, k+i); !ok {
				e.Line, e.Column = at(k + i)
				break
			}
			k += i + 1
		}
	case dotenvKeySpaceRe.MatchString(msg):
		n, _ := strconv.Atoi(dotenvKeySpaceRe.FindStringSubmatch(msg)[1])
		e.Line, e.Msg = n, "a variable name cannot contain a space: write KEY=value"
		if off := lineOffset(src, n); off >= 0 {
			i := off
			for i < len(src) && isEnvSpace(src[i]) {
				i++
			}
			e.Line, e.Column = at(i)
		}
	default:
		e.Msg = hideValues(msg)
		if e.Msg != msg || strings.Contains(msg, "interpolation") {
			// An interpolation error names no line: the first entry whose
			// value compose-go cannot interpolate is the one.
			for _, en := range parseDotEnv(content) {
				if en.Verbatim {
					continue
				}
				if _, err := template.Substitute(en.Value, func(string) (string, bool) { return "", true }); err != nil {
					e.Line, e.Column = at(en.KeyOffset - bom)
					break
				}
			}
		} else {
			e.Line, e.Column, e.Msg = positionFromMessage(msg)
			e.Msg = hideValues(e.Msg)
		}
	}
	e.Msg = "cannot read env file: " + e.Msg
	return e
}

// lineOffset is the offset of the start of 1-based line n of src, or -1.
func lineOffset(src string, n int) int {
	off := 0
	for l := 1; l < n; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// maskBacktick hides the text yaml quotes between backticks in "cannot
// construct !!str `Zx9Qw7E...` into ...", the error of a compose file
// that is a bare token: that token may be a secret pasted in by mistake.
var yamlQuotedRe = regexp.MustCompile("(cannot (?:construct|unmarshal) !!\\w+) `[^`]*`")

func maskYAMLQuote(msg string) string {
	return yamlQuotedRe.ReplaceAllString(msg, "$1 value")
}
