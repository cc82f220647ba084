// Package secrets decides whether a compose environment entry, build arg or
// command argument carries a secret: by the variable's name (PASSWORD,
// *_PASS, *_TOKEN, *_KEY, ...), by well-known value formats (provider tokens,
// private keys, JWTs, URLs with credentials), and with compose interpolation
// in mind (`${VAR}` is not a literal, `${VAR:-literal}` carries one, `$$` is
// an escaped dollar).
//
// The facts behind the rules (keyword lists of detect-secrets, DefangLabs
// and gitleaks, their allowlists, and the name shapes of real images) are
// summarised in the project's secrets reference; each rule's comment says
// what it covers. Reasons never contain the value, and Verdict.Secret must
// never be printed: use Mask.
package secrets

import "strings"

// Kind of verdict on one KEY=VALUE pair as written in the compose file (raw,
// before interpolation).
type Kind int

// Verdict kinds.
const (
	// None: not a secret.
	None Kind = iota
	// Literal: a literal secret value committed in the file.
	Literal
	// DefaultLiteral: ${VAR:-literal} / ${VAR-literal} (or the alternate
	// ${VAR:+literal}) whose literal is a secret.
	DefaultLiteral
	// Interpolated: a secret-named variable filled by ${VAR}/$VAR/${VAR:?err}.
	// Nothing is committed, but the value is still visible in docker inspect.
	Interpolated
)

func (k Kind) String() string {
	switch k {
	case Literal:
		return "literal"
	case DefaultLiteral:
		return "default-literal"
	case Interpolated:
		return "interpolated"
	}
	return "none"
}

// Verdict is the result of Check.
type Verdict struct {
	Kind Kind
	// Reason is lower-case and never contains the value, e.g. "its name marks
	// it as a password", "the value is a github token", "the url embeds a
	// password".
	Reason string
	// Secret is the literal secret text exactly as written in the file
	// (compose `$$` escapes kept; Unescape gives the file content). For
	// Literal it is always the whole raw value (for a URL too); for
	// DefaultLiteral it is the default (or alternate) text. "" for
	// Interpolated and None. NEVER print it.
	Secret string
	// Vars are the variables referenced: for Interpolated (never empty) and
	// DefaultLiteral (the variable whose default is the secret). For a URL
	// whose password is interpolated, only the variables of the password part.
	Vars []string
	// StrayDollars marks a Literal whose text has a `$` that compose reads
	// as a variable ($argon2id$v=19$..., P4ss$word): the literal text is
	// committed, and the container gets it with those parts emptied. No
	// fix can move it without changing that value: only the author knows
	// whether the `$` were meant as `$$`.
	StrayDollars bool
}

// Hints is per-image knowledge: exact names, compared case-insensitively.
type Hints struct {
	SecretNames, NotSecretNames []string
}

// Check decides whether an environment entry (or build arg) is a secret. raw
// is the value exactly as written in YAML after YAML unquoting; it may
// contain ${...} and $$. An empty raw (also a key-only entry) is None.
//
// Rules, in order:
//   - `*_FILE` / `*__FILE` names are references, always None.
//   - Value formats (CheckValue) win for every name, also names on the
//     false-positive lists and h.NotSecretNames.
//   - Otherwise a name in h.NotSecretNames is None, and a secret-like name
//     (IsSecretName, or h.SecretNames) makes a literal a secret unless the
//     value is empty, boolean-ish, a sentinel (none/null/invalid), a
//     placeholder (`<...>`, `{{...}}`, only `*`/`x`), a path (also
//     `certs/tls.key`) or key/cert file name, a duration, or a number
//     (numbers are kept for password-like names whose last token is the
//     keyword, `REDIS_PASSWORD=123456`, and from 8 digits for token, secret
//     and api/access-key names, `TOKEN=1234567890`).
//   - `${VAR:-lit}` / `${VAR-lit}` / `${VAR:+lit}` (also nested): the literal
//     gets the same treatment and gives DefaultLiteral. Error texts of
//     `${VAR:?err}` are never scanned.
//   - Values mixing text and interpolation are checked by format only (the
//     literal parts are not secrets by name alone).
//   - Otherwise a secret-like name whose value interpolates is Interpolated,
//     as is a URL whose password part is interpolated, or a quoted inline
//     password assignment (`password="${KAFKA_PASSWORD}"`) in a config blob
//     (any name).
func Check(name, raw string, h Hints) Verdict {
	lname := strings.ToLower(name)
	var buf [maxTokens]string
	toks := tokenize(lname, &buf)
	if isFileRef(toks) || raw == "" {
		return Verdict{}
	}
	if strings.Contains(raw, "${") && badBrace(raw) {
		return Verdict{} // compose rejects the file: "Invalid template"
	}
	fam, kwLast := famNone, false
	notSecret := inList(name, h.NotSecretNames)
	if !notSecret {
		fam, kwLast = classify(toks)
		if fam == famNone && inList(name, h.SecretNames) {
			fam, kwLast = famHint, true
		}
	}
	var v Verdict
	switch it, ok := whole(raw); {
	case strings.IndexByte(raw, '$') < 0:
		return checkLiteral(raw, raw, fam, kwLast, Literal, nil)
	case ok:
		v = checkWhole(it, raw, fam, kwLast)
	case !hasInterp(raw): // only $$ escapes or stray dollars
		return checkLiteral(Unescape(raw), raw, fam, kwLast, Literal, nil)
	default:
		v = checkMixed(raw, fam, 0)
	}
	if notSecret && v.Kind == Interpolated {
		return Verdict{} // the image says so; nothing literal is committed
	}
	return v
}

