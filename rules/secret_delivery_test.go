package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
)

// A literal secret for a process that cannot read a 0600 file, when no
// environment secret can carry it (a read-only service: compose refuses
// them there), still moves to a secret file, but the fix is unsafe and
// says what to do; one that reads as root, or an unknown user, stays safe.
func TestSecretDeliveryFallback(t *testing.T) {
	dir := t.TempDir()
	compose := `services:
  ro:
    image: bitnami/postgresql:16
    read_only: true
    environment:
      POSTGRES_PASSWORD: ro-pass-1
  ro-named:
    image: postgres:16
    user: postgres
    read_only: true
    environment:
      POSTGRES_PASSWORD: ro-pass-2
  ro-root:
    image: postgres:16
    read_only: true
    environment:
      POSTGRES_PASSWORD: ro-pass-3
  capless:
    image: postgres:16
    cap_drop: [ALL]
    environment:
      POSTGRES_PASSWORD: capless-pass-4
  es:
    image: elasticsearch:8.15.0
    environment:
      ELASTIC_PASSWORD: es-pass-5
`
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, _ := lintRuleWith(t, dir, rules.SecretInEnvironment, lint.RunOptions{SecretsDir: "secrets"})
	got := map[string]*lint.Fix{}
	for _, f := range fs {
		got[f.Service] = f.Fix
	}
	for _, tc := range []struct {
		service, app, title, note string
	}{
		{"ro", "unsafe", "compose secret ro-postgres-password", "run `sudo chown 1001 ./secrets/ro-postgres-password`"},
		{"ro-named", "unsafe", "compose secret ro-named-postgres-password", "reads ./secrets/ro-named-postgres-password as user: postgres, but the file is yours with mode 0600: chown it"},
		{"ro-root", "safe", "compose secret ro-root-postgres-password", ""},
		// root without CAP_DAC_OVERRIDE reads by mode: an environment
		// secret, mode 0444.
		{"capless", "safe", "(mode 0444: uid 0 reads it)", ""},
		// elasticsearch refuses a 0444 file: the 0600 file, chowned.
		{"es", "unsafe", "compose secret es-elastic-password", "run `sudo chown 1000 ./secrets/es-elastic-password`"},
	} {
		fix := got[tc.service]
		if fix == nil {
			t.Errorf("%s: no fix", tc.service)
			continue
		}
		if fix.Applicability.String() != tc.app || !strings.Contains(fix.Title, tc.title) {
			t.Errorf("%s: %s fix %q, want %s with %q", tc.service, fix.Applicability, fix.Title, tc.app, tc.title)
		}
		notes := strings.Join(fix.Notes, "\n")
		if tc.note == "" && strings.Contains(notes, "mode 0600") || !strings.Contains(notes, tc.note) {
			t.Errorf("%s: notes %q, want %q", tc.service, notes, tc.note)
		}
	}
}

// An interpolated secret becomes an environment secret (mode 0444 for a
// reader that is not root), except for elasticsearch, which refuses a
// file others can read: no fix there.
func TestInterpolatedSecretDelivery(t *testing.T) {
	dir := t.TempDir()
	compose := `services:
  es:
    image: elasticsearch:8.15.0
    environment:
      ELASTIC_PASSWORD: ${ES_PASSWORD}
  grafana:
    image: grafana/grafana:11.2.0
    environment:
      GF_SECURITY_ADMIN_PASSWORD: ${GF_PASSWORD}
`
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, _ := lintRuleWith(t, dir, rules.SecretInterpolatedEnvironment, lint.RunOptions{SecretsDir: "secrets"})
	got := map[string]*lint.Fix{}
	for _, f := range fs {
		got[f.Service] = f.Fix
	}
	if len(fs) != 2 || got["es"] != nil {
		t.Errorf("es: want a finding without a fix, got %d findings, fix %+v", len(fs), got["es"])
	}
	fix := got["grafana"]
	if fix == nil {
		t.Fatal("grafana: no fix")
	}
	var text string
	for _, e := range fix.Edits {
		text += e.New
	}
	if !strings.Contains(text, "{source: grafana-gf-security-admin-password, mode: 0444}") || strings.Contains(text, "uid") {
		t.Errorf("grafana's grant: %q", text)
	}
}
