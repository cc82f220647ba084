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
