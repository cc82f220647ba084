package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/composure-dev/composure/rules/secrets"
	"github.com/composure-dev/composure/transform/fixer"
)

// Issue 13, item 6: `fix --diff` masks a secret where it stands, never the
// service, image, path or key that happens to contain its text, and the
// masked diff is still a valid unified diff: it applies to the file as
// masked.
func TestDiffMasksWhereSecretsStand(t *testing.T) {
	dir := t.TempDir()
	src := `services:
  app:
    image: example/app:1
    command: ["serve", "--password=postgres"]
    secrets:
      - token
    environment:
      OTHER: secret
      JWT_SECRET: secret
  postgres:
    image: postgres:16
    volumes:
      - pg:/var/lib/postgresql/data
volumes:
  pg:
secrets:
  token:
    file: ./token.txt
`
	must(t, os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(src), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "token.txt"), []byte("x\n"), 0o600))
	out, errOut, _ := execute(false, "fix", "--diff", dir)
	for _, want := range []string{"--- a/", "\n   postgres:\n", "image: postgres:16\n", "       - token\n",
		"-      JWT_SECRET: ****\n", "      OTHER: ****\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the diff does not show %q:\n%s%s", want, out, errOut)
		}
	}
	for _, leak := range []string{": postgres\n", ": secret\n", "=postgres", "password=postgres"} {
		if strings.Contains(out, leak) {
			t.Errorf("the diff shows the secret in %q:\n%s", leak, out)
		}
	}
	checkHunkCounts(t, out)
	// The diff applies to the file as masked, written here by hand.
	masked := strings.NewReplacer("JWT_SECRET: secret", "JWT_SECRET: ****", "OTHER: secret", "OTHER: ****", "=postgres", "=po****").Replace(src)
	applies(t, masked, out)
}

// A secret that is a key's text, a diff header's or a YAML marker's is
// masked only where it is a value: "---" and "secret" as the issue found.
func TestDiffNeverMasksHeadersOrKeys(t *testing.T) {
	orig := "services:\n  a:\n    environment:\n      K: \"---\"\n      T: |\n        secret\n      S: secret\nsecrets:\n  secret:\n    file: ./x\n"
	fixed := strings.Replace(orig, "      S: secret\n", "      S: ${S:?S is not set}\n", 1)
	res := &fixer.Result{Changes: []*fixer.Change{{Path: "compose.yaml", Original: []byte(orig), Fixed: []byte(fixed)}}, Redact: []string{"---", "secret\n", "secret"}}
	var out strings.Builder
	must(t, printDiff(&IOStreams{Err: &strings.Builder{}}, &out, res))
	d := out.String()
	for _, want := range []string{"--- a/compose.yaml\n+++ b/compose.yaml\n", " secrets:\n   secret:\n     file: ./x\n", "       K: ****\n", "-      S: ****\n", "       T: |\n         ****\n"} {
		if !strings.Contains(d, want) {
			t.Errorf("the diff does not show %q:\n%s", want, d)
		}
	}
	checkHunkCounts(t, d)
	applies(t, strings.NewReplacer(`"---"`, "****", "S: secret", "S: ****", "        secret", "        ****").Replace(orig), d)
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)

