package secrets

import (
	"path"
	"strings"
)

// CommandHit is one literal secret found in command, entrypoint or
// healthcheck arguments.
type CommandHit struct {
	// Index is the position in the args slice of the argument holding the
	// secret (for a shell string, the string's index).
	Index int
	// Reason is lower-case and never contains the secret.
	Reason string
	// Secret is the literal secret as written: the flag's value
	// (`--requirepass x` -> "x", `-pSECRET` -> "SECRET"), the whole token for
	// URLs and provider tokens. NEVER print it.
	Secret string
}

// Command reasons, indexed by family.
var cmdReasons = [...]string{
	famKey:         "the argument is a literal key",
	famCookie:      "the argument is a literal erlang cookie",
	famSalt:        "the argument is a literal salt",
	famCredentials: "the argument is a literal credential",
	famToken:       "the argument is a literal token",
	famSecret:      "the argument is a literal secret",
	famAccessKey:   "the argument is a literal access key",
	famAPIKey:      "the argument is a literal api key",
	famPrivateKey:  "the argument is a literal private key",
	famPwd:         "the argument is a literal password",
	famPassword:    "the argument is a literal password",
	famHint:        "",
}

const reasonUserPass = "the argument is a literal user:password pair"

// mysqlClients take the password glued to -p (`-pSECRET`); a bare `-p`
// prompts.
func mysqlClient(prog string) bool {
	switch prog {
	case "mysql", "mysqladmin", "mariadb", "mariadb-admin", "mysqldump", "mariadb-dump",
		"mysqlcheck", "mariadb-check", "mysqlimport", "mariadb-import", "mysqlshow",
		"mariadb-show", "mysqlpump", "mysqlsh":
		return true
	}
	return false
}

func redisClient(prog string) bool {
	switch prog {
	case "redis-cli", "valkey-cli", "keydb-cli":
		return true
	}
	return false
}

// transparent words keep the scanner at the start of a command.
func transparent(t string) bool {
	switch t {
	case "exec", "env", "sudo", "nohup", "command", "time", "then", "do", "else",
		"if", "while", "until", "!", "{", "(", "CMD", "CMD-SHELL", "NONE":
		return true
	}
	return false
}

// pending value kinds
const (
	pendNone = iota
	pendFlag
	pendUserPass
)

type cmdScan struct {
	hits     []CommandHit
	idx      int
	prog     string
	segStart bool
	pend     int
	pendFam  family
}

// CheckCommand finds literal secrets in command / entrypoint / healthcheck
// arguments: `--requirepass x`, `--requirepass=x`, `--masterauth x`,
// `--password x`, `--pass x`, `--api-key=x`, `--token x` and other flags
// whose name is secret-like (`--cluster-password`, `--client-secret`),
// `-pSECRET` for mysql/mariadb clients, `-a x` for redis-cli, `-u user:pass`
// for curl/wget, `Bearer x`, `PGPASSWORD=x`-style assignments, URLs with
// user:password@ and provider tokens anywhere. Values that are ${VAR} / $VAR
// / $(...) references are not hits (but a literal `${VAR:-default}` is).
//
// args may be exec form (split) or one shell string; arguments containing
// whitespace are split with simple quote handling, except when they are the
// value of a secret flag (exec form `["--requirepass", "two words"]`).
func CheckCommand(args []string) []CommandHit {
	c := cmdScan{segStart: true}
	for i, a := range args {
		c.idx = i
		c.token(a, 0)
	}
	return c.hits
}

func hasSpace(s string) bool { return strings.ContainsAny(s, " \t\n\r") }

