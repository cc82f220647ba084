package knowledge

import (
	"encoding/json"
	"strings"
)

// Dockerfile is what composure reads from a service's Dockerfile (build:).
type Dockerfile struct {
	// Base is the final stage's base image, followed through earlier stage
	// names (`FROM postgres:16 AS db` … `FROM db` gives "postgres:16"), with
	// the ARGs declared before the first FROM substituted (their default, or
	// the build arg compose passes). A reference still holding `$` names an
	// ARG without a value. Look it up to learn what the built image inherits.
	Base string
	// Volumes are the final stage's VOLUME paths (inherited from an earlier
	// stage it is built FROM), in order, without duplicates. ${VAR} and $VAR
	// references are left as written.
	Volumes []string
	// Env is the final stage's ENV (inherited through stage names), with
	// the stage's ARGs and earlier ENVs substituted where they have values.
	// The base image's own environment is not in it.
	Env map[string]string
	// User is the final stage's last USER ("" when the stage sets none: the
	// base image's user applies).
	User string
}

// ParseDockerfileVolumes returns the VOLUME paths of a Dockerfile's final
// stage: JSON form `VOLUME ["/a", "/b"]` and plain form `VOLUME /a /b`,
// instructions in any case, `\` line continuations (or the `# escape=`
// directive's character), comments. A FROM starts a new stage.
func ParseDockerfileVolumes(dockerfile []byte) []string {
	return ParseDockerfile(dockerfile).Volumes
}

// ParseDockerfile reads the final stage's base image, VOLUME paths, ENV and
// USER, with ARGs at their defaults.
func ParseDockerfile(dockerfile []byte) Dockerfile {
	return ParseDockerfileArgs(dockerfile, nil)
}

// ParseDockerfileArgs is ParseDockerfile with build args (compose
// `build.args`): a declared ARG takes the build arg's value over its
// default, as `docker build --build-arg` does.
func ParseDockerfileArgs(dockerfile []byte, buildArgs map[string]string) Dockerfile {
	type stage struct {
		name string
		df   Dockerfile
		args map[string]string // ARGs declared in the stage, with values
	}
	var (
		stages  []stage
		cur     stage
		global  = map[string]string{} // ARGs before the first FROM
		inStage bool
	)
	arg := func(decl string) (string, string, bool) {
		name, def, hasDef := strings.Cut(decl, "=")
		if v, ok := buildArgs[name]; ok {
			return name, v, true
		}
		return name, unquote(def), hasDef
	}
	forEachInstruction(string(dockerfile), func(instr, args string) {
		switch {
		case strings.EqualFold(instr, "FROM"):
			if inStage {
				stages = append(stages, cur)
			}
			inStage = true
			image, name := parseFrom(args)
			image = expandVars(image, global)
			cur = stage{name: name, df: Dockerfile{Base: image}}
			for i := len(stages) - 1; i >= 0; i-- {
				if stages[i].name != "" && strings.EqualFold(stages[i].name, image) {
					prev := stages[i].df
					cur.df.Base = prev.Base
					cur.df.Volumes = append([]string(nil), prev.Volumes...)
					cur.df.User = prev.User
					if prev.Env != nil {
						cur.df.Env = make(map[string]string, len(prev.Env))
						for k, v := range prev.Env {
							cur.df.Env[k] = v
						}
					}
					break
				}
			}
		case strings.EqualFold(instr, "ARG"):
			for _, decl := range strings.Fields(args) {
				name, value, ok := arg(decl)
				if !inStage {
					if ok {
						global[name] = value
					}
					continue
				}
				if !ok {
					// `ARG NAME` in a stage brings a global ARG into it.
					value, ok = global[name]
				}
				if ok {
					if cur.args == nil {
						cur.args = map[string]string{}
					}
					cur.args[name] = value
				}
			}
		case !inStage:
			// only ARG and parser directives come before the first FROM
		case strings.EqualFold(instr, "ENV"):
			for _, kv := range envArgs(args) {
				if cur.df.Env == nil {
					cur.df.Env = map[string]string{}
				}
				cur.df.Env[kv[0]] = expandVars(kv[1], cur.args, cur.df.Env)
			}
		case strings.EqualFold(instr, "USER"):
			cur.df.User = expandVars(unquote(strings.TrimSpace(args)), cur.args, cur.df.Env)
		case strings.EqualFold(instr, "VOLUME"):
			for _, v := range volumeArgs(args) {
				if !containsString(cur.df.Volumes, v) {
					cur.df.Volumes = append(cur.df.Volumes, v)
				}
			}
		}
	})
	return cur.df
}

