package project

import (
	"context"
	"errors"
	"fmt"
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

// TestEnvFileRefusedLikeCompose: an env_file compose-go's parser refuses
// makes docker compose refuse the project; the lint says so with the
// place, and never the value (was: skipped, "no problems") (issue 16,
// item 8).
func TestEnvFileRefusedLikeCompose(t *testing.T) {
	for _, env := range []string{
		"A=1\nPOSTGRES_PASSWORD Zx9Qw7Er5Ty3!\n",
		"A=1\nPOSTGRES_PASSWORD=\"Zx9Qw7\"Er5Ty3!\n",
		"A=1\nPOSTGRES_PASSWORD=\"Zx9Qw7Er5Ty3\n",
	} {
		dir := writeTree(t, map[string]string{
			"compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n",
			"db.env":       env,
		})
		_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
		var e *Error
		if !errors.As(err, &e) || filepath.Base(e.File) != "db.env" || e.Line != 2 || e.Column == 0 {
			t.Errorf("%q: got %v, want an error at db.env:2:col", env, err)
			continue
		}
		if strings.Contains(e.Error(), "Zx9Q") || strings.Contains(e.Error(), "Er5T") {
			t.Errorf("%q: the error shows the value: %s", env, e)
		}
	}
}

// TestConfirmDotEnv: an entry is Exact only when compose-go reads its
// lines as that entry alone with that value; a key set twice is Repeated.
func TestConfirmDotEnv(t *testing.T) {
	src := "A=1\nB=\"x\"y\nC='lit$x' # c\nD=\"a\\\"b\"\nA=2\nE=\"x\" F=1\nexport G=${A}-$$\n"
	es := parseDotEnv([]byte(src))
	if err := confirmDotEnv([]byte(src), es); err != nil {
		t.Fatal(err)
	}
	got := map[string][2]bool{}
	for _, e := range es {
		got[fmt.Sprintf("%s@%d", e.Key, 1+strings.Count(src[:e.KeyOffset], "\n"))] = [2]bool{e.Exact, e.Repeated}
	}
	want := map[string][2]bool{
		"A@1": {false, true}, // compose-go's A is the last one's
		"B@2": {false, false},
		"C@3": {true, false},
		"D@4": {true, false},
		"A@5": {true, true},
		"E@6": {false, false},
		"G@7": {true, false},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: exact, repeated = %v, want %v", k, got[k], w)
		}
	}
}
