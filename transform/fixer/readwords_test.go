package fixer

import "testing"

// TestReadWords: a name given a value where it stands is not one the
// file reads from the environment; every other place it may be is.
func TestReadWords(t *testing.T) {
	for _, c := range []struct {
		text string
		read bool
	}{
		{"      PASSWORD: example\n", false},
		{"      - PASSWORD=example\n", false},
		{`      "PASSWORD": "example"` + "\n", false},
		{"      PASSWORD: |\n        x\n", false},
		{"    environment: {PASSWORD: x}\n", false},
		{"      PASSWORD: ${PASSWORD}\n", true},
		{"      PASSWORD: $PASSWORD\n", true},
		{"      DB: ${PASSWORD:-x}\n", true},
		{"      PASSWORD:\n", true},
		{"      PASSWORD:", true},
		{"      PASSWORD:\r\n", true},
		{"      PASSWORD: # from the shell\n", true},
		{"      PASSWORD: ~\n", true},
		{"      PASSWORD: null\n", true},
		{"      PASSWORD: NULL # x\n", true},
		{"      PASSWORD: &pw\n", true},
		{"      PASSWORD: *pw\n", true},
		{"      PASSWORD: !!str\n", true},
		{"      - PASSWORD\n", true},
		{`      - "PASSWORD"` + "\n", true},
		{"    environment: [PASSWORD]\n", true},
		{"    environment: {PASSWORD: }\n", true},
		{"    environment: {PASSWORD: , B: x}\n", true},
		{"    environment: PASSWORD\n", true},
		{"    command: echo PASSWORD\n", true},
	} {
		got := map[string]bool{}
		readWords([]byte(c.text), got)
		if got["PASSWORD"] != c.read {
			t.Errorf("%q: PASSWORD read = %v, want %v", c.text, got["PASSWORD"], c.read)
		}
	}
}
