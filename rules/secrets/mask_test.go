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

// Issue 16, item 3: the masker covers overlapping occurrences, the short
// lines of a multi-line secret, and keeps a text's lines.
func TestMaskOverlappingOccurrences(t *testing.T) {
	got := MaskAll("x abcdabcdabc y", []string{"abcdabc"})
	if strings.Contains(got, "dabc") || strings.Contains(got, "abcd") {
		t.Errorf("MaskAll = %q shows a piece of the secret", got)
	}
}

func TestMaskShortLinesOfMultiLineSecret(t *testing.T) {
	secret := "Kq2L\nm3Np4\nRs5Tu\n"
	text := " KEY: |\n-   Kq2L\n-   m3Np4\n-   Rs5Tu\n  other: line\n"
	got := NewMasker([]string{secret}).Mask(text)
	for _, line := range []string{"Kq2L", "m3Np4", "Rs5Tu"} {
		if strings.Contains(got, line) {
			t.Errorf("line %q of the secret is shown:\n%s", line, got)
		}
	}
	if !strings.Contains(got, "  other: line\n") {
		t.Errorf("text that is not secret was masked:\n%s", got)
	}
}

// A secret spanning lines in the file (a double-quoted .env value) is
// masked in place: the lines after it keep their numbers, so a source
// line shown under a finding is the right one.
func TestMaskKeepsLines(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n"} {
		secret := "Zx9Qw7Er5Ty3" + nl + "Ab1Cd2Ef3Gh4"
		text := "A=1" + nl + "PW=\"" + secret + "\"" + nl + "B=2" + nl
		got := MaskAll(text, []string{secret})
		if strings.Count(got, "\n") != strings.Count(text, "\n") || strings.Count(got, "\r") != strings.Count(text, "\r") {
			t.Errorf("%q: masked text %q has other line breaks", text, got)
		}
		if lines := strings.Split(got, nl); lines[3] != "B=2" || strings.Contains(got, "Zx9Q") || strings.Contains(got, "Ab1C") {
			t.Errorf("%q: masked %q", text, got)
		}
	}
}

// Issue 13, item 6: a secret is masked where it stands, never in the
// names, images and paths that happen to contain its text.
func TestMaskSpansOnlyWhereTheSecretStands(t *testing.T) {
	text := "services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n      PW2: postgres\n"
	finding := strings.Index(text, "POSTGRES_PASSWORD")
	whole := strings.LastIndex(text, "postgres")
	got := NewMasker([]string{"postgres"}).MaskSpans(text, []Span{
		{Start: finding, End: finding + len("POSTGRES_PASSWORD: postgres")},
		{Start: whole, End: whole + len("postgres"), Whole: "postgres"},
	})
	want := "services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: po****\n      PW2: po****\n"
	if got != want {
		t.Errorf("MaskSpans =\n%s\nwant\n%s", got, want)
	}
}

// A whole span is masked all, whatever its text: an escaped scalar or a
// block scalar with its indentation, keeping its lines.
func TestMaskSpansWhole(t *testing.T) {
	text := "a: \"abc\\u0064efgh\"\nb: |\r\n  line-one\r\n  line-two\r\nc: 1\r\n"
	s1, e1 := 3, strings.Index(text, "\nb")
	s2, e2 := strings.Index(text, "|"), strings.Index(text, "c: 1")
	got := NewMasker(nil).MaskSpans(text, []Span{{Start: s1, End: e1, Whole: "abcdefgh"}, {Start: s2, End: e2, Whole: "line-one\nline-two\n"}})
	want := "a: ab****\nb: li****\r\n****\r\n****\r\nc: 1\r\n"
	if got != want {
		t.Errorf("MaskSpans = %q, want %q", got, want)
	}
}
