package knowledge

import (
	"encoding/json"
	"strings"
)

// Dockerfile is what composure reads from a service's Dockerfile (build:).
type Dockerfile struct {
	// Base is the final stage's base image, followed through earlier stage
	// names (`FROM postgres:16 AS db` … `FROM db` gives "postgres:16"). Look
	// it up to learn what the built image inherits.
	Base string
	// Volumes are the final stage's VOLUME paths (inherited from an earlier
	// stage it is built FROM), in order, without duplicates. ${VAR} and $VAR
	// references are left as written.
	Volumes []string
}

// ParseDockerfileVolumes returns the VOLUME paths of a Dockerfile's final
// stage: JSON form `VOLUME ["/a", "/b"]` and plain form `VOLUME /a /b`,
// instructions in any case, `\` line continuations (or the `# escape=`
// directive's character), comments. A FROM starts a new stage.
func ParseDockerfileVolumes(dockerfile []byte) []string {
	return ParseDockerfile(dockerfile).Volumes
}

// ParseDockerfile reads the final stage's base image and VOLUME paths.
func ParseDockerfile(dockerfile []byte) Dockerfile {
	type stage struct {
		name string
		df   Dockerfile
	}
	var (
		stages []stage
		cur    stage
	)
	forEachInstruction(string(dockerfile), func(instr, args string) {
		switch {
		case strings.EqualFold(instr, "FROM"):
			if len(stages) > 0 || cur.df.Base != "" || len(cur.df.Volumes) > 0 {
				stages = append(stages, cur)
			}
			image, name := parseFrom(args)
			cur = stage{name: name, df: Dockerfile{Base: image}}
			for i := len(stages) - 1; i >= 0; i-- {
				if stages[i].name != "" && strings.EqualFold(stages[i].name, image) {
					cur.df.Base = stages[i].df.Base
					cur.df.Volumes = append([]string(nil), stages[i].df.Volumes...)
					break
				}
			}
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
