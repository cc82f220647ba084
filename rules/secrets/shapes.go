package secrets

import (
	"strings"
)

// isBoolish: yes/no/true/false/on/off/0/1, any case.
func isBoolish(t string) bool {
	switch len(t) {
	case 1:
		return t == "0" || t == "1"
	case 2:
		return strings.EqualFold(t, "no") || strings.EqualFold(t, "on")
	case 3:
		return strings.EqualFold(t, "yes") || strings.EqualFold(t, "off")
	case 4:
		return strings.EqualFold(t, "true")
	case 5:
		return strings.EqualFold(t, "false")
	}
	return false
}

// isSentinel: values that switch a feature off instead of holding a secret
// (NEO4J_AUTH=none; mailcow `API_KEY=${API_KEY:-invalid}` keeps the API off).
func isSentinel(t string) bool {
	return strings.EqualFold(t, "none") || strings.EqualFold(t, "null") ||
		strings.EqualFold(t, "nil") || strings.EqualFold(t, "invalid") || t == "~"
}

// isPlaceholder: redacted or templated documentation values, which are not
// secrets: `<your-password>`, `{{ .Values.password }}`, `******`, `xxxx`.
// Deliberately NOT placeholders: `example`, `changeme`, `secret`,
// `your_password_here`... Those are literal (weak) credentials a container
// really gets when the file is used as written.
func isPlaceholder(t string) bool {
	if len(t) >= 2 && t[0] == '<' && t[len(t)-1] == '>' {
		return true
	}
	if len(t) >= 4 && strings.HasPrefix(t, "{{") && strings.HasSuffix(t, "}}") {
		return true
	}
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c != '*' && c != 'x' && c != 'X' {
			return false
		}
	}
	return true
}

// isPath: absolute, relative, home and Windows paths, and relative paths
// into a directory that end in a key, certificate or config file name
// (`certs/elastic.key.pem`, `config/jwt/private.pem`; not `neo4j/password`).
func isPath(t string) bool {
	if t == "" {
		return false
	}
	switch {
	case t[0] == '/',
		strings.HasPrefix(t, "./"), strings.HasPrefix(t, "../"), strings.HasPrefix(t, "~/"),
		strings.HasPrefix(t, `.\`), strings.HasPrefix(t, `..\`), strings.HasPrefix(t, `\\`):
		return true
	case len(t) >= 3 && isAlpha(t[0]) && t[1] == ':' && (t[2] == '\\' || t[2] == '/'):
		return true
	}
	return isDirFilePath(t)
}

// isDirFilePath: dir/.../file.ext with a non-empty directory part, no
// spaces, no URL, and a key, certificate or config file name at the end.
func isDirFilePath(t string) bool {
	k := strings.LastIndexByte(t, '/')
	if k <= 0 || strings.ContainsAny(t, " \t:\\") || strings.Contains(t, "//") {
		return false
	}
	return isFileName(t[k+1:])
}

// isFileName: a bare file name with a key, certificate or config extension
// (`server.key`, `tls.pem`, `creds.json`).
func isFileName(t string) bool {
	dot := strings.LastIndexByte(t, '.')
	if dot <= 0 || dot == len(t)-1 || strings.ContainsAny(t, " \t/\\:") {
		return false
	}
	switch strings.ToLower(t[dot+1:]) {
	case "pem", "key", "crt", "cer", "cert", "der", "p12", "pfx", "jks", "json", "txt",
		"conf", "cfg", "ini", "yaml", "yml", "env", "keystore", "truststore", "gpg",
		"asc", "pub", "csr", "kdbx", "secret":
		return true
	}
	return false
}

func isDigits(t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

// isDuration: `15m`, `1h30m`, `100ms`, `7d`, `2w`, `1y`, `30 s`.
func isDuration(t string) bool {
	i := 0
	groups := 0
	for i < len(t) {
		j := i
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j == i {
			return false
		}
		if j < len(t) && t[j] == ' ' {
			j++
		}
		k := j
		for k < len(t) && isAlpha(t[k]) {
			k++
		}
		switch strings.ToLower(t[j:k]) {
		case "ns", "us", "µs", "ms", "s", "sec", "secs", "m", "min", "mins", "h", "hr", "hrs",
			"d", "day", "days", "w", "wk", "weeks", "y", "yr", "years", "seconds", "minutes", "hours":
		default:
			return false
		}
		groups++
		i = k
	}
	return groups > 0
}

// userPassShape: `user/password` or `user:password` (NEO4J_AUTH).
func userPassShape(t string) bool {
	if strings.Contains(t, "://") || strings.ContainsAny(t, " \t") {
		return false
	}
	k := strings.IndexAny(t, "/:")
	return k > 0 && k < len(t)-1
}
