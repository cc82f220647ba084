package fixer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
	"github.com/composure-dev/composure/transform/fixer"
)

// The numbered cases 1, 2 and 3 of issue 13: fixes that loaded in place
// but broke the project as it is run. Each is built as a small project,
// fixed (written), and judged on the effective configuration by
// compose-go and, where it is available, by the real docker compose CLI.

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixFiles runs fix on the given compose files of dir (each with its
// project, as `composure fix FILE` does) and writes the result.
func fixFiles(t *testing.T, dir string, envFiles []string, names ...string) *fixer.Result {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, filepath.Join(dir, n))
	}
	specs, errs := project.Discover(paths)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := rules.All()
	cfg := lint.Config{Catalogue: all, Rules: all, Load: project.Options{Environ: []string{}, EnvFiles: envFiles}, Jobs: 1}
	res := fixer.Fix(context.Background(), specs, cfg, fixer.Options{Unsafe: true})
	for _, r := range res.Refused {
		t.Logf("refused: %s: %s", r.File, r.Reason)
	}
	return res
}

// goEnv is each service's environment as compose-go resolves it for
// `docker compose [-f F...] [--env-file E]` run in dir (env files
// included): an independent judge of the fixer's own evaluation.
func goEnv(t *testing.T, dir string, files, envFiles []string) (map[string]map[string]*string, error) {
	t.Helper()
	var abs []string
	for _, f := range files {
		abs = append(abs, filepath.Join(dir, f))
	}
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory(dir), cli.WithName("casetest")}
	if len(envFiles) > 0 {
		var e []string
		for _, f := range envFiles {
			e = append(e, filepath.Join(dir, f))
		}
		opts = append(opts, cli.WithEnvFiles(e...))
	} else {
		opts = append(opts, cli.WithEnvFiles())
	}
	// COMPOSE_PROFILES, from the environment or .env, as docker compose.
	opts = append(opts, cli.WithDotEnv, cli.WithDefaultProfiles())
	po, err := cli.NewProjectOptions(abs, opts...)
	if err != nil {
		return nil, err
	}
	p, err := po.LoadProject(context.Background())
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*string{}
	for name, s := range p.Services {
		out[name] = s.Environment
	}
	return out, nil
}

// judge returns each service's environment for a run, from compose-go and
// from the docker compose CLI when there is one (they must agree).
func judge(t *testing.T, dir string, files, envFiles []string) (map[string]map[string]*string, error) {
	t.Helper()
	env, err := goEnv(t, dir, files, envFiles)
	if c := cliOrNil(t); c != nil {
		var args []string
		for _, f := range files {
			args = append(args, "-f", f)
		}
		for _, e := range envFiles {
			args = append(args, "--env-file", e)
		}
		cenv, cerr := composeEnv(t, c, dir, args...)
		if (err == nil) != (cerr == nil) {
			t.Errorf("compose-go (%v) and docker compose (%v) disagree on whether %v loads", err, cerr, files)
		}
		if err == nil && cerr == nil {
			for svc, vars := range env {
				for k, v := range vars {
					cv := cenv[svc][k]
					if (v == nil) != (cv == nil) || v != nil && *v != *cv {
						t.Errorf("compose-go and docker compose disagree on %s's %s", svc, k)
					}
				}
			}
		}
	}
	return env, err
}

func cliOrNil(t *testing.T) []string {
	var found []string
	t.Run("docker-compose-cli", func(t *testing.T) { found = composeCLI(t) })
	return found
}

