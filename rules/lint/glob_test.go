package lint

import "testing"

// TestIgnoreGlobClasses: path-glob reads [...] and \ as path.Match does.
func TestIgnoreGlobClasses(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"env/[ab]/*.yaml", "env/a/x.yaml", true},
		{"env/[ab]/*.yaml", "env/c/x.yaml", false},
		{"env/[^a]/*.yaml", "env/b/x.yaml", true},
		{"env/[^a]x", "env//x", false},
		{"a[[]b", "a[b", true},
		{"**/x.yaml", "a/b/x.yaml", true},
	} {
		ig, err := NewIgnore("", c.glob, "", "r")
		if err != nil {
			t.Fatalf("%q: %v", c.glob, err)
		}
		if got := ig.re.MatchString(c.path); got != c.want {
			t.Errorf("%q on %q: %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}

// TestIgnoreGlobInvalid: a malformed glob is refused (issue 16, item 14).
func TestIgnoreGlobInvalid(t *testing.T) {
	for _, g := range []string{"a[b", "a\\", "[]"} {
		if _, err := NewIgnore("", g, "", "r"); err == nil {
			t.Errorf("%q: accepted", g)
		}
	}
}
