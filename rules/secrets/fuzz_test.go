package secrets

import (
	"strings"
	"testing"
)

// allReasons is every reason the package can produce. Reasons are fixed
// strings, so no value can leak into one.
func allReasons() map[string]bool {
	m := map[string]bool{
		reasonPrivateKey: true, reasonURL: true, reasonJWT: true, reasonInline: true, reasonUserPass: true,
	}
	for _, r := range nameReasons {
		if r != "" {
			m[r] = true
			m[r+reasonStrayDollars] = true
		}
	}
	for _, r := range cmdReasons {
		if r != "" {
			m[r] = true
		}
	}
	for _, r := range tokenRules {
		m[r.reason] = true
	}
	return m
}

// leaks reports whether reason contains value although value is not merely
// a piece of the fixed reason text (a value like "pass" is a substring of
// "password" by coincidence, not a leak).
func leaks(reason, value string, reasons map[string]bool) bool {
	if len(value) < 4 || !strings.Contains(reason, value) {
		return false
	}
	return !reasons[reason]
}

func FuzzCheck(f *testing.F) {
	for _, c := range checkCases() {
		f.Add(c.key, c.raw)
	}
	f.Add("PASSWORD", "pass")                     // a value inside the reason text
	f.Add("X", "${A:-${B:-${C:+x}}}")             // deep nesting
	f.Add("DSN", "a://b:${C:-d}@e f://g:h@i")     // two URLs
	f.Add("CMD", "sh -c 'mysql -p\"x y\" ; a=b'") // command-ish text
	reasons := allReasons()
	f.Fuzz(func(t *testing.T, name, value string) {
		v := Check(name, value, Hints{SecretNames: []string{"HINTED"}, NotSecretNames: []string{"NOT_HINTED"}})
		if v.Kind == None {
			if v.Reason != "" || v.Secret != "" || v.Vars != nil {
				t.Fatalf("None verdict with data: %+v", v)
			}
		} else if !reasons[v.Reason] {
			t.Fatalf("unknown reason %q", v.Reason)
		}
		if leaks(v.Reason, value, reasons) {
			t.Fatalf("reason %q contains the value %q", v.Reason, value)
		}
		switch v.Kind {
		case Literal:
			if v.Secret != value {
				t.Fatalf("literal secret %q != value %q", v.Secret, value)
			}
		case DefaultLiteral:
			if v.Secret == "" || !strings.Contains(value, v.Secret) || len(v.Vars) == 0 {
				t.Fatalf("default literal %+v for %q", v, value)
			}
		case Interpolated:
			if v.Secret != "" || len(v.Vars) == 0 {
				t.Fatalf("interpolated %+v for %q", v, value)
			}
		}
		checkMaskProperty(t, value)
		checkMaskProperty(t, v.Secret)
		_ = IsSecretName(name)
		_, _ = CheckValue(value)
		_ = Unescape(value)

		for _, args := range [][]string{{value}, {name, value}, strings.Fields(value)} {
			for _, h := range CheckCommand(args) {
				if h.Index < 0 || h.Index >= len(args) || h.Secret == "" || !reasons[h.Reason] {
					t.Fatalf("bad hit %+v for %q", h, args)
				}
				if leaks(h.Reason, h.Secret, reasons) {
					t.Fatalf("reason %q contains the secret", h.Reason)
				}
			}
		}
	})
}