func val(env map[string]map[string]*string, svc, k string) (string, bool) {
	v, ok := env[svc][k]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

func withheldFor(res *fixer.Result, rule string) []fixer.Withheld {
	var out []fixer.Withheld
	for _, w := range res.Withheld {
		if w.Rule == rule {
			out = append(out, w)
		}
	}
	return out
}

// Case 1: env_file [.env] sets POSTGRES_PASSWORD, and the environment
// entry passes it on. Moving the entry to POSTGRES_PASSWORD_FILE leaves
// the env file's POSTGRES_PASSWORD: postgres refuses both. The fix is
// withheld, and the container still gets its password once.
func TestCaseVarAndVarFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    env_file: [.env]\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
		".env":         "POSTGRES_PASSWORD=Zq8vLr2pTm5wXy7k\n",
		".gitignore":   ".env\n",
	})
	res := fixFiles(t, dir, nil, "compose.yaml")
	w := withheldFor(res, "secret-interpolated-environment")
	if len(w) != 1 || !strings.Contains(w[0].Reason, "both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE") {
		t.Fatalf("the _FILE fix was not withheld for VAR and VAR_FILE: %+v", res.Withheld)
	}
	if strings.Contains(w[0].Reason, "Zq8v") {
		t.Errorf("the reason shows the secret: %s", w[0].Reason)
	}
	env, err := judge(t, dir, []string{"compose.yaml"}, nil)
	if err != nil {
		t.Fatalf("the fixed project does not load: %v", err)
	}
	if v, _ := val(env, "db", "POSTGRES_PASSWORD"); v != "Zq8vLr2pTm5wXy7k" {
		t.Errorf("db lost its password")
	}
	if _, both := val(env, "db", "POSTGRES_PASSWORD_FILE"); both {
		t.Errorf("db gets both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE")
	}
}

// Case 1 without the env file: the same fix is made, and the container
// gets the same password through the secret file.
func TestCaseVarFileWithoutEnvFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
		".env":         "POSTGRES_PASSWORD=Zq8vLr2pTm5wXy7k\n",
		".gitignore":   ".env\n",
	})
	res := fixFiles(t, dir, nil, "compose.yaml")
	if len(res.Withheld) > 0 {
		t.Fatalf("withheld a fix that keeps the run: %+v", res.Withheld)
	}
	if res.Applied["secret-interpolated-environment"] != 1 {
		t.Fatalf("the _FILE fix was not made: %v", res.Applied)
	}
	env, err := judge(t, dir, []string{"compose.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := val(env, "db", "POSTGRES_PASSWORD"); ok {
		t.Errorf("db still gets POSTGRES_PASSWORD beside the _FILE form")
	}
	if v, _ := val(env, "db", "POSTGRES_PASSWORD_FILE"); !strings.HasPrefix(v, "/run/secrets/") {
		t.Errorf("db gets no POSTGRES_PASSWORD_FILE: %q", v)
	}
}

// Case 2: two compose files side by side share one .env, each with its
// own default for NEXTAUTH_SECRET. Moving either default into .env hands
// it to the other file's run. Both fixes are withheld, whether the user
// fixes both files or only one, and each run keeps its own value.
func TestCaseSiblingsShareDotEnv(t *testing.T) {
	for _, linted := range [][]string{{"docker-compose.yml", "docker-compose.dev.yml"}, {"docker-compose.dev.yml"}} {
		t.Run(strings.Join(linted, "+"), func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"docker-compose.yml":     "services:\n  web:\n    image: node:20\n    environment:\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:-prodDefault7Kq2Wm9}\n",
				"docker-compose.dev.yml": "services:\n  web:\n    image: node:20\n    environment:\n      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET:-devDefault3Xp8Rn4}\n",
			})
			res := fixFiles(t, dir, nil, linted...)
			if len(withheldFor(res, "secret-in-environment")) != len(linted) {
				t.Errorf("want the default moves withheld for %v, got %+v", linted, res.Withheld)
			}
			for _, w := range res.Withheld {
				if strings.Contains(w.Reason, "Default") {
					t.Errorf("the reason shows a secret: %s", w.Reason)
				}
			}
			for file, want := range map[string]string{"docker-compose.yml": "prodDefault7Kq2Wm9", "docker-compose.dev.yml": "devDefault3Xp8Rn4"} {
				env, err := judge(t, dir, []string{file}, nil)
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				if v, _ := val(env, "web", "NEXTAUTH_SECRET"); v != want {
					t.Errorf("%s runs with another NEXTAUTH_SECRET", file)
				}
			}
		})
	}
}

