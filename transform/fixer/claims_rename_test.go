package fixer

import "testing"

// TestReplaceName: a secret name is replaced where it stands whole (a
// YAML key, a list item, a path's last part), never inside a longer name.
func TestReplaceName(t *testing.T) {
	for in, want := range map[string]string{
		"  db-password-3:\n    file: ./secrets/db-password-3\n": "  db-password-4:\n    file: ./secrets/db-password-4\n",
		"      - db-password-3\n":                               "      - db-password-4\n",
		"POSTGRES_PASSWORD_FILE: /run/secrets/db-password-3":    "POSTGRES_PASSWORD_FILE: /run/secrets/db-password-4",
		"db-password-31 x-db-password-3 db-password-3.txt":      "db-password-31 x-db-password-3 db-password-3.txt",
	} {
		if got := replaceName(in, "db-password-3", "db-password-4"); got != want {
			t.Errorf("replaceName(%q) = %q, want %q", in, got, want)
		}
	}
}