func (c *cmdScan) token(t string, depth int) {
	if c.pend != pendNone {
		if len(t) > 1 && t[0] == '-' {
			c.pend = pendNone // another flag: the previous one took no value
		} else {
			kind, fam := c.pend, c.pendFam
			c.pend = pendNone
			c.value(kind, fam, t)
			return
		}
	}
	if hasSpace(t) {
		if depth >= 8 {
			return
		}
		prog, seg := c.prog, c.segStart
		c.segStart = true
		for _, sub := range splitShell(t) {
			c.token(sub, depth+1)
		}
		c.prog, c.segStart, c.pend = prog, seg, pendNone
		return
	}
	switch t {
	case "&&", "||", ";", "|", "&", ";;":
		c.segStart, c.prog = true, ""
		return
	case "":
		return
	}
	if isAssignment(t) {
		k := strings.IndexByte(t, '=')
		c.assignment(t[:k], t[k+1:])
		return
	}
	if c.segStart {
		c.segStart = false
		if transparent(t) {
			c.segStart = true
			return
		}
		if t[0] != '-' {
			c.prog = path.Base(t)
			c.formats(t)
			return
		}
		// Arguments to the image's entrypoint: `command: ["--requirepass", "x"]`.
		c.prog = ""
	}
	switch {
	case strings.HasPrefix(t, "--"):
		name, val, eq := strings.Cut(t[2:], "=")
		if c.curlLike() && name == "user" {
			if eq {
				c.value(pendUserPass, famNone, val)
			} else {
				c.pend = pendUserPass
			}
			return
		}
		if fam := flagFamily(name); fam != famNone {
			if eq {
				c.value(pendFlag, fam, val)
			} else {
				c.pend, c.pendFam = pendFlag, fam
			}
			return
		}
		if eq {
			c.formats(val)
		}
		return
	case len(t) > 3 && strings.HasPrefix(t, "-D") && isAssignment(t[2:]):
		// Java system property: -Dspring.datasource.password=x
		k := strings.IndexByte(t, '=')
		c.assignment(t[2:k], t[k+1:])
		return
	case mysqlClient(c.prog) && len(t) > 2 && strings.HasPrefix(t, "-p"):
		c.value(pendFlag, famPassword, t[2:])
		return
	case redisClient(c.prog) && t == "-a":
		c.pend, c.pendFam = pendFlag, famPassword
		return
	case c.curlLike() && t == "-u":
		c.pend = pendUserPass
		return
	case strings.EqualFold(t, "bearer"):
		c.pend, c.pendFam = pendFlag, famToken
		return
	}
	c.formats(t)
}

func (c *cmdScan) curlLike() bool { return c.prog == "curl" || c.prog == "wget" }

func (c *cmdScan) add(reason, secret string) {
	for _, h := range c.hits {
		if h.Index == c.idx && h.Secret == secret {
			return
		}
	}
	c.hits = append(c.hits, CommandHit{Index: c.idx, Reason: reason, Secret: secret})
}

// formats reports provider tokens, private keys, JWTs and URL credentials.
func (c *cmdScan) formats(t string) {
	if len(t) < 8 {
		return
	}
	if reason, ok := CheckValue(t); ok {
		c.add(reason, t)
	}
}

func (c *cmdScan) value(kind int, fam family, v string) {
	secret := v
	if it, ok := whole(v); ok {
		// --requirepass ${REDIS_PASSWORD:-devpass}: the default is literal.
		def, lit := resolveDefault(it, nil)
		if !lit || def == "" {
			return
		}
		v, secret = Unescape(def), def
	}
	if isReference(v) {
		return
	}
	if reason, ok := CheckValue(secret); ok {
		c.add(reason, secret)
		return
	}
	switch kind {
	case pendUserPass:
		user, pass, ok := strings.Cut(v, ":")
		if ok && user != "" && pass != "" && !isPlaceholder(pass) {
			c.add(reasonUserPass, secret)
		}
	case pendFlag:
		if nameValueOK(fam, true, v) {
			c.add(cmdReasons[fam], secret)
		}
	}
}

func (c *cmdScan) assignment(name, val string) {
	v := Check(name, val, Hints{})
	if v.Kind == Literal || v.Kind == DefaultLiteral {
		c.add(v.Reason, v.Secret)
	}
}

// isAssignment: NAME=value with a shell variable name (PGPASSWORD=x).
func isAssignment(t string) bool {
	k := strings.IndexByte(t, '=')
	if k <= 0 || !isNameStart(t[0]) {
		return false
	}
	for i := 1; i < k; i++ {
		if !isNameChar(t[i]) && t[i] != '.' {
			return false
		}
	}
	return true
}

// flagFamily classifies a long flag name (without the dashes).
func flagFamily(name string) family {
	lname := strings.ToLower(name)
	switch lname {
	case "key", "auth":
		return famNone // too generic: `--key file`, mongod's boolean `--auth`
	case "masterauth":
		return famPassword // redis replica password
	}
	var buf [maxTokens]string
	toks := tokenize(lname, &buf)
	if len(toks) == 0 || toks[0] == "no" {
		return famNone // --no-password
	}
	f, _ := classify(toks)
	if f == famAuth {
		return famNone
	}
	return f
}

// splitShell splits a shell-like string on whitespace with simple quoting:
// '...' is literal, "..." honours \" \\ \$ \`, a backslash escapes the next
// character, and an unquoted ';' is a separate token.
func splitShell(s string) []string {
	var out []string
	var cur strings.Builder
	inTok := false
	flush := func() {
		if inTok {
			out = append(out, cur.String())
			cur.Reset()
			inTok = false
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\'':
			inTok = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				cur.WriteString(s[i+1:])
				i = len(s)
			} else {
				cur.WriteString(s[i+1 : i+1+j])
				i += j + 1
			}
		case '"':
			inTok = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
		case '\\':
			inTok = true
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
		case ' ', '\t', '\n', '\r':
			flush()
		case ';':
			flush()
			out = append(out, ";")
		default:
			inTok = true
			cur.WriteByte(c)
		}
	}
	flush()
	return out
}
