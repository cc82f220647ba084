package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The config's exclude globs keep paths out of discovery (doublestar:
// examples/** is the folder and everything under it; **/compose.yaml never
// matches mycompose.yaml), also when a pre-commit hook names the file; a
// load error in an excluded file never fails the run. -v says what was
// passed over and why.
func TestConfigExclude(t *testing.T) {
	dir := t.TempDir()
	secret := "services:\n  db:\n    image: redis:7\n    environment:\n      API_TOKEN: Qm4Lp8Zr2Vx6Nt1\n    volumes: [data:/data]\nvolumes: {data: {}}\n"
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", secret)
	write("mycompose.yaml", secret)
	write("examples/compose.yaml", secret)
	write("examples/deep/broken/compose.yaml", "services:\n  x: [not, a, service\n")
	write("third/party/compose.yaml", secret)
	write("composer.yaml", "require:\n  php: '>=8'\n")
	write(".composure.yaml", "exclude:\n  - examples/**\n  - '**/party/compose.yaml'\n")

	rep, errOut, code := lintLayout(t, "-v", dir)
	if code != ExitFindings || len(rep.Errors) != 0 {
		t.Errorf("exit %d, errors %+v; want 1 and none (stderr %s)", code, rep.Errors, errOut)
	}
	var files []string
	for _, f := range rep.Findings {
		rel, _ := filepath.Rel(dir, f.File)
		if !filepath.IsAbs(f.File) {
			rel = f.File
		}
		files = append(files, filepath.Base(rel))
	}
	if strings.Join(files, ",") != "compose.yaml,mycompose.yaml" {
		t.Errorf("findings in %v; want compose.yaml and mycompose.yaml only", files)
	}
	for _, want := range []string{
		"examples" + string(filepath.Separator) + ": note: skipped: excluded by the config's exclude",
		filepath.Join("third", "party", "compose.yaml") + ": note: skipped: excluded by the config's exclude",
		"composer.yaml: note: skipped: not a compose file",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// Without -v, nothing is said of skipped files.
	if _, errOut, _ := lintLayout(t, dir); strings.Contains(errOut, "skipped") {
		t.Errorf("skipped files noted without -v: %s", errOut)
	}
	// A file the hook names is excluded too.
	rep, _, code = lintLayout(t, filepath.Join(dir, "examples", "deep", "broken", "compose.yaml"))
	if code != ExitOK || len(rep.Errors) != 0 || len(rep.Findings) != 0 {
		t.Errorf("an excluded file named alone: exit %d, %+v", code, rep)
	}
}
