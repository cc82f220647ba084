package project

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/google/go-cmp/cmp"
)

func TestParseDotEnvPositions(t *testing.T) {
	src := "\uFEFF# comment\r\n" +
		"A=plain # trailing comment\r\n" +
		"export B='single $HOME'\n" +
		"  C = \"double \\$x \\n\" # c\n" +
		"D:yaml style\n" +
		"E=\n" +
		"INHERITED\n" +
		"bad key=1\n" +
		"F=\"multi\nline\"\n" +
		"G=last"
	es := parseDotEnv([]byte(src))
	type row struct{ Key, Raw, Inner, Value, Whole string }
	var got []row
	for _, e := range es {
		got = append(got, row{e.Key, e.Raw, e.Inner, e.Value, src[e.StartOffset:e.EndOffset]})
		if src[e.KeyOffset:e.KeyOffset+len(e.Key)] != e.Key || !strings.HasSuffix(src[e.KeyOffset:e.ValueEnd], e.Raw) {
			t.Errorf("%s: offsets %d..%d select %q", e.Key, e.KeyOffset, e.ValueEnd, src[e.KeyOffset:e.ValueEnd])
		}
	}
	want := []row{
		{"A", "plain", "plain", "plain", "A=plain # trailing comment\r\n"},
		{"B", "'single $HOME'", "single $HOME", "single $HOME", "export B='single $HOME'\n"},
		{"C", `"double \$x \n"`, `double \$x \n`, "double $$x \n", "  C = \"double \\$x \\n\" # c\n"},
		{"D", "yaml style", "yaml style", "yaml style", "D:yaml style\n"},
		{"E", "", "", "", "E=\n"},
		{"F", "\"multi\nline\"", "multi\nline", "multi\nline", "F=\"multi\nline\"\n"},
		{"G", "last", "last", "last", "G=last"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// Every value parseDotEnv reads is what compose-go reads, once the
// template is interpolated.
func TestParseDotEnvMatchesCompose(t *testing.T) {
	for _, src := range []string{
		"A=1\nB=two words\nC='it\\'s'\nD=\"x\\ty\"\n",
		"export KEY=value\n  SPACED  =  v  \n# c\nX=a#b\nY=a #b\n",
		"P='$NOT' \nQ=\"\\$NOT\"\nR=$$lit\n",
		"A=1\r\nB='2'\r\nC=\"3\"\r\n",
		"M=\"line1\nline2\"\nN=after\n",
		"K.dots-and[brackets]=ok\n",
	} {
		want, err := dotenv.UnmarshalBytesWithLookup([]byte(src), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("%q: compose-go: %v", src, err)
		}
		got := map[string]string{}
		for _, e := range parseDotEnv([]byte(src)) {
			if e.Verbatim {
				got[e.Key] = e.Value
				continue
			}
			v, err := template.Substitute(e.Value, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatalf("%q: %s: %v", src, e.Key, err)
			}
			got[e.Key] = v
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-compose +ours):\n%s", src, diff)
		}
	}
}

func TestParseRawEnv(t *testing.T) {
	src := "# c\n  A='quoted' # not a comment\r\nB=$x\nC\nbad key=1\n=novar\nD="
	var got []string
	for _, e := range parseRawEnv([]byte(src)) {
		got = append(got, e.Key+"|"+e.Raw+"|"+e.Value+"|"+src[e.StartOffset:e.EndOffset])
	}
	want := []string{
		"A|'quoted' # not a comment|'quoted' # not a comment|  A='quoted' # not a comment\r\n",
		"B|$x|$x|B=$x\n",
		"D|||D=",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadReadsEnvFilesAndGitStatus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", `services:
  app:
    image: nginx
    env_file:
      - app.env
      - path: missing.env
        required: false
      - path: raw.env
        format: raw
secrets:
  key:
    file: ./secrets/key.txt
  gone:
    file: ./secrets/gone.txt
`)
	write("app.env", "TOKEN=abc\n")
	write("raw.env", "RAW='x'\n")
	write("secrets/key.txt", "k")
	load := func() *Project {
		t.Helper()
		p, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := load()
	app, raw, key := p.EnvFiles[filepath.Join(dir, "app.env")], p.EnvFiles[filepath.Join(dir, "raw.env")], p.EnvFiles[filepath.Join(dir, "secrets", "key.txt")]
	if app == nil || raw == nil || key == nil || len(p.EnvFiles) != 3 {
		t.Fatalf("env files = %v", p.EnvFiles)
	}
	if len(app.Entries) != 1 || app.Entries[0].Key != "TOKEN" || app.Entries[0].Line != 1 || app.RawEntries != nil {
		t.Errorf("app.env entries = %+v / %+v", app.Entries, app.RawEntries)
	}
	if len(raw.RawEntries) != 1 || raw.RawEntries[0].Raw != "'x'" || raw.Entries != nil {
		t.Errorf("raw.env entries = %+v / %+v", raw.Entries, raw.RawEntries)
	}
	if key.Content != nil || !key.Secret || key.Env {
		t.Errorf("secret file = %+v", key)
	}
	inExtra := 0
	for _, f := range p.Extra {
		if f.Abs == app.Abs || f.Abs == raw.Abs {
			inExtra++
		}
	}
	if inExtra != 2 {
		t.Errorf("env files in Extra: %d, want 2", inExtra)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if !app.NoRepo {
		t.Fatalf("outside a repository: %+v", app.GitStatus)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	write(".gitignore", "/secrets/\n")
	git("add", "app.env")
	p = load()
	want := map[string]GitStatus{"app.env": {Tracked: true}, "raw.env": {}, "secrets/key.txt": {Ignored: true}}
	for rel, st := range want {
		if got := p.EnvFiles[filepath.Join(dir, rel)].GitStatus; got != st {
			t.Errorf("%s: git status %+v, want %+v", rel, got, st)
		}
	}
}
