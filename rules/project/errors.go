package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Error is a file that could not be read or loaded, with the position of
// the problem when it is known (Line and Column are 0 otherwise).
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func describeOSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, os.ErrInvalid):
		return "invalid path"
	}
	return err.Error()
}

// yamlLine finds "line N" in yaml parser messages ("yaml: line 3: ...",
// "[3:5] ...") so load errors point at the line.
var (
	yamlLineRe   = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)
	yamlPrefixRe = regexp.MustCompile(`^(?:yaml: )?(?:line \d+(?:, column \d+)?: )?`)
)

// positionFromMessage extracts a line/column from a parser message and
// returns the message without the "yaml: line N:" prefix.
func positionFromMessage(msg string) (line, col int, rest string) {
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
	}
	rest = strings.TrimSpace(yamlPrefixRe.ReplaceAllString(msg, ""))
	if rest == "" {
		rest = msg
	}
	return line, col, rest
}

// Messages from compose-go and its dotenv parser that quote the value
// they could not interpolate. The value may be a secret (a password with
// a stray "$"), and no output may show one: the position points at it.
var (
	interpolationValueRe = regexp.MustCompile(`(?s)invalid interpolation format for (\S+?)\.?\nYou may need to escape any \$ with another \$\.\n.*`)
	invalidTemplateRe    = regexp.MustCompile(`Invalid template: "(?:[^"\\]|\\.)*"`)
)

// hideValues drops the quoted values from interpolation errors.
func hideValues(msg string) string {
	msg = interpolationValueRe.ReplaceAllString(msg, "invalid interpolation format for $1: write a literal $$ as $$$$")
	return invalidTemplateRe.ReplaceAllString(msg, "invalid interpolation format: write a literal $$ as $$$$")
}

// compose-go's decoder (mapstructure) reports a value it cannot convert
// as "decoding failed due to the following error(s):\n\n'services[a].
// mem_limit' invalid size: 'lots'": a message of several lines that
// names the attribute in its own syntax. tidyDecodeError rewrites it as
// "services.a.mem_limit: invalid size: 'lots'", one line, so that the
// model path gives the error its position.
var (
	decodeHeadRe = regexp.MustCompile(`^decoding failed due to the following error\(s\):\s*`)
	decodeItemRe = regexp.MustCompile(`^'([^']*)' (.*)$`)
	decodeIndex  = regexp.MustCompile(`\[([^\]]*)\]`)
)

func tidyDecodeError(msg string) string {
	loc := decodeHeadRe.FindStringIndex(msg)
	if loc == nil {
		return msg
	}
	rest := msg[loc[1]:]
	var out []string
	for _, line := range strings.Split(rest, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := decodeItemRe.FindStringSubmatch(line); m != nil {
			line = decodeIndex.ReplaceAllString(m[1], ".$1") + ": " + m[2]
		}
		out = append(out, line)
	}
	return strings.Join(out, "; ")
}

// topLevelShapeRe matches compose-go's error for a top-level section
// that is not a mapping (`services:` with nothing after it is null).
var topLevelShapeRe = regexp.MustCompile(`^(services|volumes|networks|secrets|configs|include) must be a (?:mapping|list)`)
