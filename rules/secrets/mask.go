package secrets

import "strings"

import "unicode/utf8"

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
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, Mask(s))
		}
	}
	return text
}
