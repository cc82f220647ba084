package secrets

import "strings"

// family is what a name says its value is. The zero value means the name is
// not secret-like.
type family uint8

const (
	famNone        family = iota
	famKey                // generic *_KEY / *KEY
	famAuth               // *_AUTH, only with a user/password value
	famCookie             // *_ERLANG_COOKIE
	famSalt               // *_SALT
	famCredentials        // *_CREDENTIALS, CREDS
	famToken              // *TOKEN*
	famSecret             // *SECRET*
	famAccessKey          // ACCESS_KEY, ACCESSKEY
	famAPIKey             // API_KEY, APIKEY
	famPrivateKey         // PRIVATE_KEY, PRIVKEY
	famPwd                // *_PWD (whole trailing token)
	famPassword           // PASSWORD, PASSWD, PASS, *PASS, PW
	famHint               // only the image hint says so; ranked apart
)

// Name reasons, indexed by family. Lower-case, never containing a value.
var nameReasons = [...]string{
	famNone:        "",
	famKey:         "its name marks it as a key",
	famAuth:        "its name marks it as a user/password pair",
	famCookie:      "its name marks it as an erlang cookie",
	famSalt:        "its name marks it as a salt",
	famCredentials: "its name marks it as credentials",
	famToken:       "its name marks it as a token",
	famSecret:      "its name marks it as a secret",
	famAccessKey:   "its name marks it as an access key",
	famAPIKey:      "its name marks it as an api key",
	famPrivateKey:  "its name marks it as a private key",
	famPwd:         "its name marks it as a password",
	famPassword:    "its name marks it as a password",
	famHint:        "the image documents it as a secret",
}

// passwordish families keep digit-only values: `REDIS_PASSWORD=123456` is a
// committed (weak) password, while `SESSION_TOKEN_LIFETIME=3600` is a setting.
func (f family) passwordish() bool { return f == famPassword || f == famPwd || f == famHint }

// tokenish families keep digit-only values of minDigitSecret or more
// digits when the keyword ends the name: browserless `TOKEN=1234567890` is a
// committed (weak) token, while `API_TOKEN=3600` reads as a number of
// seconds. Eight digits is past ports, counts and second-based lifetimes,
// whose names rarely end in the keyword anyway (ACCESS_TOKEN_TTL).
func (f family) tokenish() bool {
	return f == famToken || f == famSecret || f == famAPIKey || f == famAccessKey
}

const minDigitSecret = 8

const maxTokens = 24

// tokenize splits a lower-cased name on '_', '-' and '.' (so `__` separators
// also work) without allocating. Names with more than maxTokens tokens keep
// their first tokens and, always, their last one.
func tokenize(lname string, buf *[maxTokens]string) []string {
	n, start := 0, 0
	for i := 0; i <= len(lname); i++ {
		if i < len(lname) && lname[i] != '_' && lname[i] != '-' && lname[i] != '.' {
			continue
		}
		if i > start {
			tok := trimDigits(lname[start:i])
			if n < maxTokens {
				buf[n] = tok
				n++
			} else {
				buf[maxTokens-1] = tok
			}
		}
		start = i + 1
	}
	return buf[:n]
}

// trimDigits drops a numeric suffix from a word of two letters or more
// (DB_PASS2, API_KEY1: a second password is still a password); short
// words keep theirs (v2, s3, k8s are names, not numbered words).
func trimDigits(tok string) string {
	end := len(tok)
	for end > 0 && tok[end-1] >= '0' && tok[end-1] <= '9' {
		end--
	}
	if end < 2 || end == len(tok) {
		return tok
	}
	return tok[:end]
}

// isFileRef reports a `*_FILE` / `*__FILE` name: a reference to a secret (or
// a plain path option), never the secret itself.
func isFileRef(toks []string) bool {
	return len(toks) > 0 && toks[len(toks)-1] == "file"
}

