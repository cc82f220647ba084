package rules

import (
	"strings"
	"testing"
)

// TestDotEnvFixDoesNotSpread (issue 13, point 9; hoppscotch): a secret
// moved into the project's .env reaches every service that loads .env
// with env_file, so the move is withheld when one of them did not have
// that value; it stays when each already has it.
func TestDotEnvFixDoesNotSpread(t *testing.T) {
	const url = "postgresql://postgres:Qw7Er5Ty3Ui9Op@db:5432/app"
	backend := "  backend:\n    image: example/backend:1\n    env_file: .env\n    environment:\n      DATABASE_URL: " + url + "\n"
	for _, tc := range []struct {
		name, other string
		fixed       bool
	}{
		{"another loader would gain it", "  frontend:\n    image: example/frontend:1\n    env_file: .env\n", false},
		{"the other loader has the same value", "  aio:\n    image: example/aio:1\n    env_file: .env\n    environment:\n      - DATABASE_URL=" + url + "\n", true},
		{"the other service does not load .env", "  frontend:\n    image: example/frontend:1\n", true},
		{"the other loader sets its own value", "  admin:\n    image: example/admin:1\n    env_file: .env\n    environment:\n      DATABASE_URL: sqlite:///data/admin.db\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pass := writeProject(t, map[string]string{
				"compose.yaml": "services:\n" + backend + tc.other,
				".env":         "APP_NAME=hoppscotch\n",
			}, SecretInEnvironment)
			SecretInEnvironment.Check(pass)
			var got []string
			for _, f := range pass.Findings() {
				if f.Service == "backend" {
					if f.Fix != nil {
						got = append(got, f.Fix.Title)
					} else {
						got = append(got, "no fix")
					}
				}
			}
			want := "no fix"
			if tc.fixed {
				want = "move DATABASE_URL to the gitignored .env"
			}
			if strings.Join(got, ",") != want {
				t.Errorf("backend: %q, want %q", got, want)
			}
		})
	}
}
