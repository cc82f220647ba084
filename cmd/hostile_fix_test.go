package cmd

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Issue #6, data safety of `composure fix` through the command line. The
// fixer-level cases (file changed after the read, symlinks out of the
// project, an existing secret file, modes) are in
// transform/fixer/hostile_fix_test.go.

// --secrets-dir must name a directory strictly inside the project.
func TestHostileFixSecretsDirOutside(t *testing.T) {
	dir, compose := fixProject(t)
	for _, bad := range []string{"../x", "/abs", "/etc", ".", "", "a/../../x", "secrets/../..", "secrets/../../x", "a\x00b", "a\nb", "..", "./.."} {
		if _, errOut, code := run(t, "fix", "--secrets-dir", bad, dir); code != ExitIncomplete || !strings.Contains(errOut, "--secrets-dir") {
			t.Errorf("--secrets-dir %q: exit %d, want %d and a usage error; stderr: %s", bad, code, ExitIncomplete, errOut)
		}
	}
	if got, _ := os.ReadFile(compose); string(got) != fixInput {
		t.Error("a refused run changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a refused run created files: %v", entries)
	}
}

// Service names compose-go accepts that look like paths ("..", "."), and
// environment keys that are paths or hold NUL or line breaks, never make a
// fix write outside the project or to a name with a separator.
func TestHostileFixPathLikeNames(t *testing.T) {
	token := "ghp" + "_" + strings.Repeat("Q7zx", 9)
	cases := []struct{ name, compose string }{
		{"service ..", "services:\n  \"..\":\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-hostile-pw\n"},
		{"service .", "services:\n  \".\":\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-hostile-pw\n"},
		{"service -x", "services:\n  \"-x\":\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: s3cr3t-hostile-pw\n"},
		{"key with ..", "services:\n  db:\n    image: postgres:16\n    environment:\n      \"../../../../x_PASSWORD\": " + token + "\n"},
		{"key with /", "services:\n  db:\n    image: postgres:16\n    environment:\n      \"X/../../.git/hooks/post-checkout\": " + token + "\n"},
		{"key ..", "services:\n  db:\n    image: nginx\n    environment:\n      \"..\": " + token + "\n"},
		{"key with NUL", "services:\n  db:\n    image: postgres:16\n    environment:\n      \"A\\0B_PASSWORD\": " + token + "\n"},
		{"key with newline", "services:\n  db:\n    image: postgres:16\n    environment:\n      \"A\\nB_PASSWORD\": " + token + "\n"},
		{"list key with ..", "services:\n  db:\n    image: nginx\n    environment:\n      - ../../y_TOKEN=" + token + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			proj := filepath.Join(root, "a", "b", "proj")
			must(t, os.MkdirAll(filepath.Join(proj, ".git", "hooks"), 0o755))
			must(t, os.WriteFile(filepath.Join(proj, "compose.yaml"), []byte(c.compose), 0o644))
			out, errOut, code := run(t, "fix", proj)
			if code == ExitInternal {
				t.Fatalf("internal error: %s", errOut)
			}
			err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(proj, path)
				switch {
				case strings.HasPrefix(rel, ".."):
					t.Errorf("fix wrote %s, outside the project", path)
				case rel == "compose.yaml" || rel == ".gitignore" || rel == ".env":
				case rel == ".env.example": // the committed template: names only
					if b, _ := os.ReadFile(path); strings.Contains(string(b), token) || strings.Contains(string(b), "s3cr3t-hostile-pw") {
						t.Errorf(".env.example holds the secret: %q", b)
					}
				case strings.HasPrefix(rel, "secrets"+string(filepath.Separator)) && strings.Count(rel, string(filepath.Separator)) == 1:
					if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
						t.Errorf("%s has mode %v", rel, st.Mode().Perm())
					}
				default:
					t.Errorf("fix wrote %s", rel)
				}
				return nil
			})
			must(t, err)
			if strings.Contains(out+errOut, token) || strings.Contains(out+errOut, "s3cr3t-hostile-pw") {
				t.Errorf("output shows the secret:\n%s%s", out, errOut)
			}
		})
	}
}

