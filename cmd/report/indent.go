package report

import (
	"bytes"
	"encoding/json"
	"io"
)

// Why this file exists: json.Encoder's SetIndent re-reads the whole
// compact output through encoding/json's generic scanner, which took four
// fifths of the JSON report's time (about 3% of a corpus lint, spent after
// the parallel lint, on one core). appendIndent writes the same bytes in
// one plain pass; TestAppendIndentMatchesEncodingJSON and
// FuzzAppendIndent hold it to json.Indent's output.

// writeIndentedJSON writes v as json.Encoder does with SetIndent("",
// "  ") and SetEscapeHTML(false): indented, with a final newline.
func writeIndentedJSON(w io.Writer, v any) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	src := bytes.TrimSuffix(compact.Bytes(), []byte("\n"))
	out := appendIndent(make([]byte, 0, 2*len(src)), src, "  ")
	_, err := w.Write(append(out, '\n'))
	return err
}

// appendIndent appends src, compact valid JSON (json.Marshal's output:
// no whitespace between tokens), indented as json.Indent does with no
// prefix: each element of a non-empty object or array on a line of its
// own, one indent deeper; a space after each colon; an empty object or
// array kept as {} or []; strings copied as they are.
func appendIndent(dst, src []byte, indent string) []byte {
	depth := 0
	// opened: the last token opened an object or array; its newline
	// waits for the next token, which may close it at once.
	opened := false
	inString, escaped := false, false
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for _, c := range src {
		if inString {
			dst = append(dst, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if opened && c != '}' && c != ']' {
			opened = false
			depth++
			newline()
		}
		switch c {
		case '"':
			inString = true
			dst = append(dst, c)
		case '{', '[':
			dst = append(dst, c)
			opened = true
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if opened {
				opened = false // empty: {} or []
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
