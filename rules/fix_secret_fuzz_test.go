package rules

import (
	"bytes"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// FuzzDotEnvLine: every value dotEnvLine writes parses back equal with
// compose-go's dotenv, as docker compose reads .env (issue 16, item 1).
func FuzzDotEnvLine(f *testing.F) {
	for _, v := range []string{"Zx9Qw7Er5Ty3\\", `a'b`, "a\nb", `a\'b`, `\\`, `$x ${Y} $$`, `a"b\"c`, "tab\tend", "a\\nb", "\r\n", "#x", " lead", "trail "} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, value string) {
		line, ok := dotEnvLine("API_TOKEN", value)
		if !ok {
			return
		}
		got, err := dotenv.ParseWithLookup(bytes.NewReader([]byte(line+"\n")), nil)
		if err != nil {
			t.Fatalf("%q: written as %q, compose-go refuses it: %v", value, line, err)
		}
		if got["API_TOKEN"] != value || len(got) != 1 {
			t.Fatalf("%q: written as %q, read back as %q", value, line, got)
		}
	})
}
