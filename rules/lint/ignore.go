package lint

import (
	"errors"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"strings"
)

// Suppressed is a finding that a comment or the config silenced. It is
// not reported, but SARIF keeps it with the reason as justification.
type Suppressed struct {
	Finding Finding
	// Kind is SARIF's: InSource for comments, External for config.
	Kind          string
	Justification string
}

// Suppression kinds, as SARIF names them.
const (
	InSource = "inSource"
	External = "external"
)

// Ignore is one `ignore:` entry of the config file. Empty fields match
// everything; Reason is required by the config loader.
type Ignore struct {
	Rule    string
	Path    string // glob on the file path relative to BaseDir; ** crosses folders
	Service string
	Reason  string
	re      *regexp.Regexp
}

// NewIgnore validates an ignore entry's glob.
func NewIgnore(rule, path, service, reason string) (Ignore, error) {
	ig := Ignore{Rule: rule, Path: path, Service: service, Reason: reason}
	if path != "" {
		g, err := NewGlob(path)
		if err != nil {
			return ig, err
		}
		ig.re = g.re
	}
	return ig, nil
}

// Glob is a path glob of the config (ignore path-glob, exclude), matched
// against slash-separated paths relative to the config's folder:
// doublestar semantics (** is zero or more whole folders, * and ? stay
// within one, [...] and \ as in path.Match).
type Glob struct {
	Pattern string
	re      *regexp.Regexp
}

// NewGlob validates a glob.
func NewGlob(pattern string) (Glob, error) {
	// The glob reads as path.Match reads it ([a-z] classes, \
	// escapes), plus **: a malformed one would match nothing.
	if _, err := pathpkg.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return Glob{}, errors.New(`not a valid glob (an unclosed [ or a trailing \): write [[] for a literal [`)
	}
	re, err := regexp.Compile("^" + globToRegexp(filepath.ToSlash(pattern)) + "$")
	if err != nil {
		return Glob{}, err
	}
	return Glob{Pattern: pattern, re: re}, nil
}

// Match reports whether rel (relative to the config's folder, either
// separator) matches.
func (g Glob) Match(rel string) bool {
	return g.re != nil && g.re.MatchString(filepath.ToSlash(rel))
}

// globToRegexp turns a path glob into a regexp: ** matches across
// folders, * and ? within one, [...] and \ as in path.Match.
func globToRegexp(g string) string {
	var b strings.Builder
	for i := 0; i < len(g); i++ {
		switch c := g[i]; {
		case c == '*' && i+1 < len(g) && g[i+1] == '*':
			i++
			if i+1 < len(g) && g[i+1] == '/' {
				// "**/" is zero or more whole folders (doublestar): it
				// never matches part of a name, so **/compose.yaml does
				// not match mycompose.yaml.
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '\\' && i+1 < len(g):
			i++
			b.WriteString(regexp.QuoteMeta(string(g[i])))
		case c == '[':
			i = globClass(&b, g, i)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// globClass writes the class g[i:] starts ([a-z], [^0-9], [\]]) as a
// regexp class that, like path.Match's, never matches a slash when it is
// negated, and returns the offset of its closing ]. The glob is valid
// (NewIgnore checked it with path.Match).
func globClass(b *strings.Builder, g string, i int) int {
	i++
	b.WriteByte('[')
	if i < len(g) && g[i] == '^' {
		b.WriteString("^/")
		i++
	}
	for ; i < len(g) && g[i] != ']'; i++ {
		c := g[i]
		if c == '\\' && i+1 < len(g) {
			i++
			c = g[i]
		} else if c == '-' {
			b.WriteByte('-')
			continue
		}
		if strings.IndexByte(`\[]^-`, c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte(']')
	return i
}

func (ig Ignore) matches(f Finding, base string) bool {
	if ig.Rule != "" && ig.Rule != f.Rule || ig.Service != "" && ig.Service != f.Service {
		return false
	}
	if ig.re == nil {
		return true
	}
	p := f.Pos.File
	if abs, err := filepath.Abs(p); err == nil && base != "" {
		if rel, err := filepath.Rel(base, abs); err == nil {
			p = rel
		}
	}
	return ig.re.MatchString(filepath.ToSlash(p))
}

// applyIgnores moves the findings a config ignore matches to
// suppressed, with the entry's reason.
func applyIgnores(fs []Finding, ignores []Ignore, base string) (kept []Finding, suppressed []Suppressed) {
	if len(ignores) == 0 {
		return fs, nil
	}
	for _, f := range fs {
		var by *Ignore
		for i := range ignores {
			if ignores[i].matches(f, base) {
				by = &ignores[i]
				break
			}
		}
		if by == nil {
			kept = append(kept, f)
			continue
		}
		suppressed = append(suppressed, Suppressed{Finding: f, Kind: External, Justification: by.Reason})
	}
	return kept, suppressed
}