// checkHunkCounts checks that every hunk has the lines its header counts.
func checkHunkCounts(t *testing.T, diff string) {
	t.Helper()
	lines := strings.Split(diff, "\n")
	hunks := 0
	for i := 0; i < len(lines); i++ {
		m := hunkHeader.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		hunks++
		count := func(s string) int {
			if s == "" {
				return 1
			}
			n, _ := strconv.Atoi(s)
			return n
		}
		wantOld, wantNew := count(m[2]), count(m[4])
		old, new := 0, 0
		for i+1 < len(lines) && (old < wantOld || new < wantNew) {
			i++
			switch l := lines[i]; {
			case strings.HasPrefix(l, " "):
				old++
				new++
			case strings.HasPrefix(l, "-"):
				old++
			case strings.HasPrefix(l, "+"):
				new++
			case strings.HasPrefix(l, `\`):
			default:
				t.Fatalf("hunk %q ends early at %q:\n%s", m[0], l, diff)
			}
		}
		if old != wantOld || new != wantNew {
			t.Errorf("hunk %q has %d old and %d new lines:\n%s", m[0], old, new, diff)
		}
	}
	if hunks == 0 {
		t.Fatalf("no hunk in:\n%s", diff)
	}
}

// applies checks with patch(1) that diff applies cleanly to original.
func applies(t *testing.T, original, diff string) {
	t.Helper()
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch is not installed")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	must(t, os.WriteFile(file, []byte(original), 0o644))
	// Only the diff: what follows it on stdout (nothing in --diff text
	// mode) is not patch input.
	cmd := exec.Command("patch", "--dry-run", "--force", "--fuzz=0", file)
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the masked diff does not apply to the masked file: %v\n%s\n%s", err, out, diff)
	}
}

// Escaped scalars and a block scalar in a CRLF file are found as whole
// values, with their lines and the block's header kept.
func TestValueSpansEscapedAndCRLF(t *testing.T) {
	content := "x:\r\n  A: 'it''sQuotedPlant1'\r\n  B: \"abc\\u0064efEscPlant2\"\r\n  C: |\r\n    lineOnePlant3\r\n    lineTwoPlant4\r\n  D: plain\r\n"
	all := []string{"it'sQuotedPlant1", "abcdefEscPlant2", "lineOnePlant3\nlineTwoPlant4\n"}
	got := secrets.NewMasker(all).MaskSpans(content, newSecretSet(all).valueSpans([]byte(content)))
	for _, p := range []string{"QuotedPlant1", "EscPlant2", "OnePlant3", "TwoPlant4"} {
		if strings.Contains(got, p) {
			t.Errorf("%s is shown:\n%s", p, got)
		}
	}
	if strings.Count(got, "\r\n") != strings.Count(content, "\r\n") || !strings.Contains(got, "  C: |\r\n    ") || !strings.Contains(got, "  D: plain\r\n") {
		t.Errorf("the text around the secrets changed:\n%q", got)
	}
}

// A strong secret repeated in a script or a comment is masked there too;
// a weak one (a word) where it stands as a token, not inside a name.
func TestValueSpansStrongAndWeak(t *testing.T) {
	content := `services:
  postgres:
    image: postgres:16
    healthcheck:
      test: sqlcmd -S db -P Mssql_Password123 -Q x
    command: psql --password postgres -h db
    volumes: [/var/lib/postgresql/data]
# the sa password is Mssql_Password123
`
	all := []string{"Mssql_Password123", "postgres"}
	got := secrets.NewMasker(all).MaskSpans(content, newSecretSet(all).valueSpans([]byte(content)))
	want := `services:
  postgres:
    image: postgres:16
    healthcheck:
      test: sqlcmd -S db -P Ms**** -Q x
    command: psql --password po**** -h db
    volumes: [/var/lib/postgresql/data]
# the sa password is Ms****
`
	if got != want {
		t.Errorf("masked:\n%s\nwant:\n%s", got, want)
	}
}

// TestSecretSetIn: the secrets a text holds, as the index finds them, are
// those strings.Contains finds (a strong secret of several lines always
// counts), weak and strong apart, each in the order of the list.
func TestSecretSetIn(t *testing.T) {
	list := []string{"postgres", "x", "---", "Zq8#kLm2Pw", "po", "s3cret", "Zq8#kLm2Pw", "", "-----BEGIN KEY-----\nabcd\n-----END KEY-----", "Hn4Tq9Wz2Lk7Vx5pR"}
	ss := newSecretSet(list)
	for _, text := range []string{
		"",
		"image: postgres:16\npassword: s3cret\n",
		"a: x\nb: ---\nc: Zq8#kLm2Pw",
		"nothing here",
		"pp po pos postgre",
		"Hn4Tq9Wz2Lk7Vx5pRx --- x",
	} {
		var weak, strongs []string
		for _, s := range ss.weak {
			if strings.Contains(text, s) {
				weak = append(weak, s)
			}
		}
		for _, s := range ss.strongs {
			if strings.Contains(text, s) || strings.Contains(s, "\n") {
				strongs = append(strongs, s)
			}
		}
		gw, gs := ss.in(text)
		if d := cmp.Diff(weak, gw); d != "" {
			t.Errorf("%q: weak (-Contains +in):\n%s", text, d)
		}
		if d := cmp.Diff(strongs, gs); d != "" {
			t.Errorf("%q: strong (-Contains +in):\n%s", text, d)
		}
	}
	if len(ss.weak) != 5 || len(ss.strongs) != 3 {
		t.Errorf("weak %q, strong %q: want 5 and 3, each once", ss.weak, ss.strongs)
	}
}
