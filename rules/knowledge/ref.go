package knowledge

import "strings"

// Image reference parsing for Lookup. No regexp and no allocation unless the
// reference has upper-case letters: Lookup runs once per service.

// defaultRegistries are the Docker Hub spellings that name the same
// repository as no registry at all.
var defaultRegistries = [...]string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"}

// splitRef splits an image reference into its normalised repository and its
// tag ("" when absent). A digest (@sha256:…) is dropped. `${…}` is skipped
// over, so "postgres:${PG_TAG:-16}" has the tag "${PG_TAG:-16}".
func splitRef(ref string) (repo, tag string) {
	ref = strings.TrimSpace(ref)
	depth, colon, end := 0, -1, len(ref)
scan:
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == '$' && i+1 < len(ref) && ref[i+1] == '{':
			depth++
			i++
		case depth > 0:
			if c == '}' {
				depth--
			}
		case c == '@':
			end = i
			break scan
		case c == '/':
			colon = -1 // a colon before the last slash is a registry port
		case c == ':' && colon < 0:
			colon = i
		}
	}
	if colon >= 0 {
		repo, tag = ref[:colon], ref[colon+1:end]
	} else {
		repo = ref[:end]
	}
	return normalizeRepo(repo), tag
}

// normalizeRepo lower-cases a repository and strips the Docker Hub registry
// prefixes and "library/".
func normalizeRepo(repo string) string {
	for i := 0; i < len(repo); i++ {
		if c := repo[i]; 'A' <= c && c <= 'Z' {
			repo = strings.ToLower(repo)
			break
		}
	}
	return stripDefaultRegistry(repo)
}

func stripDefaultRegistry(repo string) string {
	for _, p := range defaultRegistries {
		if strings.HasPrefix(repo, p) {
			repo = repo[len(p):]
			break
		}
	}
	return strings.TrimPrefix(repo, "library/")
}

// tagMajor reads the major version from a tag: "16", "16.4", "16-alpine",
// "v2.5" → 16, 16, 16, 2. With a prefix it reads the first "-"-separated
// component <prefix><digits> instead ("2.17.2-pg17" with "pg" → 17). ok is
// false for "", "latest", "alpine" and tags with an unresolved $VAR.
func tagMajor(tag, prefix string) (major int, ok bool) {
	if tag == "" || strings.IndexByte(tag, '$') >= 0 {
		return 0, false
	}
	if prefix != "" {
		for rest := tag; rest != ""; {
			comp := rest
			if i := strings.IndexByte(rest, '-'); i >= 0 {
				comp, rest = rest[:i], rest[i+1:]
			} else {
				rest = ""
			}
			if strings.HasPrefix(comp, prefix) {
				if n, digits := leadingInt(comp[len(prefix):]); digits > 0 && digits == len(comp)-len(prefix) {
					return n, true
				}
			}
		}
		return 0, false
	}
	s := tag
	if s[0] == 'v' || s[0] == 'V' {
		s = s[1:]
	}
	n, digits := leadingInt(s)
	return n, digits > 0
}

// leadingInt parses up to 9 leading decimal digits.
func leadingInt(s string) (n, digits int) {
	for digits < len(s) && digits < 9 && '0' <= s[digits] && s[digits] <= '9' {
		n = n*10 + int(s[digits]-'0')
		digits++
	}
	return n, digits
}

// hasTagComponent reports whether v is one of tag's "-"-separated
// components or, for a v with "-", a run of consecutive components,
// case-insensitively ("1.22-rootless" has "rootless",
// "2026.3.0-datacenter-search" has "datacenter-search").
func hasTagComponent(tag, v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i+len(v) <= len(tag); {
		end := i + len(v)
		if (end == len(tag) || tag[end] == '-') && strings.EqualFold(tag[i:end], v) {
			return true
		}
		j := strings.IndexByte(tag[i:], '-')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}