// nonSecretLast lists last tokens that make a name a setting about a secret
// rather than the secret: paths and file names, switches, lifetimes, policy,
// identifiers, user names and addresses (gitleaks allowlist, secrets.md §1.3),
// and the protocol, class and source settings of Kafka/Confluent clients
// (`*_CREDENTIALS_SOURCE=OAUTHBEARER`, `..._SECRET_SECURITY_PROTOCOL`,
// `..._SASL_MECHANISM`, `..._CALLBACK_HANDLER_CLASS`), registry
// `REGISTRY_AUTH_TOKEN_SERVICE` and hemmelig `SECRET_FORCED_LANGUAGE`, and
// rate limits (`API_KEY_RATE_LIMIT=60/minute`).
func nonSecretLast(t string) bool {
	switch t {
	case "path", "paths", "dir", "dirs", "directory", "filename", "filenames", "files",
		"enabled", "enable", "disabled", "disable",
		"ttl", "expiration", "expiry", "expires", "expire", "lifetime", "timeout", "interval",
		"days", "hours", "minutes", "seconds", "age",
		"issuer", "audience",
		"id", "ids", "uid", "gid",
		"user", "users", "username", "usernames", "login", "email",
		"method", "methods", "encryption", "algorithm", "algorithms", "alg",
		"hasher", "hashing", "scheme", "schemes", "strategy",
		"length", "len", "size", "bits", "rounds", "iterations", "cost", "count",
		"name", "names",
		"url", "urls", "uri", "uris", "endpoint", "endpoints",
		"host", "hosts", "hostname", "addr", "address", "port", "domain", "realm",
		"type", "types", "mode", "modes", "header", "prefix", "suffix", "format", "formats", "version",
		"location", "store", "storage", "backend", "driver", "provider", "providers",
		"source", "sources", "class", "classname", "service", "server", "servers",
		"protocol", "protocols", "mechanism", "mechanisms", "handler",
		"language", "lang", "locale", "scope", "scopes",
		"stdin", "prompt", "hint", "regex", "pattern", "strength", "complexity":
		return true
	case "limit", "limits", "rate", "ratelimit", "quota", "throttle":
		return valueFilters
	}
	return false
}

// nonSecretAnywhere lists tokens that make the whole name a flag or policy
// setting wherever they appear: ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD,
// PASSWORD_REQUIRE_UPPERCASE, REFRESH_TOKEN_TTL_DAYS, POSTGRES_HOST_AUTH_METHOD...
func nonSecretAnywhere(t string) bool {
	switch t {
	case "empty", "random", "onetime", "skip",
		"require", "requires", "required", "policy",
		"ttl", "expiration", "expiry", "expire", "expires", "lifetime",
		"issuer", "audience", "method", "methods", "length", "min", "max",
		"enable", "enabled", "disable", "disabled":
		return true
	}
	return false
}

// passSuffixExcluded are words that end in "pass" without meaning password.
func passSuffixExcluded(t string) bool {
	switch t {
	case "bypass", "compass", "encompass", "overpass", "underpass", "surpass",
		"trespass", "multipass", "askpass", "firstpass", "onepass":
		return true
	}
	return false
}

// keySuffixExcluded are words ending in "key" that are not keys, and the
// gitleaks allowlist forms written as one word (publickey, primarykey...).
func keySuffixExcluded(t string) bool {
	switch t {
	case "monkey", "donkey", "turkey", "hockey", "jockey", "whiskey", "lackey",
		"hotkey", "turnkey", "publickey", "pubkey", "primarykey", "foreignkey",
		"sortkey", "partitionkey", "routingkey", "cachekey", "idempotencykey",
		"bucketkey", "naturalkey", "schemakey", "sequencekey", "idxkey":
		return true
	}
	return false
}

// keyPrevExcluded are words that, before KEY, name an identifier or a public
// value (gitleaks allowlist `(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence)[_.-]?key`).
func keyPrevExcluded(t string) bool {
	switch t {
	case "public", "pub", "primary", "foreign", "bucket", "hot", "idx", "natural",
		"schema", "sequence", "sort", "partition", "routing", "cache", "authorized",
		"idempotency", "lookup":
		return true
	}
	return false
}

