package fixer

import "testing"

func TestContainsName(t *testing.T) {
	tests := []struct {
		src, name string
		want      bool
	}{
		{"MYSQL_PASSWORD: ${MYSQL_PASSWORD}", "PASS", false},
		{"MYSQL_PASSWORD: ${MYSQL_PASSWORD}", "PASSWORD", false},
		{"MYSQL_PASSWORD: ${MYSQL_PASSWORD}", "MYSQL_PASSWORD", true},
		{"x: $PASS", "PASS", true},
		{"x: ${PASS:-a}", "PASS", true},
		{"x: $PASSx", "PASS", false},
		{"environment:\n  - PASS\n", "PASS", true},
		{"environment: {PASS: }", "PASS", true},
		{"PASS", "PASS", true},
		{"a PASS_2 b PASS", "PASS", true},
		{"x: ${a.b}", "a.b", true},
		{"x", "", false},
	}
	for _, tt := range tests {
		if got := containsName([]byte(tt.src), tt.name); got != tt.want {
			t.Errorf("containsName(%q, %q) = %v, want %v", tt.src, tt.name, got, tt.want)
		}
	}
}

// envChange.in finds the same names as containsName, for names of name
// bytes (looked up word by word) and others (searched for).
func TestEnvChangeIn(t *testing.T) {
	r := &Result{}
	seen := map[string]string{"KEEP": "1", "GONE": "x"}
	vars := map[string]string{"KEEP": "1", "PASS": "new", "a.b": "y"}
	c := r.changedNames("/p/.env", seen, vars)
	if c2 := r.changedNames("/p/.env", map[string]string{"KEEP": "1", "GONE": "x"}, vars); c2 != c {
		t.Error("an equal .env read again computed the change again")
	}
	if c.compose {
		t.Error("compose set without a COMPOSE_ variable")
	}
	for src, want := range map[string]bool{
		"x: ${PASS}":             true,  // added
		"x: ${GONE:-d}":          true,  // removed
		"x: ${KEEP}":             false, // unchanged
		"MYSQL_PASSWORD: secret": false, // PASS inside a longer name
		"x: ${a.b}":              true,  // a name with other bytes
		"x: a.bc":                false,
		"- PASS":                 true,
	} {
		if got := c.in([]byte(src)); got != want {
			t.Errorf("in(%q) = %v, want %v", src, got, want)
		}
	}
	if !r.changedNames("/q/.env", nil, map[string]string{"COMPOSE_PROFILES": "x"}).compose {
		t.Error("a changed COMPOSE_ variable not flagged")
	}
}
