package fixer_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSecretNeverMovedIntoTrackedFile: the secret file a fix would create
// is already there with the value, and committed. Moving the secret
// "there" would leave it committed: the fix is withheld, with the reason.
func TestSecretNeverMovedIntoTrackedFile(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml":                 "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Hn4Tq9Wz2Lk7Vx5p\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
		"secrets/db-postgres-password": "Hn4Tq9Wz2Lk7Vx5p",
	})
	for _, args := range [][]string{{"init", "-q"}, {"-c", "user.email=t@t", "-c", "user.name=t", "add", "-A"}, {"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	res := fixFiles(t, dir, nil, "compose.yaml")
	w := withheldFor(res, "secret-in-environment")
	if len(w) != 1 || !strings.Contains(w[0].Reason, "tracked by git") {
		t.Fatalf("the move into a tracked secret file was not withheld: %+v (applied %v)", res.Withheld, res.Applied)
	}
	b, _ := os.ReadFile(dir + "/compose.yaml")
	if !strings.Contains(string(b), "POSTGRES_PASSWORD: Hn4Tq9Wz2Lk7Vx5p") {
		t.Errorf("the compose file was changed")
	}
}
