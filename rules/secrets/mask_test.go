package secrets

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "****"},
		{"a", "****"},
		{"secret", "****"},
		{"1234567", "****"},
		{"s3cretpassword", "s3****"},
		{"12345678", "12****"},
		{fakeGitHub, "gh****"},
		{"äöüäöüäöü", "****"},
		{" leading space", "****"},
		{"****", "(hidden)"},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Never reveals the length.
	if Mask("abcdefgh") != Mask("ab"+strings.Repeat("z", 100)) {
		t.Errorf("length leaks")
	}
}

func checkMaskProperty(t *testing.T, x string) {
	t.Helper()
	m := Mask(x)
	shown := 0
	for i := 0; i < len(m) && i < len(x) && m[i] == x[i] && m[i] != '*'; i++ {
		shown++
	}
	if shown > 2 {
		t.Fatalf("Mask(%q) = %q shows %d chars", x, m, shown)
	}
	if len(x) >= 4 && strings.Contains(m, x) {
		t.Fatalf("Mask(%q) = %q contains the secret", x, m)
	}
	if len(x) > 0 && m == x {
		t.Fatalf("Mask(%q) returned the secret", x)
	}
}

func TestMaskProperty(t *testing.T) {
	for _, c := range checkCases() {
		checkMaskProperty(t, c.raw)
	}
	for _, x := range []string{"ab", "abc", "abcd", "ab**", "ab****", "ab****cd", "*****", "********", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8"} {
		checkMaskProperty(t, x)
	}
}

func TestMaskAll(t *testing.T) {
	got := MaskAll("a: hunter2-long\nb: hunter2-long x\nc: other", []string{"", "hunter2-long"})
	if strings.Contains(got, "hunter2-long") || !strings.Contains(got, "c: other") || strings.Count(got, Mask("hunter2-long")) != 2 {
		t.Errorf("MaskAll = %q", got)
	}
}

// A secret that starts with another is masked whole, whatever the order
// the secrets were seen in; a mask is never masked again.
func TestMaskAllLongestFirst(t *testing.T) {
	text := "a: password-123456\nb: password-1\nc: ****"
	for _, order := range [][]string{{"password-1", "password-123456", "****"}, {"password-123456", "password-1", "****"}} {
		got := MaskAll(text, order)
		want := "a: " + Mask("password-123456") + "\nb: " + Mask("password-1") + "\nc: " + Mask("****")
		if got != want {
			t.Errorf("MaskAll(%q) = %q, want %q", order, got, want)
		}
	}
}

// A multi-line secret is masked line by line, as a diff or an indented
// block shows it; its short structural lines are left alone.
func TestMaskMultiLineSecretByLine(t *testing.T) {
	secret := "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA1c2Vj\ncmV0c2VjcmV0c2Vj\n}\n"
	text := " TLS_KEY: |\n-        MIIEpAIBAAKCAQEA1c2Vj\n+        cmV0c2VjcmV0c2Vj\n         }\n"
	got := NewMasker([]string{secret}).Mask(text)
	for _, line := range []string{"MIIEpAIBAAKCAQEA1c2Vj", "cmV0c2VjcmV0c2Vj"} {
		if strings.Contains(got, line) {
			t.Errorf("line %q of the secret is shown:\n%s", line, got)
		}
	}
	if !strings.Contains(got, "         }\n") || !strings.Contains(got, "TLS_KEY: |") {
		t.Errorf("text that is not secret was masked:\n%s", got)
	}
}