// envArgs parses ENV's arguments: `K=V K2="v 2"` pairs, or the legacy
// `K value with spaces` form.
func envArgs(args string) [][2]string {
	fields := splitQuoted(args)
	if len(fields) == 0 {
		return nil
	}
	if !strings.Contains(fields[0], "=") {
		k, v, _ := strings.Cut(strings.TrimSpace(args), " ")
		return [][2]string{{k, strings.TrimSpace(v)}}
	}
	var out [][2]string
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if ok && k != "" {
			out = append(out, [2]string{k, unquote(v)})
		}
	}
	return out
}

// splitQuoted splits on blanks outside double or single quotes.
func splitQuoted(s string) []string {
	var (
		out    []string
		cur    strings.Builder
		quote  byte
		inWord bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
			cur.WriteByte(c)
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// unquote removes the quotes around a value and inside `K="v"`.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// expandVars substitutes $NAME, ${NAME}, ${NAME:-default} and
// ${NAME:+alternative} from the first of scopes that has NAME; a
// reference to a name none has stays as written (its value is unknown
// here), except that a default applies.
func expandVars(s string, scopes ...map[string]string) string {
	if strings.IndexByte(s, '$') < 0 {
		return s
	}
	lookup := func(name string) (string, bool) {
		for _, sc := range scopes {
			if v, ok := sc[name]; ok {
				return v, true
			}
		}
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			expr := s[i+2 : i+end]
			name, op, word := expr, "", ""
			if k := strings.IndexAny(expr, ":-+"); k >= 0 {
				name = expr[:k]
				rest := expr[k:]
				op = rest[:1]
				if op == ":" && len(rest) > 1 {
					op, rest = rest[:2], rest[1:]
				}
				word = rest[1:]
			}
			v, ok := lookup(name)
			switch op {
			case ":-", "-":
				if !ok || (op == ":-" && v == "") {
					v, ok = word, true
				}
			case ":+", "+":
				if ok && (op == "+" || v != "") {
					v = word
				} else {
					v, ok = "", true
				}
			}
			if ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+end+1])
			}
			i += end
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if v, ok := lookup(s[i+1 : j]); ok && j > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:j])
		}
		i = j - 1
	}
	return b.String()
}

// parseFrom reads `[--platform=…] image [AS name]`.
func parseFrom(args string) (image, name string) {
	f := strings.Fields(args)
	for len(f) > 0 && strings.HasPrefix(f[0], "--") {
		f = f[1:]
	}
	if len(f) == 0 {
		return "", ""
	}
	image = f[0]
	if len(f) >= 3 && strings.EqualFold(f[1], "AS") {
		name = f[2]
	}
	return image, name
}

// volumeArgs parses VOLUME's arguments: a JSON array of strings, or else
// whitespace-separated paths (surrounding quotes removed).
func volumeArgs(args string) []string {
	args = strings.TrimSpace(args)
	var out []string
	if strings.HasPrefix(args, "[") {
		var list []string
		if json.Unmarshal([]byte(args), &list) == nil {
			for _, v := range list {
				if v = strings.TrimSpace(v); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	for _, v := range strings.Fields(args) {
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// forEachInstruction calls fn for each instruction of a Dockerfile, with
// continuation lines joined and comment lines dropped.
func forEachInstruction(src string, fn func(instr, args string)) {
	escape := byte('\\')
	lines := strings.Split(src, "\n")
	// Parser directives: `# key=value` lines at the very top.
	start := 0
	for ; start < len(lines); start++ {
		l := strings.TrimSpace(strings.TrimSuffix(lines[start], "\r"))
		if !strings.HasPrefix(l, "#") {
			break
		}
		key, value, ok := strings.Cut(strings.TrimSpace(l[1:]), "=")
		if !ok || strings.ContainsAny(strings.TrimSpace(key), " \t") {
			break
		}
		if strings.EqualFold(strings.TrimSpace(key), "escape") {
			if v := strings.TrimSpace(value); len(v) == 1 && (v[0] == '`' || v[0] == '\\') {
				escape = v[0]
			}
		}
	}
	var logical strings.Builder
	inLine := false
	for _, line := range lines[start:] {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' {
			continue // blank and comment lines, also inside a continuation
		}
		if !inLine {
			line = strings.TrimLeft(line, " \t")
		}
		body := strings.TrimRight(line, " \t")
		if body != "" && body[len(body)-1] == escape {
			logical.WriteString(body[:len(body)-1])
			inLine = true
			continue
		}
		logical.WriteString(line)
		emit(logical.String(), fn)
		logical.Reset()
		inLine = false
	}
	if inLine {
		emit(logical.String(), fn)
	}
}

func emit(line string, fn func(instr, args string)) {
	line = strings.TrimSpace(line)
	instr, args := line, ""
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		instr, args = line[:i], line[i+1:]
	}
	fn(instr, strings.TrimSpace(args))
}
