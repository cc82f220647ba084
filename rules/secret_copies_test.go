package rules

import (
	"strings"
	"testing"
)

// TestSecretCopiesWithholdMove (issue 13, point 9): a literal that is also
// in an anchor or a healthcheck is not moved from one place alone; the
// message names the other places by line, never the value. Copies a fix
// moves too (another service's own entry) do not hold it back.
func TestSecretCopiesWithholdMove(t *testing.T) {
	const pw = "Qw7Er5Ty3Ui9Op"
	for _, tc := range []struct {
		name, compose string
		stuck         string // "" when the db entry is moved
	}{
		{"healthcheck", "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ROOT_PASSWORD: " + pw + "\n    healthcheck:\n      test: [\"CMD\", \"mysqladmin\", \"ping\", \"-uroot\", \"-p" + pw + "\"]\n",
			"compose.yaml:7"},
		{"anchor", "x-app-env: &app-env\n  DB_PASSWORD: " + pw + "\nservices:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ROOT_PASSWORD: " + pw + "\n  app:\n    image: example/app:1\n    environment: *app-env\n  worker:\n    image: example/worker:1\n    environment: *app-env\n",
			"compose.yaml:2"},
		{"another service's own entry", "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ROOT_PASSWORD: " + pw + "\n  app:\n    image: example/app:1\n    environment:\n      DB_PASSWORD: " + pw + "\n",
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pass := writeProject(t, map[string]string{"compose.yaml": tc.compose}, SecretInEnvironment)
			SecretInEnvironment.Check(pass)
			found := false
			for _, f := range pass.Findings() {
				if f.Service != "db" {
					continue
				}
				found = true
				if strings.Contains(f.Message, pw) {
					t.Errorf("message shows the value: %s", f.Message)
				}
				switch {
				case tc.stuck == "" && f.Fix == nil:
					t.Errorf("db: no fix (%s)", f.Message)
				case tc.stuck != "" && f.Fix != nil:
					t.Errorf("db: fix %q leaves the copy at %s", f.Fix.Title, tc.stuck)
				case tc.stuck != "" && !strings.Contains(f.Message, "/"+tc.stuck+", where no fix moves it"):
					t.Errorf("db: message does not name %s: %s", tc.stuck, f.Message)
				}
			}
			if !found {
				t.Fatal("no finding for db")
			}
		})
	}
}

// TestEnvFileSecretCopies: the same for a secret in an env file whose
// value a healthcheck repeats.
func TestEnvFileSecretCopies(t *testing.T) {
	const pw = "Qw7Er5Ty3Ui9Op"
	compose := "services:\n  db:\n    image: mysql:8.4\n    env_file: db.env\n    healthcheck:\n      test: mysqladmin ping -uroot -p" + pw + "\n"
	for _, withCopy := range []bool{true, false} {
		c := compose
		if !withCopy {
			c = strings.Replace(compose, "-p"+pw, "-p$$MYSQL_ROOT_PASSWORD", 1)
		}
		pass := writeProject(t, map[string]string{"compose.yaml": c, "db.env": "MYSQL_ROOT_PASSWORD=" + pw + "\n"}, SecretInEnvFile)
		checkSecretInEnvFile(pass)
		fs := pass.Findings()
		if len(fs) != 1 {
			t.Fatalf("copy %v: findings %+v, want one", withCopy, fs)
		}
		if got := fs[0].Fix != nil; got == withCopy || withCopy != strings.Contains(fs[0].Message, "compose.yaml:6, where no fix moves it") {
			t.Errorf("copy %v: fix %v, message %s", withCopy, got, fs[0].Message)
		}
	}
}
