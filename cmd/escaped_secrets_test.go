package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/cmd/report"
)

// A secret the file spells with YAML escapes (a doubled single quote,
// "\u0064", "\t") or over several lines (a private key in a `|` block)
// is masked as the file spells it: a source line or a diff line shows the
// raw bytes, not the decoded value the rules found.
func TestEscapedSecretsNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	src := `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: 'it''sQuotedPlant1'
      MYSQL_PASSWORD: "abc\u0064efEscPlant2"
      REDIS_PASSWORD: "tab\tTabPlant3xyz"
      TLS_KEY: |
        -----BEGIN RSA PRIVATE KEY-----
        MIIEpAIBAAKCAQEAblockPlant4c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0
        cmV0c2VjblockPlant5c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0
        -----END RSA PRIVATE KEY-----
    volumes: [pg:/var/lib/postgresql/data]
volumes: {pg: {}}
`
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(src), 0o644))
	plants := []string{"QuotedPlant1", "EscPlant2", "TabPlant3", "blockPlant4", "blockPlant5"}
	check := func(what, out string) {
		t.Helper()
		for _, p := range plants {
			if strings.Contains(out, p) {
				t.Errorf("%s shows %s:\n%s", what, p, out)
			}
		}
	}
	out, _, _ := execute(false, "lint", "--format", "json", dir)
	if n := strings.Count(out, `"rule": "secret-in-environment"`); n != 4 {
		t.Fatalf("%d secret-in-environment findings, want 4: the test would be vacuous\n%s", n, out)
	}
	for _, format := range report.Formats() {
		out, errOut, _ := execute(true, "lint", "--format", format, "--color", "never", dir)
		check("lint --format "+format+" on a terminal", out+errOut)
	}
	out, errOut, _ := execute(false, "fix", "--diff", dir)
	if !strings.Contains(out, "-      POSTGRES_PASSWORD: ") || !strings.Contains(out, "TLS_KEY: |") {
		t.Fatalf("the diff does not show the lines this test is about:\n%s", out)
	}
	check("fix --diff", out+errOut)
}
