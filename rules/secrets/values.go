package secrets

import (
	"math"
	"regexp"
	"strings"
	"sync"
)

// Value reasons. Lower-case, never containing a value.
const (
	reasonPrivateKey = "the value is a private key"
	reasonURL        = "the url embeds a password"
	reasonJWT        = "the value is a json web token"
	reasonInline     = "the value assigns a password inline"
)

// tokenRule is one provider token format (secrets.md §2.1, §2.2). The regexp
// only runs when the value contains one of the cheap literal prefilters.
type tokenRule struct {
	reason     string
	prefilters []string
	re         *lazyRE
	entropy    float64 // minimum Shannon entropy of the match (gitleaks), 0 = none
	allow      func(match string) bool
}

// Boundaries as in gitleaks: the token must end at a quote, space, ';', an
// escaped newline or the end of the text.
const tail = "(?:[\\x60'\"\\s;]|\\\\[nr]|$)"

var tokenRules = []tokenRule{
	{
		reason:     "the value is an aws access key id",
		prefilters: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
		re:         lazy(`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`),
		entropy:    3,
		// AWS documentation's example key ids end in EXAMPLE (gitleaks allowlist).
		allow: func(m string) bool { return strings.HasSuffix(m, "EXAMPLE") },
	},
	{
		reason:     "the value is an aws bedrock api key",
		prefilters: []string{"ABSK"},
		re:         lazy(`\bABSK[A-Za-z0-9+/]{109,269}={0,2}` + tail),
	},
	{
		reason:     "the value is a github token",
		prefilters: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"},
		re:         lazy(`(?:ghp|gho|ghu|ghs|ghr)_[0-9a-zA-Z]{36}|github_pat_\w{82}`),
		entropy:    3,
	},
	{
		reason:     "the value is a gitlab token",
		prefilters: []string{"glpat-", "glrt-"},
		re:         lazy(`glpat-[\w-]{20}|glrt-[0-9a-zA-Z_\-]{20}`),
		entropy:    3,
	},
	{
		reason:     "the value is a slack token",
		prefilters: []string{"xox", "xapp-"},
		re: lazy(`xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*` +
			`|xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}` +
			`|(?i:xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)` +
			`|xox[os]-\d+-\d+-\d+-[a-fA-F\d]+` +
			`|(?i:xoxe.xox[bp]-\d-[A-Z0-9]{163,166})`),
		entropy: 2,
	},
	{
		reason:     "the value is a slack webhook url",
		prefilters: []string{"hooks.slack.com/"},
		re:         lazy(`hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}`),
	},
	{
		reason:     "the value is a stripe key",
		prefilters: []string{"k_live_", "k_test_", "k_prod_"},
		re:         lazy(`\b(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}` + tail),
		entropy:    2,
	},
	{
		reason:     "the value is a google api key",
		prefilters: []string{"AIza"},
		re:         lazy(`\bAIza[\w-]{35}` + tail),
		entropy:    4,
	},
	{
		reason:     "the value is an openai api key",
		prefilters: []string{"T3BlbkFJ"},
		re: lazy(`sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})` +
			`|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}`),
		entropy: 3,
	},
	{
		reason:     "the value is an anthropic api key",
		prefilters: []string{"sk-ant-"},
		re:         lazy(`sk-ant-(?:api03|admin01)-[a-zA-Z0-9_\-]{93}AA`),
	},
	{
		reason:     "the value is a hugging face token",
		prefilters: []string{"hf_"},
		re:         lazy(`\bhf_[a-zA-Z]{34}` + tail),
	},
	{
		reason:     "the value is an npm token",
		prefilters: []string{"npm_", "NPM_"},
		re:         lazy(`(?i)\bnpm_[a-z0-9]{36}` + tail),
		entropy:    2,
	},
	{
		reason:     "the value is a pypi upload token",
		prefilters: []string{"pypi-AgEIcHlwaS5vcmc"},
		re:         lazy(`pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`),
	},
	{
		reason:     "the value is a sendgrid api key",
		prefilters: []string{"SG."},
		re:         lazy(`\bSG\.[a-zA-Z0-9=_\-.]{66}` + tail),
		entropy:    2,
	},
	{
		reason:     "the value is a twilio api key",
		prefilters: []string{"SK"},
		re:         lazy(`\bSK[0-9a-fA-F]{32}\b`),
		entropy:    3,
	},
	{
		reason:     "the value is an azure client secret",
		prefilters: []string{"Q~"},
		re:         lazy("(?:^|[\\\\'\"\\x60\\s>=:(,)])[a-zA-Z0-9_~.]{3}\\dQ~[a-zA-Z0-9_~.-]{31,34}(?:$|[\\\\'\"\\x60\\s<),])"),
		entropy:    3,
	},
	{
		reason:     "the value is a digitalocean token",
		prefilters: []string{"dop_v1_", "doo_v1_", "dor_v1_"},
		re:         lazy(`\bdo[por]_v1_[a-f0-9]{64}` + tail),
		entropy:    3,
	},
	{
		// Only the current hvs. format: the legacy `s.` + 24 chars form is too
		// loose for free text.
		reason:     "the value is a vault token",
		prefilters: []string{"hvs."},
		re:         lazy(`\bhvs\.[\w-]{90,120}` + tail),
	},
	{
		reason:     "the value is a grafana token",
		prefilters: []string{"glsa_", "glc_"},
		re:         lazy(`\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}` + tail + `|\bglc_[A-Za-z0-9+/]{32,400}={0,2}` + tail),
	},
}

