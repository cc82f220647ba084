package cmd

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// This file tests the integration files at the repository root: the
// pre-commit hooks (.pre-commit-hooks.yaml, run for real through
// `pre-commit try-repo`) and the GitHub Action (action.yml). See
// docs/integrations.md.

// preCommitHook is one entry of .pre-commit-hooks.yaml, with the keys
// pre-commit's manifest schema accepts; loading with known fields makes a
// misspelt key fail the test.
type preCommitHook struct {
	ID                      string   `yaml:"id"`
	Name                    string   `yaml:"name"`
	Entry                   string   `yaml:"entry"`
	Language                string   `yaml:"language"`
	Alias                   string   `yaml:"alias"`
	Files                   string   `yaml:"files"`
	Exclude                 string   `yaml:"exclude"`
	Types                   []string `yaml:"types"`
	TypesOr                 []string `yaml:"types_or"`
	ExcludeTypes            []string `yaml:"exclude_types"`
	AdditionalDependencies  []string `yaml:"additional_dependencies"`
	Args                    []string `yaml:"args"`
	AlwaysRun               bool     `yaml:"always_run"`
	FailFast                bool     `yaml:"fail_fast"`
	PassFilenames           *bool    `yaml:"pass_filenames"`
	Description             string   `yaml:"description"`
	LanguageVersion         string   `yaml:"language_version"`
	LogFile                 string   `yaml:"log_file"`
	MinimumPreCommitVersion string   `yaml:"minimum_pre_commit_version"`
	RequireSerial           bool     `yaml:"require_serial"`
	Stages                  []string `yaml:"stages"`
	Verbose                 bool     `yaml:"verbose"`
}

func TestHooksFile(t *testing.T) {
	t.Run("pre-commit hooks", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("..", ".pre-commit-hooks.yaml"))
		must(t, err)
		var hooks []preCommitHook
		if err := yaml.Load(data, &hooks, yaml.WithKnownFields()); err != nil {
			t.Fatalf(".pre-commit-hooks.yaml: %v", err)
		}
		want := map[string]string{"composure": "composure lint", "composure-fix": "composure fix"}
		if len(hooks) != len(want) {
			t.Errorf("%d hooks, want %d", len(hooks), len(want))
		}
		for _, h := range hooks {
			entry, ok := want[h.ID]
			if !ok {
				t.Errorf("unexpected hook %q", h.ID)
				continue
			}
			delete(want, h.ID)
			if h.Entry != entry {
				t.Errorf("%s: entry %q, want %q", h.ID, h.Entry, entry)
			}
			if h.Language != "golang" {
				t.Errorf("%s: language %q, want golang", h.ID, h.Language)
			}
			if h.Name == "" || h.Description == "" {
				t.Errorf("%s: name and description are shown by pre-commit; set both", h.ID)
			}
			// File names follow args: "--" keeps a path starting with "-" a path.
			if len(h.Args) == 0 || h.Args[len(h.Args)-1] != "--" {
				t.Errorf("%s: args %q, want them to end with \"--\"", h.ID, h.Args)
			}
			if h.PassFilenames != nil && !*h.PassFilenames {
				t.Errorf("%s: pass_filenames is false", h.ID)
			}
			// One process sees every staged file: pre-commit's parallel
			// partitions could split a project's base and override files.
			if !h.RequireSerial {
				t.Errorf("%s: require_serial is false", h.ID)
			}
			if h.Files != `(^|/)[^/]*(compose|stack|swarm)[^/]*\.ya?ml$` {
				t.Errorf("%s: files %q, want discovery's pattern", h.ID, h.Files)
			}
			re, err := regexp.Compile(h.Files) // pre-commit uses re.search: unanchored like Go's MatchString
			if err != nil {
				t.Errorf("%s: files: %v", h.ID, err)
				continue
			}
			for _, name := range []string{
				"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
				"compose.override.yaml", // dclint's pattern misses this one
				"docker-compose.override.yml", "sub/compose.prod.yaml", "deploy/x/docker-compose.ci.yml",
				"-dir/compose.yaml", "prod.compose.yaml", "docker-stack.yml", "stack.yml",
				"composer.yaml", // matched, and skipped by composure as not compose
			} {
				if !re.MatchString(name) {
					t.Errorf("%s: files does not match %q", h.ID, name)
				}
			}
			for _, name := range []string{
				"compose.json", "compose.yaml.bak", "compose.yaml/notes.txt",
				"docs/compose.md", "docker-compose", ".gitlab-ci.yml",
			} {
				if re.MatchString(name) {
					t.Errorf("%s: files matches %q", h.ID, name)
				}
			}
		}
		for id := range want {
			t.Errorf("hook %q missing", id)
		}
	})

}

