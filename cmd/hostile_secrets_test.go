package cmd

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/composure-dev/composure/cmd/report"
)

// Issue #6: no secret leaves through output. A project full of secrets is
// linted in every format report.Formats() lists (text also as on a
// terminal, with source lines), shown with `fix --diff`, fixed, and linted
// again; no secret value appears on stdout or stderr, and after the fix
// every secret is still somewhere on disk (moved, never lost), while the
// secret files and .env hold nothing but them.

// leakSecrets builds provider-format tokens and passwords at run time, so
// this file holds no literal token.
func leakSecrets() map[string]string {
	rng := rand.New(rand.NewPCG(1, 6))
	pick := func(n int, alphabet string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return map[string]string{
		"github":   "gh" + "p_" + pick(36, alnum),
		"aws":      "AK" + "IA" + pick(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
		"slack":    "xo" + "xb-" + pick(12, "0123456789") + "-" + pick(12, "0123456789") + "-" + pick(24, alnum),
		"stripe":   "sk" + "_live_" + pick(24, alnum),
		"gitlab":   "gl" + "pat-" + pick(20, alnum),
		"npm":      "np" + "m_" + pick(36, "abcdefghijklmnopqrstuvwxyz0123456789"),
		"google":   "AI" + "za" + pick(35, alnum),
		"sendgrid": "S" + "G." + pick(22, alnum) + "." + pick(43, alnum),
		"postgres": "pg-" + pick(20, alnum),
		"mysql":    "my-" + pick(20, alnum),
		"url":      "url-" + pick(20, alnum),
		"default":  "def-" + pick(20, alnum),
		"list":     "lst-" + pick(20, alnum),
		"command":  "cmd-" + pick(20, alnum),
		"envfile":  "env-" + pick(20, alnum),
	}
}

func leakProject(t *testing.T, s map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	compose := fmt.Sprintf(`services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: %q
  mysql:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: %s
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -uroot -p%s"]
  app:
    image: example/app:1
    command: ["serve", "--password=%s"]
    env_file: app.env
    build:
      context: .
      args:
        NPM_TOKEN: %s
    environment:
      GITHUB_TOKEN: %s
      AWS_ACCESS_KEY_ID: %s
      SLACK_BOT_TOKEN: %s
      STRIPE_KEY: %s
      GITLAB_TOKEN: %s
      GOOGLE_API_KEY: %s
      SENDGRID_API_KEY: %s
      DATABASE_URL: "postgres://app:%s@db:5432/app"
      API_SECRET: "${API_SECRET:-%s}"
  worker:
    image: example/worker:1
    environment:
      - REDIS_PASSWORD=%s
`, s["postgres"], s["mysql"], s["mysql"], s["command"], s["npm"], s["github"], s["aws"], s["slack"], s["stripe"], s["gitlab"], s["google"], s["sendgrid"], s["url"], s["default"], s["list"])
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "app.env"), []byte("LOG_LEVEL=info\nSECRET_KEY="+s["envfile"]+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM scratch\n"), 0o644))
	return dir
}

func execute(tty bool, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = Execute(&IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, OutTTY: tty, Getenv: func(string) string { return "" }}, args)
	return out.String(), errb.String(), code
}

func TestHostileNoSecretInOutput(t *testing.T) {
	s := leakSecrets()
	dir := leakProject(t, s)
	assertNoLeak := func(what, out string) {
		t.Helper()
		for name, v := range s {
			if strings.Contains(out, v) {
				t.Errorf("%s shows the %s secret", what, name)
			}
		}
	}
	reported := 0
	for _, format := range report.Formats() {
		for _, tty := range []bool{false, true} {
			out, errOut, code := execute(tty, "lint", "--format", format, "--color", "always", dir)
			if code != ExitFindings {
				t.Errorf("lint --format %s: exit %d\n%s", format, code, errOut)
			}
			assertNoLeak(fmt.Sprintf("lint --format %s (tty %v)", format, tty), out+errOut)
			reported += len(out)
		}
	}
	if reported == 0 {
		t.Fatal("no output at all")
	}
	// The text report names each kind of secret: the test would be
	// vacuous if the fixture's secrets were not found.
	out, _, _ := execute(false, "lint", "--format", "json", dir)
	for _, rule := range []string{"secret-in-environment", "secret-in-env-file", "secret-in-build-args", "secret-in-command"} {
		if !strings.Contains(out, `"rule": "`+rule+`"`) {
			t.Errorf("no %s finding: the fixture does not exercise it", rule)
		}
	}
	// `fix --diff` masks every secret the run found, fixed or not, also on
	// the context lines of a hunk.
	knownDiffLeaks := map[string]bool{}
	for _, format := range []string{"text", "json"} {
		out, errOut, _ := execute(false, "fix", "--diff", "--format", format, dir)
		for name, v := range s {
			switch leaked := strings.Contains(out+errOut, v); {
			case leaked && knownDiffLeaks[name]:
				t.Logf("KNOWN GAP: fix --diff --format %s shows the %s secret on a context line", format, name)
			case leaked:
				t.Errorf("fix --diff --format %s shows the %s secret", format, name)
			case knownDiffLeaks[name]:
				t.Logf("fix --diff no longer shows the %s secret: drop it from knownDiffLeaks", name)
			}
		}
		if format == "text" && !strings.Contains(out, "+++ b/") {
			t.Errorf("fix --diff shows no diff:\n%s", out)
		}
	}
	out, errOut, code := execute(false, "fix", "--unsafe-fixes", dir)
	if code == ExitInternal || code == ExitIncomplete {
		t.Fatalf("fix: exit %d\n%s", code, errOut)
	}
	assertNoLeak("fix", out+errOut)
	for _, format := range report.Formats() {
		out, errOut, _ := execute(true, "lint", "--format", format, dir)
		assertNoLeak("lint after fix --format "+format, out+errOut)
	}

	// Every secret is still on disk, and the secret files and .env hold
	// only secrets.
	var disk bytes.Buffer
	secretFiles, _ := filepath.Glob(filepath.Join(dir, "secrets", "*"))
	if len(secretFiles) == 0 {
		t.Fatal("fix created no secret file")
	}
	isSecret := func(v string) bool {
		for _, x := range s {
			if v == x {
				return true
			}
		}
		return false
	}
	holdsSecret := func(v string) bool { // a whole URL moves with its password
		for _, x := range s {
			if strings.Contains(v, x) {
				return true
			}
		}
		return false
	}
	for _, f := range secretFiles {
		b, err := os.ReadFile(f)
		must(t, err)
		if !isSecret(string(b)) {
			t.Errorf("%s holds %q, not one of the secrets", filepath.Base(f), b)
		}
		disk.Write(b)
	}
	env, _ := os.ReadFile(filepath.Join(dir, ".env"))
	for _, line := range strings.Split(strings.TrimSpace(string(env)), "\n") {
		if line == "" {
			continue
		}
		_, v, _ := strings.Cut(line, "=")
		if v = strings.Trim(v, `'"`); !holdsSecret(v) {
			t.Errorf(".env line %q holds no secret", line)
		}
	}
	disk.Write(env)
	for _, name := range []string{"compose.yaml", "app.env"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		disk.Write(b)
	}
	for name, v := range s {
		if !bytes.Contains(disk.Bytes(), []byte(v)) {
			t.Errorf("the %s secret is nowhere on disk after the fix: lost", name)
		}
	}
	compose, _ := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	moved := 0
	for _, v := range s {
		if !bytes.Contains(compose, []byte(v)) {
			moved++
		}
	}
	t.Logf("fix moved %d of %d secrets out of compose.yaml into %d secret files and %d .env lines", moved, len(s), len(secretFiles), strings.Count(string(env), "\n"))
}
