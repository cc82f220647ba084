package cmd

import (
	"strings"
	"testing"

	"github.com/composure-dev/composure/transform/fixer"
)

// A withheld fix's reason names runs, services and variables: a weak
// secret ("n8n") is not masked inside those names, a strong one always
// is, and a reason that quotes a load error masks every secret.
func TestWithheldReasonMasking(t *testing.T) {
	res := &fixer.Result{
		Redact: []string{"n8n", "Zx9Qw7Er5Ty3Ui8"},
		Withheld: []fixer.Withheld{
			{File: "a.yml", Line: 1, Reason: "with `docker compose -f n8n-io__compose.yml`, service \"n8n\" would get another value for N8N_KEY"},
			{File: "b.yml", Line: 2, Reason: "with `docker compose -f x.yml`, service \"Zx9Qw7Er5Ty3Ui8\" would get DB_PASSWORD"},
			{File: "c.yml", Line: 3, Reason: "`docker compose -f y.yml` would no longer load: bad value n8n"},
		},
	}
	got := withheldFixes(res)
	if !strings.Contains(got[0].Reason, "n8n-io__compose.yml") || !strings.Contains(got[0].Reason, `service "n8n"`) {
		t.Errorf("a weak secret masked inside names: %s", got[0].Reason)
	}
	if strings.Contains(got[1].Reason, "Zx9Qw7Er5Ty3Ui8") {
		t.Errorf("a strong secret shown: %s", got[1].Reason)
	}
	if strings.Contains(got[2].Reason, "n8n") {
		t.Errorf("a load error's quoted secret shown: %s", got[2].Reason)
	}
}