// secretTail lists last tokens that keep a secret/token/credentials keyword
// standing before them a secret: SECRET_KEY_BASE, AWS_SECRET_ACCESS_KEY,
// CREDENTIALS_OVERWRITE_DATA, API_TOKEN_VALUE.
func secretTail(t string) bool {
	switch t {
	case "key", "keys", "base", "value", "values", "val", "data", "json", "b64", "base64", "hex",
		"string", "str", "raw", "text", "content", "contents", "bytes", "blob", "pem",
		"plain", "plaintext", "phrase", "word":
		return true
	}
	return false
}

// versionToken: a numbered or versioned copy of a name (JWT_SECRET_2,
// API_TOKEN_V2) is the same kind of value.
func versionToken(t string) bool {
	if len(t) > 1 && t[0] == 'v' {
		t = t[1:]
	}
	return isDigits(t)
}

// midKeyword reports the families that count anywhere in a name but, away
// from its end, only before a secretTail: CONNECT_CONFIG_PROVIDERS_SECRET_CLASS
// and REGISTRY_AUTH_TOKEN_SERVICE name a setting, not a secret.
func midKeyword(f family) bool {
	return f == famSecret || f == famToken || f == famCredentials
}

// oauthClientKey: OAuth/OIDC "client key" is the client identifier
// (opengist OG_OIDC_CLIENT_KEY next to OG_OIDC_SECRET), like a CLIENT_ID.
// Other *_CLIENT_KEY names (TLS client private keys) stay secret-like.
func oauthClientKey(toks []string, i int) bool {
	if toks[i] != "clientkey" && (i == 0 || toks[i-1] != "client") {
		return false
	}
	for _, t := range toks[:i] {
		switch t {
		case "oidc", "oauth", "oauth2", "openid":
			return true
		}
	}
	return false
}

// redisAuth: redis client password variables, REDISCLI_AUTH (read by
// redis-cli) and REDIS_AUTH, hold the password itself, not a user/password
// pair.
func redisAuth(prev string) bool {
	switch prev {
	case "redis", "rediscli", "valkey", "valkeycli", "keydb", "keydbcli":
		return true
	}
	return false
}

// tokenFamily classifies toks[i] in the context of its neighbours.
func tokenFamily(toks []string, i int) family {
	t := toks[i]
	n := len(toks)
	last := i == n-1
	next := ""
	if i+1 < n {
		next = toks[i+1]
	}
	prev := ""
	if i > 0 {
		prev = toks[i-1]
	}
	switch {
	case strings.Contains(t, "password"), strings.Contains(t, "passwd"),
		strings.Contains(t, "passphrase"), strings.Contains(t, "contrasena"),
		strings.Contains(t, "contraseña"):
		return famPassword
	case t == "pass":
		return famPassword
	case len(t) > 4 && strings.HasSuffix(t, "pass") && !passSuffixExcluded(t):
		return famPassword // PMA_CONTROLPASS, DBPASS, KEYPASS
	case t == "pwd" && last && n > 1:
		return famPwd // MYSQL_PWD, ORACLE_PWD; never PWD/OLDPWD/HOST_PWD_DIR
	case t == "pw" && last && n > 1:
		return famPassword // DB_PW
	case (t == "private" || t == "priv") && (next == "key" || next == "keys"),
		strings.Contains(t, "privatekey"), strings.Contains(t, "privkey"):
		return famPrivateKey
	case t == "api" && (next == "key" || next == "keys"), strings.Contains(t, "apikey"):
		return famAPIKey
	case t == "access" && (next == "key" || next == "keys"), strings.Contains(t, "accesskey"):
		return famAccessKey
	case strings.Contains(t, "secret"):
		if t == "usersecretsid" { // .NET UserSecretsId (gitleaks allowlist)
			return famNone
		}
		return famSecret
	case strings.Contains(t, "token"):
		if strings.HasPrefix(t, "tokeniz") || strings.Contains(t, "csrftoken") ||
			strings.Contains(t, "publictoken") || prev == "csrf" || prev == "public" {
			return famNone
		}
		return famToken
	case t == "credentials" || t == "credential" || t == "creds":
		return famCredentials
	case t == "salt" || (len(t) > 4 && strings.HasSuffix(t, "salt")):
		return famSalt
	case (t == "cookie" && prev == "erlang") || t == "erlangcookie":
		return famCookie
	case last && (t == "key" || t == "keys"):
		if keyPrevExcluded(prev) || oauthClientKey(toks, i) {
			return famNone
		}
		return famKey
	case last && len(t) > 3 && (strings.HasSuffix(t, "key") || strings.HasSuffix(t, "keys")):
		if keySuffixExcluded(strings.TrimSuffix(t, "s")) || oauthClientKey(toks, i) {
			return famNone
		}
		return famKey // XPACK_SECURITY_ENCRYPTIONKEY, REGISTRY_STORAGE_AZURE_ACCOUNTKEY
	case last && t == "auth" && n > 1 && redisAuth(prev):
		return famPassword // REDISCLI_AUTH=<password>
	case last && t == "auth" && n > 1:
		return famAuth // NEO4J_AUTH=neo4j/<password>
	}
	return famNone
}

