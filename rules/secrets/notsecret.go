package secrets

import "strings"

// Values that cannot be secrets whatever their name says (issue 14): a
// rate limit, the bare head of a provider's key, punctuation. nameValueOK
// asks these after its older checks.

// valueFilters turns on the value shapes that cannot be secrets (issue
// 14: rates, bare provider prefixes, punctuation) and the rate-limit
// setting names. Only the corpus comparison test turns it off, to list
// what they remove.
var valueFilters = true

// isPunctuation: no letter or digit at all (`---`, `...`, `-`): a
// separator or a stand-in, never a credential anyone would issue.
func isPunctuation(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; isAlpha(c) || (c >= '0' && c <= '9') || c >= 0x80 {
			return false
		}
	}
	return t != ""
}

// isRate: a count per unit of time, as rate limiters write it
// (`60/minute`, `100/s`, `5 per hour`, `1000/1h`).
func isRate(t string) bool {
	n, unit, ok := strings.Cut(t, "/")
	if !ok {
		n, unit, ok = strings.Cut(t, " per ")
	}
	n, unit = strings.TrimSpace(n), strings.TrimSpace(unit)
	if !ok || !isDigits(n) || unit == "" {
		return false
	}
	switch strings.ToLower(unit) {
	case "s", "sec", "second", "m", "min", "minute", "h", "hr", "hour", "d", "day", "w", "week", "month", "year":
		return true
	}
	return isDuration(unit)
}

// providerPrefixes are the fixed heads of API keys that providers issue
// (OpenAI sk-, Stripe sk_live_, GitHub ghp_...). A value that is only such
// a head, as in `OPENAI_API_KEY: "sk-"`, is a template waiting for the key.
var providerPrefixes = []string{
	"sk-", "sk-proj-", "sk-ant-", "sk_live_", "sk_test_", "pk_live_", "pk_test_", "rk_live_", "rk_test_",
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xapp-",
	"hf_", "AKIA", "AIza", "SG.", "key-",
}

// isBarePrefix: the value is exactly one of providerPrefixes.
func isBarePrefix(t string) bool {
	for _, p := range providerPrefixes {
		if t == p {
			return true
		}
	}
	return false
}