// TestPreCommitEndToEnd runs the hooks with the real pre-commit: `pre-commit
// try-repo` builds this repository's working tree with `go install ./...`
// (language: golang) and runs the hooks on a scratch git repository.
func TestPreCommitEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the pre-commit end-to-end test (it builds composure in a pre-commit environment)")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH: skipping the pre-commit end-to-end test (Debian: apt-get install pre-commit)", tool)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	start := time.Now()
	root, err := filepath.Abs("..")
	must(t, err)
	env := preCommitEnv(t, ctx)
	hooksRepo := snapshotRepo(t, ctx, root, env)

	work := t.TempDir()
	pcGit(t, ctx, env, work, "init", "-q")
	const password = "s3cr3t-Committed-pw"
	must(t, os.WriteFile(filepath.Join(work, "compose.yaml"), []byte(`services:
  db:
    image: postgres:16
    volumes:
      - db:/var/lib/postgresql/data
    environment:
      POSTGRES_PASSWORD: `+password+`

volumes:
  db:
`), 0o644))
	pcGit(t, ctx, env, work, "add", "compose.yaml")

	tryRepo := func(hook string, files ...string) (string, int) {
		t.Helper()
		args := append([]string{"try-repo", "--color=never", hooksRepo, hook, "--files"}, files...)
		cmd := exec.CommandContext(ctx, "pre-commit", args...)
		cmd.Dir = work
		cmd.Env = env
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		out := buf.String()
		if ctx.Err() != nil {
			t.Fatalf("pre-commit try-repo %s: timed out after %v\n%s", hook, time.Since(start).Round(time.Second), out)
		}
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("pre-commit try-repo %s: %v", hook, err)
		}
		t.Logf("pre-commit try-repo %s --files %s: exit %d\n%s", hook, strings.Join(files, " "), cmd.ProcessState.ExitCode(), out)
		skipIfNoGoEnvironment(t, out)
		if strings.Contains(out, "An unexpected error has occurred") {
			t.Fatalf("pre-commit try-repo %s could not run the hook:\n%s", hook, out)
		}
		return out, cmd.ProcessState.ExitCode()
	}

	// 1. The committed password fails the lint hook, masked.
	out, code := tryRepo("composure", "compose.yaml")
	if code != 1 || !strings.Contains(out, "compose.yaml:7:7: error:") || !strings.Contains(out, "[secret-in-environment]") {
		t.Fatalf("lint hook on the committed password: exit %d, want 1 and a secret-in-environment finding at compose.yaml:7:7\n%s", code, out)
	}
	if strings.Contains(out, password) {
		t.Errorf("hook output gives the password away:\n%s", out)
	}

	// 2. The fix hook moves it to a compose secret; pre-commit fails a hook
	// that changes files.
	out, code = tryRepo("composure-fix", "compose.yaml")
	fixed, _ := os.ReadFile(filepath.Join(work, "compose.yaml"))
	if code != 1 || !strings.Contains(out, "files were modified by this hook") {
		t.Errorf("fix hook: exit %d, want 1 with modified files\n%s", code, out)
	}
	if !strings.Contains(string(fixed), "POSTGRES_PASSWORD_FILE: /run/secrets/") || strings.Contains(string(fixed), password) {
		t.Fatalf("fix hook left compose.yaml:\n%s\npre-commit:\n%s", fixed, out)
	}
	if strings.Contains(out, password) {
		t.Errorf("fix hook output gives the password away:\n%s", out)
	}
	secret, err := os.ReadFile(filepath.Join(work, "secrets", "db-postgres-password"))
	if err != nil || string(secret) != password {
		t.Errorf("secret file: %q, %v", secret, err)
	}

	// 3. The fixed file passes (the secret file itself is gitignored).
	pcGit(t, ctx, env, work, "add", "-A")
	if staged := pcGit(t, ctx, env, work, "diff", "--cached", "--name-only"); strings.Contains(staged, "secrets/") {
		t.Errorf("the secret file is staged; the fix should have gitignored it:\n%s", staged)
	}
	out, code = tryRepo("composure", "compose.yaml")
	if code != 0 || !strings.Contains(out, "Passed") {
		t.Fatalf("lint hook on the fixed file: exit %d, want 0\n%s", code, out)
	}

	// 4. Only the base file is passed, yet its override sibling is part of
	// the project: its secret is found.
	const other = "0verride-Secret-9"
	must(t, os.WriteFile(filepath.Join(work, "compose.override.yaml"), []byte(`services:
  db:
    environment:
      PGADMIN_PASSWORD: "`+other+`"
`), 0o644))
	pcGit(t, ctx, env, work, "add", "compose.override.yaml")
	out, code = tryRepo("composure", "compose.yaml")
	if code != 1 || !strings.Contains(out, "compose.override.yaml:4:7: error:") {
		t.Errorf("lint hook on compose.yaml with an override sibling: exit %d, want 1 and a finding in compose.override.yaml\n%s", code, out)
	}
	if strings.Contains(out, other) {
		t.Errorf("hook output gives the override's password away:\n%s", out)
	}

	// 5. Only an overlay is staged (compose.prod.yaml, which alone does
	// not load: its db has no image): it is linted on top of its base,
	// its secret found at its own line, with no load error. A workflow
	// named compose.yml, staged with it, is not a compose file.
	const prod = "Pr0d-Only-Secret-7"
	must(t, os.WriteFile(filepath.Join(work, "compose.prod.yaml"), []byte(`services:
  db:
    environment:
      POSTGRES_PASSWORD: "`+prod+`"
`), 0o644))
	must(t, os.MkdirAll(filepath.Join(work, ".github", "workflows"), 0o755))
	must(t, os.WriteFile(filepath.Join(work, ".github", "workflows", "compose.yml"), []byte("on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"), 0o644))
	pcGit(t, ctx, env, work, "add", "compose.prod.yaml", ".github/workflows/compose.yml")
	out, code = tryRepo("composure", "compose.prod.yaml", ".github/workflows/compose.yml")
	if code != 1 || !strings.Contains(out, "compose.prod.yaml:4:7: error:") || strings.Contains(out, "could not be loaded") {
		t.Errorf("lint hook on an overlay staged alone: exit %d, want 1, its finding and no load error\n%s", code, out)
	}
	if strings.Contains(out, prod) {
		t.Errorf("hook output gives the overlay's password away:\n%s", out)
	}
	t.Logf("pre-commit end-to-end: %v", time.Since(start).Round(time.Second))
}