var (
	rePEM = lazy(`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`)
	reJWT = lazy(`\bey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.(?:[a-zA-Z0-9/\\_-]{10,}={0,2})?` + tail)
	// reInline finds quoted assignments to a password-like key inside a
	// config blob: KAFKA_SASL_JAAS_CONFIG `password="..."`,
	// GITLAB_OMNIBUS_CONFIG `gitlab_rails['initial_root_password'] = '...'`,
	// JSON `"token": "..."`. Quotes are required to keep free text out.
	reInline = lazy(`(?i)(?:password|passwd|secret|secret_key|secret_key_base|token|api_?key|access_key)['"\]]*\s*(?:=>|=|:)\s*(?:"([^"\n]*)"|'([^'\n]*)')`)
)

// lazyRE compiles its pattern on first use: most values never reach a
// token pattern (the prefilters reject them), and compiling all of them
// at start cost every process, a one-file pre-commit run included, ~2 ms.
type lazyRE struct {
	once sync.Once
	src  string
	re   *regexp.Regexp
}

func lazy(src string) *lazyRE { return &lazyRE{src: src} }

func (l *lazyRE) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

// shannon returns the Shannon entropy (bits per byte) of s.
func shannon(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// scanFormats runs the value-format rules except URL credentials on s:
// private keys, provider tokens, JWTs and inline password assignments.
func scanFormats(s string) (string, bool) {
	if len(s) < 8 {
		return "", false
	}
	if strings.Contains(s, "PRIVATE KEY") && rePEM.get().MatchString(s) {
		return reasonPrivateKey, true
	}
	if strings.Contains(s, "PuTTY-User-Key-File-") {
		return reasonPrivateKey, true
	}
	for i := range tokenRules {
		r := &tokenRules[i]
		hit := false
		for _, p := range r.prefilters {
			if strings.Contains(s, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, m := range r.re.get().FindAllString(s, 4) {
			m = strings.TrimRight(m, "`'\" \t\r\n;\\")
			if r.allow != nil && r.allow(m) {
				continue
			}
			if r.entropy > 0 && shannon(m) < r.entropy {
				continue
			}
			return r.reason, true
		}
	}
	if strings.Contains(s, "eyJ") {
		for _, m := range reJWT.get().FindAllString(s, 4) {
			if shannon(m) >= 3 {
				return reasonJWT, true
			}
		}
	}
	if strings.ContainsAny(s, `"'`) {
		for _, m := range reInline.get().FindAllStringSubmatch(s, 8) {
			v := m[1]
			if v == "" {
				v = m[2]
			}
			if inlineValueOK(v) {
				return reasonInline, true
			}
		}
	}
	if connStringPassword(s) {
		return reasonInline, true
	}
	return "", false
}

// inlineVars returns the variables that fill quoted inline password
// assignments in compose text (`password="${KAFKA_PASSWORD}"`,
// `clientSecret="$CLIENT_SECRET"`).
func inlineVars(raw string) []string {
	if !strings.ContainsAny(raw, `"'`) {
		return nil
	}
	var vars []string
	for _, m := range reInline.get().FindAllStringSubmatch(raw, 8) {
		v := m[1]
		if v == "" {
			v = m[2]
		}
		if hasInterp(v) {
			vars = collectVars(v, vars)
		}
	}
	return vars
}

func inlineValueOK(v string) bool {
	t := strings.TrimSpace(v)
	return t != "" && !isReference(t) && !isBoolish(t) && !isSentinel(t) &&
		!isPlaceholder(t) && !isPath(t) && !isFileName(t)
}

// URL credential states, ranked: a literal password beats a literal default,
// which beats an interpolated password.
const (
	urlNone         = 0
	urlInterpolated = 1 // the password comes from interpolation
	urlDefault      = 2 // the password is ${VAR:-literal}
	urlLiteral      = 3
)

// urlCreds finds `scheme://user:password@` in s, which is compose text:
// `$$` is an escaped dollar, `${...}` blocks are opaque, and a password made
// of interpolation is not a literal. It returns the best state found, the
// password's default literal (raw) for urlDefault, and appends the variables
// of the password to vars when vars is non-nil. With outside set, URLs that
// start inside a `${...}` block (a default) are ignored: Check judges
// defaults on their own.
func urlCreds(s string, vars *[]string, outside bool) (int, string) {
	best, bestDefault := urlNone, ""
	for from := 0; from < len(s); {
		k := strings.Index(s[from:], "://")
		if k < 0 {
			break
		}
		k += from
		if outside {
			if end := bracedEnd(s, from, k); end > k {
				from = end // "://" inside ${...}: resume after the block
				continue
			}
		}
		from = k + 3
		// The scheme: at least one letter, then letters, digits, + - .
		b := k
		for b > 0 && isSchemeChar(s[b-1]) {
			b--
		}
		for b < k && !isAlpha(s[b]) {
			b++
		}
		if b == k {
			continue
		}
		// The authority ends at / ? # quotes or whitespace; ${...} blocks are
		// opaque. The user part ends at the first ':' and the host starts
		// after the last '@', so a password may contain ':' and '@'.
		end, at, colon := k+3, -1, -1
	scan:
		for end < len(s) {
			c := s[end]
			switch {
			case c == '$' && end+1 < len(s) && s[end+1] == '$':
				end += 2
				continue
			case c == '$' && end+1 < len(s) && s[end+1] == '{':
				if it, ok := parseBraced(s, end); ok {
					end = it.end
					continue
				}
			case c == '/', c == '?', c == '#', c == ' ', c == '\t', c == '\n', c == '\r',
				c == '"', c == '\'', c == '`', c == '<', c == '>':
				break scan
			case c == '@':
				at = end
			case c == ':' && at < 0 && colon < 0:
				colon = end
			}
			end++
		}
		if at < 0 || colon < 0 {
			continue // no credentials, or user@host only
		}
		pass := s[colon+1 : at]
		if pass == "" {
			continue // user:@host
		}
		if isDigits(pass) && (isDigits(hostPart(s[at+1:end])) || hostLike(s[k+3:colon])) {
			// host:port@port, not user:password@host: mitmproxy
			// `--mode reverse:https://httpbin.org:443@8443`.
			continue
		}
		state, def := classifyURLPass(pass, vars)
		if state > best {
			best, bestDefault = state, def
		}
		if best == urlLiteral {
			return best, ""
		}
	}
	return best, bestDefault
}

// hostPart is the host of an authority's host[:port] part.
func hostPart(hp string) string {
	if i := strings.IndexByte(hp, ':'); i >= 0 {
		return hp[:i]
	}
	return hp
}

// hostLike: a URL's user part that is really a host name: localhost, an
// IPv4 address or a dotted name ending in a letters-only label
// (httpbin.org). A user name with a dot before digits (postgres.12345) is
// not one.
func hostLike(u string) bool {
	if strings.EqualFold(u, "localhost") {
		return true
	}
	dot := strings.LastIndexByte(u, '.')
	if dot <= 0 || dot == len(u)-1 {
		return false
	}
	ip := true
	for i := 0; i < len(u); i++ {
		if c := u[i]; c != '.' && (c < '0' || c > '9') {
			ip = false
			break
		}
	}
	if ip {
		return true
	}
	for i := dot + 1; i < len(u); i++ {
		if !isAlpha(u[i]) {
			return false
		}
	}
	for i := 0; i < dot; i++ {
		if c := u[i]; !isAlpha(c) && (c < '0' || c > '9') && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// classifyURLPass classifies the raw password part of a URL.
func classifyURLPass(pass string, vars *[]string) (int, string) {
	if !hasInterp(pass) {
		if isPlaceholder(Unescape(pass)) {
			return urlNone, ""
		}
		return urlLiteral, ""
	}
	if it, ok := whole(pass); ok {
		if vars != nil {
			*vars = appendVar(*vars, it.name)
		}
		if def, lit := resolveDefault(it, vars); lit && def != "" && !isPlaceholder(Unescape(def)) {
			return urlDefault, def
		}
		return urlInterpolated, ""
	}
	if vars != nil {
		*vars = collectVars(pass, *vars)
	}
	return urlInterpolated, ""
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isSchemeChar(c byte) bool {
	return isAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'
}

// CheckValue runs value-format detection only: provider tokens (AWS, GitHub,
// GitLab, Slack, Stripe, Google, OpenAI, Anthropic, Hugging Face, npm, PyPI,
// SendGrid, Twilio, Azure, DigitalOcean, Vault, Grafana), PEM private keys,
// JWTs, URLs with a literal `user:password@`, and quoted password assignments
// inside config blobs. raw is compose text: a URL password written as
// `${VAR}` is not a literal. The reason never contains the value.
func CheckValue(raw string) (reason string, ok bool) {
	// A `${` compose cannot parse makes the text invalid compose (and would
	// make the URL scan quadratic): skip URL credentials then.
	if strings.Contains(raw, "://") && !(strings.Contains(raw, "${") && badBrace(raw)) {
		if st, _ := urlCreds(raw, nil, false); st == urlLiteral {
			return reasonURL, true
		}
	}
	return scanFormats(raw)
}

// ---------------------------------------------------------------- value shape

// nameValueOK decides whether a literal value under a secret-like name is a
// committed secret (as opposed to a flag, number, path, placeholder...).
func nameValueOK(f family, kwLast bool, v string) bool {
	t := strings.TrimSpace(v)
	switch {
	case t == "", isBoolish(t), isSentinel(t), isPlaceholder(t), isPath(t), isFileName(t):
		return false
	case valueFilters && (isPunctuation(t) || isRate(t) || isBarePrefix(t)):
		return false
	case isDigits(t):
		return kwLast && (f.passwordish() || (f.tokenish() && len(t) >= minDigitSecret))
	case isDuration(t):
		return false
	case f == famAuth:
		return userPassShape(t)
	}
	return true
}
