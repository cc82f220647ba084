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
