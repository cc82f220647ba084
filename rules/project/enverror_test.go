package project

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnvFileErrorsHideValues: compose-go's dotenv errors quote the line
// or the value they refuse; the error composure shows keeps the key and
// the position, never the text after the key (issue 16, items 2 and 13).
func TestEnvFileErrorsHideValues(t *testing.T) {
	const secret = "Zx9Qw7Er5Ty3"
	cases := []struct {
		env       string
		line, col int
		want      string
	}{
		{"X=1\nPW=\"" + secret + "\nY=2\n", 2, 4, "unterminated quoted value"},
		{"DB/PASSWORD=" + secret + "\n", 1, 3, `unexpected character "/" in variable name "DB/PASSWORD"`},
		{"POSTGRES_PASSWORD " + secret + "!\n", 1, 31, `variable name "POSTGRES_PASSWORD" is followed by text`},
		{secret + "!\n", 1, 13, `unexpected character "!" in a line with no =`},
		{"POSTGRES_PASSWORD " + secret + "\n", 1, 1, "cannot contain a space"},
		{"X=1\nPW=" + secret + "${A\n", 2, 1, "invalid interpolation format"},
		{"\uFEFFPW=" + secret + "${A\n", 1, 1, "invalid interpolation format"},
	}
	for _, c := range cases {
		for _, explicit := range []bool{false, true} {
			dir := writeTree(t, map[string]string{
				"compose.yaml": "services:\n  db:\n    image: postgres:16\n",
				".env":         c.env,
				"other.env":    c.env,
			})
			opts := Options{Environ: []string{}}
			if explicit {
				opts.EnvFiles = []string{filepath.Join(dir, "other.env")}
			}
			_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, opts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: want an *Error, got %v", c.env, err)
			}
			if strings.Contains(e.Error(), secret[:6]) {
				t.Errorf("%q: the error shows the value: %s", c.env, e)
			}
			if !strings.Contains(e.Msg, c.want) || e.Line != c.line || e.Column != c.col {
				t.Errorf("%q (--env-file %v): got %d:%d %q, want %d:%d %q", c.env, explicit, e.Line, e.Column, e.Msg, c.line, c.col, c.want)
			}
		}
	}
}

// TestBareTokenComposeFileHidden: a compose file that is one token (a
// secret pasted into the wrong file) is not quoted back by yaml's error.
func TestBareTokenComposeFileHidden(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "Zx9Qw7Er5Ty3abcdef\n"})
	_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
	if err == nil || strings.Contains(err.Error(), "Zx9Q") {
		t.Fatalf("want an error without the token, got %v", err)
	}
}

// TestLoadErrorPositions: errors compose-go gives without a position
// (a null top-level section, a value its decoder cannot convert) get the
// file, line and column of the attribute, in one line (issue 16, item 13).
func TestLoadErrorPositions(t *testing.T) {
	for _, c := range []struct {
		yaml      string
		line, col int
		want      string
	}{
		{"services:\n", 1, 1, "services must be a mapping"},
		{"services:\n  a:\n    image: x\nvolumes:\n", 4, 1, "volumes must be a mapping"},
		{"services:\n  a:\n    image: x\n    mem_limit: lots\n", 4, 5, "services.a.mem_limit: invalid size"},
		{"services:\n  a:\n    image: x\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: forever\n", 6, 7, "services.a.healthcheck.interval: time: invalid duration"},
	} {
		dir := writeTree(t, map[string]string{"compose.yaml": c.yaml})
		_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: want an *Error, got %v", c.yaml, err)
		}
		if e.Line != c.line || e.Column != c.col || !strings.Contains(e.Msg, c.want) || strings.Contains(e.Msg, "\n") {
			t.Errorf("%q: got %d:%d %q, want %d:%d %q on one line", c.yaml, e.Line, e.Column, e.Msg, c.line, c.col, c.want)
		}
	}
}
