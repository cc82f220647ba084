package project

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Issue #6, the loader's side of hostile input. The command-line cases
// (exit codes, other projects still linted, memory) are in
// cmd/hostile_limits_test.go.

func loadErr(t *testing.T, dir string, files ...string) *Error {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	_, err := Load(context.Background(), Spec{Files: paths, Dir: dir}, Options{Environ: []string{}})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error", err)
	}
	return e
}

// compose-go reports the first problem it meets in map order; the loader
// makes the same project give the same error on every run.
func TestHostileStableErrors(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		want    string
		line    int
		wantCol int
	}{
		{"services without image", map[string]string{"compose.yaml": "services:\n  c:\n    restart: always\n  a:\n    restart: always\n  b:\n    restart: always\n  d:\n    image: x\n"},
			`service "a" has neither an image nor a build context specified`, 4, 3},
		{"undefined volumes", map[string]string{"compose.yaml": "services:\n  c:\n    image: x\n    volumes: [vc:/c]\n  b:\n    image: x\n    volumes: [vb:/b]\n"},
			`service "b" refers to undefined volume vb`, 5, 3},
		{"undefined network and secret", map[string]string{"compose.yaml": "services:\n  z:\n    image: x\n    secrets: [s]\n  y:\n    image: x\n    networks: [n2, n1]\n"},
			`service "y" refers to undefined network n1`, 5, 3},
		{"same schema error in several services", map[string]string{"compose.yaml": "services:\n  b3:\n    image: {$IMAGE}\n  b1:\n    image: {$IMAGE}\n  b2:\n    image: {$IMAGE}\n"},
			"services.b3.image must be a string", 3, 5},
		{"same null where a mapping is wanted in several services", map[string]string{"compose.yaml": "services:\n  mongo:\n    image: x\n    deploy:\n      restart_policy:\n  web:\n    image: x\n    deploy:\n      restart_policy:\n"},
			"services.mongo.deploy.restart_policy must be a mapping", 5, 7},
		{"several nulls where other types are wanted in one service", map[string]string{"compose.yaml": "services:\n  s:\n    image:\n    command:\n    environment:\n    volumes:\n  t:\n    image: x\n"},
			"services.s.image must be a string", 3, 5},
		{"unknown top-level keys", map[string]string{"compose.yaml": "services:\n  a:\n    image: x\nzeta: 1\nalpha: 2\nmid: 3\n"},
			"additional properties 'alpha', 'mid', 'zeta' not allowed", 4, 1},
		{"missing extends files", map[string]string{"compose.yaml": "services:\n  a:\n    extends:\n      file: one.yaml\n      service: x\n  b:\n    extends:\n      file: two.yaml\n      service: x\n  c:\n    extends:\n      file: three.yaml\n      service: x\n"},
			"open one.yaml: no such file or directory", 4, 7},
		{"unset variables", map[string]string{"compose.yaml": "services:\n  a:\n    image: x\n    read_only: ${ZZ}\n    labels: {a: \"${MM}\", b: \"${AA}\"}\n    ports: [\"${PP}:80\"]\n  b:\n    restart: always\n"},
			"AA, MM, PP, ZZ", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, c.files)
			first := loadErr(t, dir, "compose.yaml")
			if !strings.Contains(first.Msg, c.want) || c.line > 0 && (first.Line != c.line || first.Column != c.wantCol) {
				t.Errorf("got %d:%d %q, want %d:%d %q", first.Line, first.Column, first.Msg, c.line, c.wantCol, c.want)
			}
			for range 15 {
				if again := loadErr(t, dir, "compose.yaml"); *again != *first {
					t.Fatalf("two loads differ:\n%+v\n%+v", first, again)
				}
			}
		})
	}
}

// badCharAt finds the place of the byte the YAML reader refuses, which its
// error does not give.
func TestHostileBadCharAt(t *testing.T) {
	cases := []struct {
		in        string
		line, col int
	}{
		{"a: b\nc: d\xff\n", 2, 5},
		{"\xff", 1, 1},
		{"a: \"ä\x00\"\n", 1, 6},
		{"a:\tb\r\nc: \x1b[31m\n", 2, 4},
		{"\xef\xbb\xbfa: \xc3\x28", 1, 5},
		{"a: \u0085b\x7f", 1, 6},
		{"fine: ✓\n", 0, 0},
		{"\xff\xfea\x00:\x00", 0, 0}, // UTF-16: not looked at
	}
	for _, c := range cases {
		if l, col := badCharAt([]byte(c.in)); l != c.line || col != c.col {
			t.Errorf("badCharAt(%q) = %d:%d, want %d:%d", c.in, l, col, c.line, c.col)
		}
	}
}

