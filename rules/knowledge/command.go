package knowledge

import "strings"

// SplitCommand turns a compose command into arguments. Elements without
// whitespace or quotes are kept as they are (an empty element stays an
// empty argument). Elements with whitespace or quotes, such as a whole
// command line (redis-server --save "" --appendonly no) or an "sh -c"
// script, are split on whitespace like a shell would for simple quoting:
// single- and double-quoted text groups and the quotes are removed, so an
// empty pair of either kind gives an empty argument; a backslash escapes the
// next character outside single quotes. No expansion is done.
func SplitCommand(command []string) []string {
	out := make([]string, 0, len(command)+4)
	for _, c := range command {
		if strings.ContainsAny(c, " \t\r\n'\"") {
			out = appendFields(out, c)
		} else {
			out = append(out, c)
		}
	}
	return out
}

func appendFields(out []string, s string) []string {
	var b strings.Builder
	inTok := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case quote == '"':
			switch {
			case c == '"':
				quote = 0
			case c == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
				i++
				b.WriteByte(s[i])
			default:
				b.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote = c
			inTok = true
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inTok = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if inTok {
				out = append(out, b.String())
				b.Reset()
				inTok = false
			}
		default:
			b.WriteByte(c)
			inTok = true
		}
	}
	if inTok {
		out = append(out, b.String())
	}
	return out
}
