package secrets

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Mask hides a secret for display: "s3****" shows at most the first two
// characters, then a fixed "****", so the length is never revealed. Secrets
// shorter than 8 characters (or starting with anything but printable ASCII)
// show nothing: "****". The output is at most 6 bytes and never contains a
// secret of 4 or more bytes; the only string "****" would contain is "****"
// itself, which masks as "(hidden)".
func Mask(secret string) string {
	if secret == "****" {
		return "(hidden)"
	}
	if utf8.RuneCountInString(secret) < 8 || !printable(secret[0]) || !printable(secret[1]) {
		return "****"
	}
	return secret[:2] + "****"
}

func printable(c byte) bool { return c > ' ' && c < 0x7f }

// MaskAll replaces every occurrence of each secret in text with its mask:
// for anything that shows source text (a line under a finding, a diff).
func MaskAll(text string, secrets []string) string {
	return NewMasker(secrets).Mask(text)
}

// Masker masks a fixed set of secrets in many texts: it is built once
// (a diff of hundreds of files against every secret a run saw).
type Masker struct {
	r *strings.Replacer
}

// NewMasker prepares the masking of secrets. Where two secrets match at
// one place the longer one is masked, so a secret that starts with
// another (password, password123) never shows its rest.
func NewMasker(secrets []string) *Masker {
	sorted := slices.Clone(secrets)
	// A secret of several lines (a private key in a `|` block) is shown
	// line by line, each with the file's indentation before it and a diff
	// marker before that: each of its lines is masked on its own too.
	for _, s := range secrets {
		if !strings.Contains(s, "\n") {
			continue
		}
		for _, line := range strings.Split(s, "\n") {
			if line = strings.TrimSpace(line); len(line) >= minLineSecret {
				sorted = append(sorted, line)
			}
		}
	}
	slices.SortStableFunc(sorted, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var pairs []string
	for _, s := range slices.Compact(sorted) {
		if s != "" {
			pairs = append(pairs, s, Mask(s))
		}
	}
	if len(pairs) == 0 {
		return &Masker{}
	}
	return &Masker{r: strings.NewReplacer(pairs...)}
}

// minLineSecret is the shortest line of a multi-line secret masked on its
// own: shorter ones ("-----", "}") are structure, not secret, and would
// mask unrelated text.
const minLineSecret = 8

// Mask returns text with every secret masked.
func (m *Masker) Mask(text string) string {
	if m.r == nil {
		return text
	}
	return m.r.Replace(text)
}