// FuzzMasker: no span of 4 or more bytes of a secret survives masking,
// whatever the text around it and however it is shown: on its own, or
// line by line with an indentation and a diff marker before each line
// (a block scalar in a diff), with LF or CRLF line ends. The text around
// it is drawn without the secret's bytes, and secrets with '*' (the
// mask's own byte) are left out, so any span found comes from the secret.
func FuzzMasker(f *testing.F) {
	f.Add("Zx9Qw7Er5Ty3", "a: ", "\nb: c\n", "  ", false)
	f.Add("abcdabc", "x ", "abcdabc y", "", false)
	f.Add("Kq2L\nm3Np4\nRs5Tu\n", " KEY: |\n", "other\n", "-    ", true)
	f.Add("  abcdefgh\nijkl", "", "", "+", false)
	f.Add("ab  \ncdefgh", "", "", "-", false)
	f.Fuzz(func(t *testing.T, secret, before, after, indent string, crlf bool) {
		if len(secret) < 4 || len(secret) > 256 || strings.Contains(secret, "*") {
			return
		}
		drop := func(s string) string {
			return strings.Map(func(r rune) rune {
				if strings.ContainsRune(secret, r) || r == '*' {
					return -1
				}
				return r
			}, s)
		}
		before, after, indent = drop(before), drop(after), drop(indent)
		nl := "\n"
		if crlf {
			nl = "\r\n"
		}
		lines := strings.Split(secret, "\n")
		for i := range lines {
			lines[i] = indent + lines[i]
		}
		m := NewMasker([]string{secret})
		for _, text := range []string{before + secret + after, before + strings.Join(lines, nl) + after} {
			out := m.Mask(text)
			if strings.Count(out, "\n") != strings.Count(text, "\n") {
				t.Fatalf("Mask(%q) = %q changes the number of lines", text, out)
			}
			for i := 0; i+4 <= len(secret); i++ {
				// The guarantee is per line of the secret: line breaks are
				// kept by design (a masked block keeps its lines), and a
				// multi-line secret's lines under four bytes ("}", "==")
				// are shown (minLineSecret), so a span across a line break
				// can show.
				// In CRLF text a window ending in "\r" is also a short
				// line followed by the text's own line end ("000" +
				// "\r\n" shows "000\r" of a secret "000\r0\n000\n").
				w := secret[i : i+4]
				if crlf && strings.HasSuffix(w, "\r") {
					continue
				}
				if !strings.Contains(w, "\n") && strings.Contains(out, w) {
					t.Fatalf("Mask(%q) = %q shows %q of the secret %q", text, out, w, secret)
				}
			}
		}
	})
}

// FuzzMaskSpans: positional masking hides the secret where a span says it
// stands and changes nothing else. The secret is placed in a text between
// two parts drawn without its bytes (as FuzzMasker does) and covered by a
// span that holds it whole or, for a finding's place, reaches lead bytes
// before and trail bytes after it; a second copy after the span is not
// said to be a secret's place. Then: the lines stay (count of line
// breaks), no 4-byte span of a line of the secret shows in the masked
// place, and the text outside the span is kept byte for byte, the second
// copy included.
func FuzzMaskSpans(f *testing.F) {
	f.Add("postgres", "postgres:\n  image: ", ":16\n", 3, 2, false)
	f.Add("Kq2L\nm3Np4\nRs5Tu\n", "KEY: |\n", "other\n", 0, 0, true)
	f.Add("---", "", "\n", 0, 1, true)
	f.Add("ab\r\ncdefgh", "x: \"", "\"\r\n", 4, 3, false)
	f.Fuzz(func(t *testing.T, secret, before, after string, lead, trail int, whole bool) {
		if len(secret) < 4 || len(secret) > 256 || strings.Contains(secret, "*") {
			return
		}
		drop := func(s string) string {
			return strings.Map(func(r rune) rune {
				if strings.ContainsRune(secret, r) || r == '*' {
					return -1
				}
				return r
			}, s)
		}
		before, after = drop(before), drop(after)
		lead, trail = clamp(lead, len(before)), clamp(trail, len(after))
		if whole {
			lead, trail = 0, 0
		}
		text := before + secret + after + secret
		sp := Span{Start: len(before) - lead, End: len(before) + len(secret) + trail}
		if whole {
			sp.Whole = secret
		}
		out := NewMasker([]string{secret}).MaskSpans(text, []Span{sp})
		if strings.Count(out, "\n") != strings.Count(text, "\n") {
			t.Fatalf("MaskSpans(%q) = %q changes the number of lines", text, out)
		}
		if !strings.HasPrefix(out, text[:sp.Start]) || !strings.HasSuffix(out, text[sp.End:]) {
			t.Fatalf("MaskSpans(%q, %+v) = %q changes text outside the span", text, sp, out)
		}
		masked := out[sp.Start : len(out)-(len(text)-sp.End)]
		for i := 0; i+4 <= len(secret); i++ {
			if w := secret[i : i+4]; !strings.Contains(w, "\n") && strings.Contains(masked, w) {
				t.Fatalf("MaskSpans(%q, %+v) = %q shows %q of the secret %q", text, sp, out, w, secret)
			}
		}
	})
}

// clamp maps any n into 0..hi.
func clamp(n, hi int) int {
	return int(uint(n) % uint(hi+1))
}