// preCommitEnv is the environment of pre-commit and git: a private
// PRE_COMMIT_HOME, this build's module and build caches (pre-commit sets
// GOPATH to its environment directory, which would otherwise move the
// module cache there and download every module again), and nothing from an
// enclosing git hook (GIT_DIR, GIT_INDEX_FILE) or pre-commit run (SKIP).
func preCommitEnv(t *testing.T, ctx context.Context) []string {
	t.Helper()
	goEnv := func(name string) string {
		out, err := exec.CommandContext(ctx, "go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	modCache, buildCache := goEnv("GOMODCACHE"), goEnv("GOCACHE")
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "PRE_COMMIT") || name == "SKIP" ||
			name == "GOMODCACHE" || name == "GOCACHE" || name == "GOBIN" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PRE_COMMIT_HOME="+t.TempDir(),
		"GOMODCACHE="+modCache,
		"GOCACHE="+buildCache,
	)
}

// snapshotRepo commits the working tree of the repository at root (tracked
// and untracked files, minus ignored ones) to a new git repository and
// returns its path. try-repo on root itself would build HEAD plus changes to
// tracked files only, leaving out new files such as an uncommitted
// .pre-commit-hooks.yaml.
func snapshotRepo(t *testing.T, ctx context.Context, root string, env []string) string {
	t.Helper()
	dst := t.TempDir()
	list := pcGit(t, ctx, env, root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, rel := range strings.Split(list, "\x00") {
		if rel == "" {
			continue
		}
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree
		}
		must(t, err)
		target := filepath.Join(dst, rel)
		must(t, os.MkdirAll(filepath.Dir(target), 0o755))
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(src)
			must(t, err)
			must(t, os.Symlink(link, target))
		case info.Mode().IsRegular():
			data, err := os.ReadFile(src)
			must(t, err)
			must(t, os.WriteFile(target, data, info.Mode().Perm()))
		}
	}
	if _, err := os.Stat(filepath.Join(dst, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("snapshot of %s: %v", root, err)
	}
	pcGit(t, ctx, env, dst, "init", "-q")
	pcGit(t, ctx, env, dst, "add", "-A")
	pcGit(t, ctx, env, dst, "-c", "user.name=composure test", "-c", "user.email=test@composure.invalid",
		"-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "snapshot of the working tree")
	return dst
}

func pcGit(t *testing.T, ctx context.Context, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return string(out)
}

// skipIfNoGoEnvironment skips when pre-commit could not build the golang
// hook environment for want of network (a sandbox without the module proxy);
// any other build failure fails the test.
func skipIfNoGoEnvironment(t *testing.T, out string) {
	t.Helper()
	if !strings.Contains(out, "An unexpected error has occurred") || !strings.Contains(out, "'install'") {
		return
	}
	if slices.ContainsFunc([]string{
		"dial tcp", "no such host", "network is unreachable", "connection refused",
		"i/o timeout", "TLS handshake timeout", "GOPROXY=off", "module lookup disabled",
	}, func(s string) bool { return strings.Contains(out, s) }) {
		t.Skipf("pre-commit could not build the golang hook environment without network access:\n%s", out)
	}
}
