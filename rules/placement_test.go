package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/rules/lint"
)

// fixFiles writes files into a scratch project, runs check with rule r
// and returns the base names of the compose files each finding's fix
// edits (nil for a finding without a fix), by the finding's message.
func fixFiles(t *testing.T, files map[string]string, r *lint.Rule, check func(*lint.Pass)) [][]string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pass := passFor(t, dir, r)
	check(pass)
	var out [][]string
	for _, f := range pass.Findings() {
		if f.Fix == nil || f.Fix.Applicability == lint.DisplayOnly {
			out = append(out, nil)
			continue
		}
		seen := map[string]bool{}
		var edited []string
		for _, e := range f.Fix.Edits {
			if name := filepath.Base(e.File); !seen[name] {
				seen[name] = true
				edited = append(edited, name)
			}
		}
		out = append(out, edited)
	}
	return out
}

const placementBase = "services:\n  db:\n    image: postgres:16\n    env_file: db.env\n"

// TestFixPlacement (issue 13, item 8): a fix for a service the base file
// defines goes into the base file; into an override only when the
// override replaces the service whole (!override) or is the only file that
// loads the env file; and nowhere when the override replaces the key the
// fix adds to, where neither file alone would be right.
func TestFixPlacement(t *testing.T) {
	const env = "POSTGRES_PASSWORD=Qw7Er5Ty3Ui9Op\n"
	cases := []struct {
		name     string
		override string
		rule     *lint.Rule
		check    func(*lint.Pass)
		want     string // the one file the fix edits; "" for no fix
	}{
		{"volume, override adjusts the service", "services:\n  db:\n    ports: [\"5432:5432\"]\n    volumes:\n      - ./init:/docker-entrypoint-initdb.d\n",
			StatefulVolumeMissing, checkStatefulVolumeMissing, "compose.yaml"},
		{"volume, override replaces the service", "services:\n  db: !override\n    image: postgres:16\n    env_file: db.env\n",
			StatefulVolumeMissing, checkStatefulVolumeMissing, "compose.override.yaml"},
		{"volume, override replaces its volumes", "services:\n  db:\n    volumes: !override\n      - ./init:/docker-entrypoint-initdb.d\n",
			StatefulVolumeMissing, checkStatefulVolumeMissing, ""},
		{"env file, override adjusts the service", "services:\n  db:\n    ports: [\"5432:5432\"]\n",
			SecretInEnvFile, checkSecretInEnvFile, "compose.yaml"},
		{"env file, override adds secrets of its own", "services:\n  db:\n    secrets: [other]\nsecrets:\n  other:\n    file: ./other.txt\n",
			SecretInEnvFile, checkSecretInEnvFile, "compose.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fixFiles(t, map[string]string{"compose.yaml": placementBase, "compose.override.yaml": c.override, "db.env": env, "other.txt": "x"}, c.rule, c.check)
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			if strings.Join(got[0], ",") != c.want {
				t.Errorf("fix edits %v, want %q", got[0], c.want)
			}
		})
	}
}

// TestEnvFileMovePlacement: the grant goes where env_file loads the file;
// when only the override loads it, the base file (and so every run
// without the override) is left as it is.
func TestEnvFileMovePlacement(t *testing.T) {
	got := fixFiles(t, map[string]string{
		"compose.yaml":          "services:\n  db:\n    image: postgres:16\n",
		"compose.override.yaml": "services:\n  db:\n    env_file: [./db.env]\n",
		"db.env":                "POSTGRES_PASSWORD=Qw7Er5Ty3Ui9Op\n",
	}, SecretInEnvFile, checkSecretInEnvFile)
	if len(got) != 1 || strings.Join(got[0], ",") != "compose.override.yaml" {
		t.Errorf("fix edits %v, want compose.override.yaml", got)
	}
}

// TestAnonymousVolumePlacement: an anonymous volume is named where it is
// written, in the base file too when an override also adjusts the
// service (it was refused there: the service's last file was taken for
// the one that must hold the mount).
func TestAnonymousVolumePlacement(t *testing.T) {
	got := fixFiles(t, map[string]string{
		"compose.yaml":          "services:\n  db:\n    image: mysql:8.4\n    volumes:\n      - /var/lib/mysql\n",
		"compose.override.yaml": "services:\n  db:\n    ports: [\"3306:3306\"]\n",
	}, AnonymousVolume, checkAnonymousVolume)
	if len(got) != 1 || strings.Join(got[0], ",") != "compose.yaml" {
		t.Errorf("fix edits %v, want compose.yaml", got)
	}
}

// TestTmpfsFixPlacement: a tmpfs an override adds is replaced in the
// override, where it is written (the base file never had it).
func TestTmpfsFixPlacement(t *testing.T) {
	got := fixFiles(t, map[string]string{
		"compose.yaml":          "services:\n  db:\n    image: postgres:16\n",
		"compose.override.yaml": "services:\n  db:\n    tmpfs:\n      - /var/lib/postgresql/data\n",
	}, StateOnTmpfs, StateOnTmpfs.Check)
	if len(got) != 1 || strings.Join(got[0], ",") != "compose.override.yaml" {
		t.Errorf("fix edits %v, want compose.override.yaml", got)
	}
}