// classify returns the family of a tokenized, lower-cased name and whether the
// deciding keyword is the name's last token.
func classify(toks []string) (family, bool) {
	n := len(toks)
	if n == 0 || isFileRef(toks) {
		return famNone, false
	}
	// VAULT_DEV_ROOT_TOKEN_ID is the root token itself, despite the _ID.
	if n >= 3 && toks[n-1] == "id" && toks[n-2] == "token" && toks[n-3] == "root" {
		return famToken, true
	}
	if nonSecretLast(toks[n-1]) {
		return famNone, false
	}
	ssl := false
	for _, t := range toks {
		if nonSecretAnywhere(t) {
			return famNone, false
		}
		if t == "ssl" || t == "tls" {
			ssl = true
		}
	}
	// Kafka KAFKA_SSL_KEYSTORE_CREDENTIALS & co. hold file NAMES under
	// /etc/kafka/secrets, not the password.
	if ssl && (toks[n-1] == "credentials" || toks[n-1] == "creds") {
		return famNone, false
	}
	// The last meaningful token: JWT_SECRET_2 ends in SECRET.
	end := n - 1
	for end > 0 && versionToken(toks[end]) {
		end--
	}
	best, bestIdx := famNone, -1
	for i := range toks {
		f := tokenFamily(toks, i)
		if i < end && midKeyword(f) && !secretTail(toks[end]) {
			continue // CONNECT_CONFIG_PROVIDERS_SECRET_CLASS, REGISTRY_AUTH_TOKEN_SERVICE
		}
		if f > best {
			best, bestIdx = f, i
		}
	}
	// Two-token keywords (API_KEY, ACCESS_KEY, PRIVATE_KEY) end the name
	// with their KEY.
	twoToken := (best == famAPIKey || best == famAccessKey || best == famPrivateKey) &&
		bestIdx == n-2 && (toks[n-1] == "key" || toks[n-1] == "keys")
	return best, bestIdx == n-1 || twoToken
}

// IsSecretName reports whether a literal value under this environment
// variable name is a secret because of the name alone (case-insensitive).
// Two shapes are conditional on the value and still return true here:
// `*_PWD` (not when the value is a path) and `*_AUTH` (only a user/password
// value). Use Check for a verdict on a name and value.
func IsSecretName(name string) bool {
	lname := strings.ToLower(name)
	var buf [maxTokens]string
	f, _ := classify(tokenize(lname, &buf))
	return f != famNone
}

func inList(name string, list []string) bool {
	for _, s := range list {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}