// The depth check follows aliases once per anchor: a 9x9 alias bomb (9^9
// nodes when expanded) is walked in time linear in the file.
func TestHostileShapeWalkIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-a: &a [1,2,3,4,5,6,7,8,9]\n")
	prev := "a"
	for _, c := range "bcdefghi" {
		b.WriteString("x-" + string(c) + ": &" + string(c) + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n")
		prev = string(c)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := parseFile("bomb.yaml", "/bomb.yaml", []byte(b.String()))
	runtime.ReadMemStats(&after)
	if err != nil || f == nil {
		t.Fatalf("the bomb is within the shape limits, got %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("parsing and checking allocated %d KB", alloc>>10)
	}
}

// Every real compose file of the corpus is within the limits.
func TestHostileCorpusWithinLimits(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	if len(files) == 0 {
		t.Skip("corpus not available")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseFile(name, name, b)
		var e *Error
		if errors.As(err, &e) && (strings.Contains(e.Msg, "too many YAML nodes") || strings.Contains(e.Msg, "levels deep") || strings.Contains(e.Msg, "entries in one collection")) {
			t.Errorf("%s: %v", filepath.Base(name), err)
		}
		if f != nil {
			if err := checkCommands(f, nil); err != nil {
				t.Errorf("%s: %v", filepath.Base(name), err)
			}
		}
	}
}

// A .git/config in the linted tree names commands git runs for ls-files
// and check-ignore (core.fsmonitor); the loader's git calls must not run
// them.
func TestHostileGitConfigNotExecuted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := writeTree(t, map[string]string{
		"compose.yaml": "services:\n  a:\n    image: nginx\n    env_file: app.env\nsecrets:\n  s:\n    file: ./s.txt\n",
		"app.env":      "A=1\n",
		"s.txt":        "x",
	})
	marker := filepath.Join(t.TempDir(), "ran")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x"},
		{"config", "core.fsmonitor", "touch " + marker + "; false"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRoots.Clear()
	load(t, dir, "compose.yaml")
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("loading the project ran the repository's core.fsmonitor command")
	}
}

// A file that stats as a regular file but waits for data (/proc/kmsg, for
// root) gives an error after readTimeout instead of blocking the run.
func TestHostilePollableFileTimesOut(t *testing.T) {
	f, err := os.Open("/proc/kmsg")
	if err != nil {
		t.Skipf("no readable /proc/kmsg: %v", err)
	}
	f.Close()
	old := readTimeout
	readTimeout = 300 * time.Millisecond
	defer func() { readTimeout = old }()
	start := time.Now()
	_, rerr := readBounded("/proc/kmsg")
	// A kernel log bigger than MaxFileSize is refused as too large; an
	// empty one times out.
	if rerr == nil {
		t.Fatal("read /proc/kmsg to the end")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// Include and extends cycles end: each file is visited once.
func TestHostileReferenceCyclesEnd(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yaml": "include:\n  - b.yaml\nservices:\n  a:\n    extends:\n      file: c.yaml\n      service: c\n",
		"b.yaml":       "include:\n  - compose.yaml\n  - b.yaml\nservices:\n  b:\n    image: x\n",
		"c.yaml":       "services:\n  c:\n    extends:\n      file: compose.yaml\n      service: a\n",
	})
	done := make(chan *Error, 1)
	go func() { done <- loadErr(t, dir, "compose.yaml") }()
	select {
	case e := <-done:
		if !strings.Contains(e.Msg, "cycle") && !strings.Contains(e.Msg, "Circular") {
			t.Errorf("error %q, want a cycle", e.Msg)
		}
	case <-time.After(time.Minute):
		t.Fatal("loading a project with reference cycles does not end")
	}
}

// A command word that interpolation makes long (`command: ${X}`, X one
// word in .env) is counted after interpolation: compose-go splits the
// result in time quadratic in the word (256 KB took 6.5 s), so it is
// refused like a literal one, and the list form is not (issue 16, item 16).
func TestHostileInterpolatedCommandWord(t *testing.T) {
	word := strings.Repeat("a", 40000) // just over maxCommandCost
	for _, c := range []struct {
		command string
		refused bool
	}{
		{"${X}", true},
		{"run --flag=${X}", true},
		{"[\"${X}\"]", false},
	} {
		dir := writeTree(t, map[string]string{
			"compose.yaml": "services:\n  a:\n    image: x\n    command: " + c.command + "\n",
			".env":         "X=" + word + "\n",
		})
		_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
		var e *Error
		refused := errors.As(err, &e) && strings.Contains(e.Msg, "write the command as a list")
		if refused != c.refused || refused && (e.Line != 4 || e.Column != 14) {
			t.Errorf("command: %s: err %v, want refused %v at 4:14", c.command, err, c.refused)
		}
	}
}