// checkLiteral judges a literal: lit is the unescaped text, secret what goes
// into Verdict.Secret.
func checkLiteral(lit, secret string, fam family, kwLast bool, kind Kind, vars []string) Verdict {
	if strings.Contains(lit, "://") {
		// lit may still hold `$` from `$$`: scan the escaped form.
		if st, _ := urlCreds(secret, nil, false); st == urlLiteral {
			return Verdict{Kind: kind, Reason: reasonURL, Secret: secret, Vars: vars}
		}
	}
	if reason, ok := scanFormats(lit); ok {
		return Verdict{Kind: kind, Reason: reason, Secret: secret, Vars: vars}
	}
	if fam != famNone && nameValueOK(fam, kwLast, lit) {
		return Verdict{Kind: kind, Reason: nameReasons[fam], Secret: secret, Vars: vars}
	}
	return Verdict{}
}

// checkWhole handles a value that is exactly one interpolation expression.
func checkWhole(it interp, raw string, fam family, kwLast bool) Verdict {
	vars := []string{it.name}
	if def, lit := resolveDefault(it, &vars); lit && def != "" {
		if v := checkLiteral(Unescape(def), def, fam, kwLast, DefaultLiteral, vars); v.Kind != None {
			return v
		}
	} else if it.literalArg() {
		// A default that itself mixes text and interpolation: formats only.
		if v := checkMixed(raw, famNone, 0); v.Kind != None {
			return v
		}
	}
	if fam == famNone {
		return Verdict{}
	}
	vars = collectVars(raw, vars)
	if fam == famPwd && pwdVarsOnly(vars) {
		return Verdict{} // HOST_PWD=${PWD}: the working directory
	}
	return Verdict{Kind: Interpolated, Reason: nameReasons[fam], Vars: vars}
}

func pwdVarsOnly(vars []string) bool {
	for _, v := range vars {
		if v != "PWD" && v != "OLDPWD" {
			return false
		}
	}
	return true
}

// checkMixed handles a value mixing literal text and interpolation.
func checkMixed(raw string, fam family, depth int) Verdict {
	// Formats in literal parts (outside any ${...}).
	from := 0
	var defaults []interp
	for n := 0; n < 256; n++ {
		it, ok := nextInterp(raw, from)
		end := len(raw)
		if ok {
			end = it.start
		}
		if part := raw[from:end]; len(part) >= 8 {
			if reason, found := scanFormats(Unescape(part)); found {
				return Verdict{Kind: Literal, Reason: reason, Secret: raw}
			}
		}
		if !ok {
			break
		}
		if it.literalArg() && it.arg != "" {
			defaults = append(defaults, it)
		}
		from = it.end
	}
	var urlVars []string
	st, urlDef := urlNone, ""
	if strings.Contains(raw, "://") {
		st, urlDef = urlCreds(raw, &urlVars, true)
		if st == urlLiteral {
			return Verdict{Kind: Literal, Reason: reasonURL, Secret: raw}
		}
	}
	// Formats in defaults / alternates.
	for _, it := range defaults {
		var vars []string
		vars = append(vars, it.name)
		if def, lit := resolveDefault(it, &vars); lit {
			if v := checkLiteral(Unescape(def), def, famNone, false, DefaultLiteral, vars); v.Kind != None {
				return v
			}
		} else if depth >= maxNest {
			continue
		} else if v := checkMixed(it.arg, famNone, depth+1); v.Kind == Literal || v.Kind == DefaultLiteral {
			// A secret nested in a mixed default is still only a default.
			v.Kind = DefaultLiteral
			for _, name := range v.Vars {
				vars = appendVar(vars, name)
			}
			v.Vars = vars
			return v
		}
	}
	switch st {
	case urlDefault:
		return Verdict{Kind: DefaultLiteral, Reason: reasonURL, Secret: urlDef, Vars: urlVars}
	case urlInterpolated:
		return Verdict{Kind: Interpolated, Reason: reasonURL, Vars: urlVars}
	}
	if fam == famNone {
		// A config blob that fills a password from the environment:
		// KAFKA_SASL_JAAS_CONFIG `password="${KAFKA_PASSWORD}"`.
		if vars := inlineVars(raw); len(vars) > 0 {
			return Verdict{Kind: Interpolated, Reason: reasonInline, Vars: vars}
		}
	}
	if fam != famNone {
		vars := collectVars(raw, nil)
		if fam == famPwd && pwdVarsOnly(vars) {
			return Verdict{}
		}
		if strayDollars(raw) {
			// Not a variable at all: its "names" are pieces of the secret,
			// which must not be quoted back as variable names.
			return Verdict{Kind: Literal, Reason: nameReasons[fam] + reasonStrayDollars, Secret: raw, StrayDollars: true}
		}
		return Verdict{Kind: Interpolated, Reason: nameReasons[fam], Vars: vars}
	}
	return Verdict{}
}

// reasonStrayDollars completes a name reason for a literal with `$` in it.
const reasonStrayDollars = "; compose reads each `$` in it as a variable: write a literal `$` as `$$`"

// strayDollars reports a value that mixes literal letters or digits with
// an unbraced $NAME: a password or hash with a `$` in it, not a deliberate
// reference (those are written ${NAME}, or stand alone).
func strayDollars(raw string) bool {
	unbraced, text := false, false
	from := 0
	for {
		it, ok := nextInterp(raw, from)
		end := len(raw)
		if ok {
			end = it.start
		}
		for _, c := range []byte(raw[from:end]) {
			if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				text = true
			}
		}
		if !ok {
			return unbraced && text
		}
		if raw[it.start+1] != '{' {
			unbraced = true
		}
		from = it.end
	}
}