// Fixing a postgres password when secrets/db-postgres-password exists with
// other content refuses that fix (exit 2) and leaves both files as they
// were.
func TestHostileFixKeepsExistingSecretFile(t *testing.T) {
	const input = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - db-data:/var/lib/postgresql/data\n    environment:\n      POSTGRES_PASSWORD: \"s3cr3t-Pa55word\"\nvolumes:\n  db-data:\n"
	dir := t.TempDir()
	compose := filepath.Join(dir, "compose.yaml")
	secret := filepath.Join(dir, "secrets", "db-postgres-password")
	must(t, os.WriteFile(compose, []byte(input), 0o644))
	must(t, os.MkdirAll(filepath.Dir(secret), 0o700))
	must(t, os.WriteFile(secret, []byte("someone else's secret\n"), 0o600))
	// The name is taken: the secret moves to the next free one (issue 16,
	// item 6), and the existing file is never touched.
	for _, args := range [][]string{{"fix", "--diff", dir}, {"fix", dir}} {
		out, errOut, code := run(t, args...)
		shown, _ := os.ReadFile(compose)
		if args[1] == "--diff" {
			shown = []byte(out + errOut)
		}
		if code == ExitIncomplete || code == ExitInternal || !strings.Contains(string(shown), "db-postgres-password-2") {
			t.Errorf("%v: exit %d, want the secret moved to db-postgres-password-2\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
		if got, _ := os.ReadFile(secret); string(got) != "someone else's secret\n" {
			t.Errorf("%v changed the existing secret file: %q", args, got)
		}
		if strings.Contains(out+errOut, "s3cr3t-Pa55word") || strings.Contains(out+errOut, "someone else") {
			t.Errorf("%v: output shows a secret", args)
		}
	}
}

// Two `fix` runs at once on one project: the result is the one a single
// run gives, byte for byte, never a mix; a run that loses the race says so
// (the lock, or the file changed) with exit code 2.
func TestHostileFixConcurrentRuns(t *testing.T) {
	want := func() map[string]string {
		dir, _ := fixProject(t)
		if _, errOut, code := run(t, "fix", dir); code == ExitInternal || code == ExitIncomplete {
			t.Fatalf("single run: exit %d: %s", code, errOut)
		}
		return tree(t, dir)
	}()
	for i := range 8 {
		dir, _ := fixProject(t)
		var wg sync.WaitGroup
		codes, errs := make([]int, 2), make([]string, 2)
		for j := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var out, errb bytes.Buffer
				codes[j] = Execute(&IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}, []string{"fix", dir})
				errs[j] = errb.String()
			}()
		}
		wg.Wait()
		got := tree(t, dir)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("round %d: the project differs from a single run's:\n%v\nwant:\n%v\nstderr: %q", i, got, want, errs)
		}
		for j, code := range codes {
			switch {
			case code == ExitInternal:
				t.Errorf("round %d, run %d: internal error: %s", i, j, errs[j])
			case code == ExitIncomplete && !strings.Contains(errs[j], "locked") && !strings.Contains(errs[j], "changed while composure was fixing it"):
				t.Errorf("round %d, run %d: exit 2 without saying it lost the race: %s", i, j, errs[j])
			}
		}
	}
}

// tree maps every file under dir (relative path) to its content and mode;
// temp files and the lock must be gone.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.Contains(rel, ".composure") {
			t.Errorf("left behind: %s", rel)
		}
		st, _ := d.Info()
		b, _ := os.ReadFile(path)
		out[rel] = fmt.Sprintf("%v %q", st.Mode().Perm(), b)
		return nil
	})
	must(t, err)
	return out
}

// A UTF-16 file lints (the YAML reader decodes it) but gets no fix: edits
// are byte offsets into UTF-8. It is left byte for byte.
func TestHostileFixLeavesUTF16Alone(t *testing.T) {
	for _, big := range []bool{false, true} {
		dir := t.TempDir()
		compose := filepath.Join(dir, "compose.yaml")
		content := encodeUTF16(badBase, big)
		must(t, os.WriteFile(compose, content, 0o644))
		_, errOut, code := run(t, "fix", dir)
		if code == ExitInternal {
			t.Fatalf("internal error: %s", errOut)
		}
		if got, _ := os.ReadFile(compose); !bytes.Equal(got, content) {
			t.Errorf("UTF-16 (big endian %v) file changed by fix", big)
		}
	}
}
