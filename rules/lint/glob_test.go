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

// TestGlobDoublestar: the cases of doublestar's documentation that the
// config's exclude relies on. ** is zero or more whole folders; it never
// matches part of a name.
func TestGlobDoublestar(t *testing.T) {
	for _, c := range []struct {
		glob, path string
		want       bool
	}{
		{"**/compose.yaml", "compose.yaml", true},
		{"**/compose.yaml", "a/b/compose.yaml", true},
		{"**/compose.yaml", "mycompose.yaml", false},
		{"**/compose.yaml", "a/mycompose.yaml", false},
		{"examples/**", "examples/", true},
		{"examples/**", "examples/a/b/compose.yaml", true},
		{"examples/**", "examplesx/compose.yaml", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/xb", false},
		{"*.yaml", "a/x.yaml", false},
		{"a/?.yaml", "a/x.yaml", true},
		{"a/?.yaml", "a//.yaml", false},
	} {
		g, err := NewGlob(c.glob)
		if err != nil {
			t.Fatalf("%q: %v", c.glob, err)
		}
		if got := g.Match(c.path); got != c.want {
			t.Errorf("%q on %q: %v, want %v", c.glob, c.path, got, c.want)
		}
	}
}