// Case 3: the project documents `docker compose --env-file defaults.env
// up`. Moving a secret into .env, which that run does not read, makes it
// fail ("required variable ... is missing a value"): withheld, and the
// documented run still loads with its value. The secret that can go to a
// compose secret file (read in every run) is still moved.
func TestCaseEnvFileRun(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"compose.yaml": "services:\n  app:\n    image: example/app:1\n    ports: [\"${APP_PORT}:80\"]\n    environment:\n      API_TOKEN: tok-9fQ2mZ7xLp4Rw8Kd\n" +
			"  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Hn4Tq9Wz2Lk7Vx5p\n    volumes:\n      - db-data:/var/lib/postgresql/data\nvolumes:\n  db-data:\n",
		"defaults.env": "APP_PORT=8080\n",
		"README.md":    "Run it:\n\n    docker compose --env-file defaults.env up -d\n",
	})
	res := fixFiles(t, dir, nil, "compose.yaml")
	w := withheldFor(res, "secret-in-environment")
	if len(w) != 1 || w[0].Service != "app" || !strings.Contains(w[0].Reason, "--env-file defaults.env") || !strings.Contains(w[0].Reason, "README.md") {
		t.Fatalf("the .env move of app's API_TOKEN was not withheld for the documented run: %+v", res.Withheld)
	}
	if strings.Contains(w[0].Reason, "9fQ2") {
		t.Errorf("the reason shows the secret: %s", w[0].Reason)
	}
	env, err := judge(t, dir, []string{"compose.yaml"}, []string{"defaults.env"})
	if err != nil {
		t.Fatalf("the documented run no longer loads: %v", err)
	}
	if v, _ := val(env, "app", "API_TOKEN"); v != "tok-9fQ2mZ7xLp4Rw8Kd" {
		t.Errorf("app lost API_TOKEN in the documented run")
	}
	if _, ok := val(env, "db", "POSTGRES_PASSWORD"); ok {
		t.Errorf("db's password was not moved to a compose secret")
	}
	if v, _ := val(env, "db", "POSTGRES_PASSWORD_FILE"); !strings.HasPrefix(v, "/run/secrets/") {
		t.Errorf("db gets no POSTGRES_PASSWORD_FILE: %q", v)
	}
}

// A sibling's service behind a profile the run does not enable names an
// env file that is missing: docker compose reads the env files of the
// services it starts only, so the sibling still starts, and its other
// service loads .env whole. Moving a secret into .env would hand it to
// that service: withheld, and the sibling's run keeps what it had. With
// the profile enabled (COMPOSE_PROFILES in .env) the sibling does not
// start at all, and the move is made.
func TestCaseProfiledSiblingMissingEnvFile(t *testing.T) {
	for _, tc := range []struct {
		name, dotEnv string
		starts       bool
	}{
		{"profile off", "OTHER=1\n", true},
		{"profile on", "OTHER=1\nCOMPOSE_PROFILES=debug\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"a.compose.yaml":     "services:\n  api:\n    image: example.org/api:1\n    environment:\n      SIGNING_KEY: \"Hn4Tq9Wz2Lk7Vx5pR\"\n",
				"whole.compose.yaml": "services:\n  cron:\n    image: example.org/cron:1\n    env_file: .env\n  debug:\n    image: example.org/debug:1\n    profiles: [debug]\n    env_file: debug.env\n",
				".env":               tc.dotEnv,
			})
			before, err := judge(t, dir, []string{"whole.compose.yaml"}, nil)
			if (err == nil) != tc.starts {
				t.Fatalf("whole.compose.yaml loads: %v, want %v (%v)", err == nil, tc.starts, err)
			}
			res := fixFiles(t, dir, nil, "a.compose.yaml")
			withheld := withheldFor(res, "secret-in-environment")
			if (len(withheld) > 0) != tc.starts {
				t.Fatalf("withheld %+v, want the move withheld: %v", res.Withheld, tc.starts)
			}
			if !tc.starts {
				return
			}
			if !strings.Contains(withheld[0].Reason, `"cron" would get SIGNING_KEY`) {
				t.Errorf("reason %q: want cron named", withheld[0].Reason)
			}
			after, err := judge(t, dir, []string{"whole.compose.yaml"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, got := val(after, "cron", "SIGNING_KEY"); got || len(after["cron"]) != len(before["cron"]) {
				t.Errorf("cron's environment changed: %d variables before, %d after", len(before["cron"]), len(after["cron"]))
			}
		})
	}
}
