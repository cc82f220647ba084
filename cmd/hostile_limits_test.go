package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/composure-dev/composure/rules/project"
)

// Issue #6, limits: every hostile input ends in a clear error (exit code 2,
// file:line:col when the place is known) or a normal lint, the other
// projects of the run are still linted, and no case allocates more than
// memBudget in total (TotalAlloc, which bounds the peak heap too). Times
// are logged (`go test -v -run Hostile ./cmd`) for docs/reliability.md,
// never asserted, except the hang guard.

const (
	memBudget = 256 << 20
	// hangAfter fails a case that does not return: a blocked read or an
	// endless loop. The slowest case takes about a second without -race.
	hangAfter = 2 * time.Minute
)

// usage is what one run cost.
type usage struct {
	wall  time.Duration
	alloc uint64 // bytes allocated, all goroutines
	peak  uint64 // highest live heap seen, sampled every 2 ms
}

func (u usage) String() string {
	return fmt.Sprintf("%7.3fs  alloc %6.1f MB  peak heap %6.1f MB", u.wall.Seconds(), float64(u.alloc)/(1<<20), float64(u.peak)/(1<<20))
}

// measure runs fn and reports its cost; a run longer than hangAfter fails
// the test.
func measure(t *testing.T, fn func()) usage {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	alloc0 := ms.TotalAlloc
	stop, peakc := make(chan struct{}), make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var peak uint64
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				peakc <- peak
				return
			case <-tick.C:
			}
		}
	}()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(hangAfter):
		close(stop)
		<-peakc
		t.Fatalf("no result after %v: composure hangs", hangAfter)
	}
	u := usage{wall: time.Since(start)}
	close(stop)
	u.peak = <-peakc
	runtime.ReadMemStats(&ms)
	u.alloc = ms.TotalAlloc - alloc0
	return u
}

// runMeasured is run with its cost.
func runMeasured(t *testing.T, args ...string) (stdout, stderr string, code int, u usage) {
	t.Helper()
	u = measure(t, func() { stdout, stderr, code = run(t, args...) })
	if u.alloc > memBudget {
		t.Errorf("allocated %d MB, over the %d MB budget", u.alloc>>20, memBudget>>20)
	}
	return stdout, stderr, code, u
}

// jsonReport is the part of the JSON output the tests read.
type jsonReport struct {
	Findings []struct {
		Rule, File, Message string
		Line, Column        int
	}
	Errors []struct {
		File         string
		Line, Column int
		Message      string
	}
}

func parseReport(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("invalid JSON: %v\n%.2000s", err, out)
	}
	return r
}

const (
	goodProject = "services:\n  db:\n    image: postgres:16\n"
	// badBase has its secret on line 5, column 26.
	badBase = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2-long-pass\n"
)

// pos is an expected position: any is "some line and column", none is
// "no position".
type pos struct{ line, col int }

var (
	anyPos  = pos{-1, -1}
	noPos   = pos{0, 0}
	anyLine = pos{-1, 0}
)

type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string) // writes bad/...; dir is the run's root
	// lints: the bad project loads (wantMsg is then a rule that must be
	// reported for it); otherwise it is an errors[] entry for wantFile
	// (default bad/compose.yaml) with wantMsg and wantPos.
	lints    bool
	wantMsg  string
	wantFile string
	wantPos  pos
}

func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, os.WriteFile(path, content, 0o644))
}

func bad(content string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte(content))
	}
}

func badBytes(content []byte) func(*testing.T, string) {
	return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), content) }
}

// aliasBomb is "billion laughs": 9 levels of 9 aliases, 9^9 strings.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("services:\n  web:\n    image: nginx\n")
	b.WriteString("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, c := range "bcdefghi" {
		fmt.Fprintf(&b, "x-%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ","))
		prev = string(c)
	}
	b.WriteString("x-use: *i\n")
	return b.String()
}

// indentNest is the `a:\n a:\n` form: level i is indented i spaces, so n
// levels take n²/2 bytes. 100,000 levels would be 5 GB; 5,000 (12.5 MB) is
// about the deepest that fits under MaxFileSize.
func indentNest(n int) string {
	var b strings.Builder
	b.WriteString("services:\n  web:\n    image: nginx\nx-deep:\n")
	for i := range n {
		b.WriteString(strings.Repeat(" ", i+1))
		b.WriteString("a:\n")
	}
	return b.String()
}

func encodeUTF16(s string, bigEndian bool) []byte {
	units := utf16.Encode([]rune(s))
	out := []byte{0xff, 0xfe}
	if bigEndian {
		out = []byte{0xfe, 0xff}
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func hostileCases() []hostileCase {
	rng := rand.New(rand.NewPCG(6, 6))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	wide := "services:\n  web:\n    image: nginx\n    environment:\n"
	for i := range project.MaxEntries + 1 {
		wide += fmt.Sprintf("      K%d: v\n", i)
	}
	aliasChain := "services:\n  web:\n    image: nginx\nx-a0: &a0 " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n"
	for i := 1; i < 10; i++ {
		aliasChain += fmt.Sprintf("x-a%d: &a%d [*a%d]\n", i, i, i-1)
	}
	aliasChain += "x-far: " + strings.Repeat("[", 60) + "*a9" + strings.Repeat("]", 60) + "\n"
	return []hostileCase{
		{name: "alias bomb 9x9", setup: bad(aliasBomb()), wantMsg: "excessive aliasing", wantPos: anyPos},
		{name: "alias chain nesting", setup: bad(aliasChain), wantMsg: "alias nests its anchor more than 256 levels", wantPos: pos{14, 68}},
		// 100,000 levels are over the node budget before they are parsed.
		{name: "nesting [[[ 100000", setup: bad("services:\n  web:\n    image: nginx\nx-deep: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"), wantMsg: "too many YAML nodes", wantPos: pos{4, 65537}},
		{name: "nesting {a: 100000", setup: bad("x-deep: " + strings.Repeat("{a: ", 100000) + "1" + strings.Repeat("}", 100000) + "\n"), wantMsg: "too many YAML nodes", wantPos: anyPos},
		{name: "nesting - - 100000", setup: bad("services:\n  web:\n    image: nginx\n    command:\n      " + strings.Repeat("- ", 100000) + "x\n"), wantMsg: "too many YAML nodes", wantPos: anyPos},
		{name: "nesting [[[ 20000", setup: bad("services:\n  web:\n    image: nginx\nx-deep: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"), wantMsg: "exceeded max depth of 10000", wantPos: pos{4, 10009}},
		{name: "nesting [[[ 9990", setup: bad("services:\n  web:\n    image: nginx\nx-deep: " + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + "\n"), wantMsg: "nested more than 256 levels deep", wantPos: pos{4, 264}},
		{name: "nesting a: 5000 (12.5 MB)", setup: bad(indentNest(5000)), wantMsg: "nested more than 256 levels deep", wantPos: pos{259, 256}},
		{name: "file over 16 MB (sparse 100 MB)", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "bad", "compose.yaml")
			writeFile(t, p, nil)
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			must(t, err)
			must(t, f.Truncate(100<<20))
			must(t, f.Close())
		}, wantMsg: "file is 100 MB, larger than the 16 MB", wantPos: noPos},
		{name: "too many nodes (1 MB of - a)", setup: bad("x-list:\n" + strings.Repeat("- a\n", 1<<18)), wantMsg: "too many YAML nodes", wantPos: pos{32768, 4}},
		{name: "mapping over MaxEntries", setup: bad(wide), wantMsg: "entries in one collection", wantPos: pos{5, 7}},
		{name: "1 MB single-line secret", setup: bad("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: \"" + strings.Repeat("p", 1<<20) + "\"\n"), lints: true, wantMsg: "secret-in-environment"},
		{name: "1 MB single-line command of short words", setup: bad("services:\n  web:\n    image: nginx\n    command: \"" + strings.Repeat("xxxxxxx ", 1<<17) + "\"\n"), lints: true},
		{name: "1 MB single-word command", setup: bad("services:\n  web:\n    image: nginx\n    command: \"" + strings.Repeat("x", 1<<20) + "\"\n"), wantMsg: "write the command as a list", wantPos: pos{4, 14}},
		{name: "1 MB single-word command, list form", setup: bad("services:\n  web:\n    image: nginx\n    command: [\"" + strings.Repeat("x", 1<<20) + "\"]\n"), lints: true},
		{name: "binary garbage", setup: badBytes(garbage), wantMsg: "invalid yaml", wantPos: anyPos},
		{name: "invalid UTF-8", setup: badBytes([]byte(strings.Replace(badBase, "hunter2", "hu\xffnter2", 1))), wantMsg: "invalid leading UTF-8 octet", wantPos: pos{5, 28}},
		{name: "NUL byte", setup: badBytes([]byte(badBase + "\x00")), wantMsg: "control characters are not allowed", wantPos: pos{6, 1}},
		{name: "UTF-16LE with BOM", setup: badBytes(encodeUTF16(badBase, false)), lints: true, wantMsg: "secret-in-environment"},
		{name: "UTF-16BE with BOM", setup: badBytes(encodeUTF16(badBase, true)), lints: true, wantMsg: "secret-in-environment"},
		{name: "UTF-8 BOM", setup: badBytes(append([]byte("\xef\xbb\xbf"), badBase...)), lints: true, wantMsg: "secret-in-environment"},
		{name: "tab indentation", setup: bad(strings.Replace(badBase, "    image", "\timage", 1)), wantMsg: "cannot start any token", wantPos: pos{3, 1}},
		{name: "duplicate key", setup: bad(badBase + "    image: mysql\n"), wantMsg: `mapping key "image" already defined at line 3`, wantPos: pos{6, 5}},
		{name: "multi-document file", setup: bad(badBase + "---\nservices:\n  web:\n    image: nginx\n"), lints: true, wantMsg: "secret-in-environment"},
		{name: "empty file", setup: bad(""), wantMsg: "empty compose file", wantPos: noPos},
		{name: "FIFO named compose.yaml", setup: func(t *testing.T, dir string) {
			must(t, os.MkdirAll(filepath.Join(dir, "bad"), 0o755))
			mkfifo(t, filepath.Join(dir, "bad", "compose.yaml"))
		}, lints: true}, // discovery skips what is not a file
		{name: "symlinked stack.yml to a FIFO", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte(badBase))
			mkfifo(t, filepath.Join(dir, "bad", "pipe"))
			must(t, os.Symlink("pipe", filepath.Join(dir, "bad", "stack.yml")))
		}, lints: true, wantMsg: "secret-in-environment"},
		{name: "unreadable file", setup: func(t *testing.T, dir string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads a mode 000 file")
			}
			p := filepath.Join(dir, "bad", "compose.yaml")
			writeFile(t, p, []byte(badBase))
			must(t, os.Chmod(p, 0))
			t.Cleanup(func() { os.Chmod(p, 0o644) })
		}, wantMsg: "permission denied", wantPos: noPos},
		{name: "symlink loop in discovery", setup: func(t *testing.T, dir string) {
			must(t, os.MkdirAll(filepath.Join(dir, "bad"), 0o755))
			must(t, os.Symlink(".", filepath.Join(dir, "bad", "loop")))
			must(t, os.Symlink("x2", filepath.Join(dir, "bad", "x1")))
			must(t, os.Symlink("x1", filepath.Join(dir, "bad", "x2")))
			must(t, os.Symlink("x1", filepath.Join(dir, "bad", "compose.yaml")))
		}, wantMsg: "too many levels of symbolic links", wantPos: noPos},
		{name: "include cycle", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("include:\n  - b.yml\nservices:\n  a:\n    image: nginx\n"))
			writeFile(t, filepath.Join(dir, "bad", "b.yml"), []byte("include:\n  - compose.yaml\n"))
		}, wantFile: "bad/b.yml", wantMsg: "include cycle detected", wantPos: noPos},
		{name: "include itself", setup: bad("include:\n  - compose.yaml\nservices:\n  a:\n    image: nginx\n"), wantMsg: "include cycle detected", wantPos: noPos},
		{name: "extends cycle across files", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("services:\n  a:\n    extends:\n      file: b.yml\n      service: b\n"))
			writeFile(t, filepath.Join(dir, "bad", "b.yml"), []byte("services:\n  b:\n    extends:\n      file: compose.yaml\n      service: a\n"))
		}, wantMsg: "Circular reference", wantPos: noPos},
		{name: "extends itself", setup: bad("services:\n  a:\n    image: nginx\n    extends: a\n"), wantMsg: "Circular reference", wantPos: noPos},
		{name: "missing include", setup: bad("include:\n  - nope.yaml\nservices:\n  a:\n    image: nginx\n"), wantMsg: "no such file or directory", wantPos: pos{1, 1}},
		{name: "missing extends file", setup: bad("services:\n  a:\n    extends:\n      file: nope.yaml\n      service: b\n"), wantMsg: "no such file or directory", wantPos: pos{4, 7}},
		{name: "include a FIFO", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("include:\n  - pipe.yaml\nservices:\n  a:\n    image: nginx\n"))
			mkfifo(t, filepath.Join(dir, "bad", "pipe.yaml"))
		}, wantMsg: "pipe.yaml: not a regular file", wantPos: pos{2, 5}},
		{name: "extends a FIFO", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("services:\n  a:\n    extends:\n      file: pipe.yaml\n      service: b\n"))
			mkfifo(t, filepath.Join(dir, "bad", "pipe.yaml"))
		}, wantMsg: "pipe.yaml: not a regular file", wantPos: pos{4, 13}},
		{name: "include /dev/zero", setup: bad("include:\n  - /dev/zero\nservices:\n  a:\n    image: nginx\n"), wantMsg: "/dev/zero: not a regular file", wantPos: pos{2, 5}},
		{name: "include a directory", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("include:\n  - sub\nservices:\n  a:\n    image: nginx\n"))
			must(t, os.MkdirAll(filepath.Join(dir, "bad", "sub"), 0o755))
		}, wantMsg: "sub: not a regular file", wantPos: pos{2, 5}},
		{name: "include a file over the limits", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte("include:\n  - deep.yml\nservices:\n  a:\n    image: nginx\n"))
			writeFile(t, filepath.Join(dir, "bad", "deep.yml"), []byte("services:\n  b:\n    image: nginx\nx-deep: "+strings.Repeat("[", 9990)+strings.Repeat("]", 9990)+"\n"))
		}, wantFile: "bad/deep.yml", wantMsg: "nested more than 256 levels deep", wantPos: pos{4, 264}},
		{name: "include /proc/self/pagemap", setup: procOnly(bad("include:\n  - /proc/self/pagemap\nservices:\n  a:\n    image: nginx\n")), wantMsg: "larger than the 16 MB", wantPos: pos{2, 5}},
		{name: "env_file /proc/self/pagemap", setup: procOnly(bad("services:\n  a:\n    image: postgres:16\n    env_file: /proc/self/pagemap\n")), lints: true, wantMsg: "stateful-volume-missing"},
		{name: "Dockerfile /proc/self/pagemap", setup: procOnly(bad("services:\n  a:\n    build:\n      context: /proc/self\n      dockerfile: pagemap\n")), lints: true},
		{name: ".env symlinked to /proc/self/pagemap", setup: procOnly(func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "bad", "compose.yaml"), []byte(badBase))
			must(t, os.Symlink("/proc/self/pagemap", filepath.Join(dir, "bad", ".env")))
		}), wantFile: "bad/.env", wantMsg: "larger than the 16 MB", wantPos: noPos},
	}
}

// procOnly skips a setup where /proc/self/pagemap (a file that stats as
// empty and streams gigabytes) does not exist.
func procOnly(setup func(*testing.T, string)) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if _, err := os.Stat("/proc/self/pagemap"); err != nil {
			t.Skip("no /proc/self/pagemap")
		}
		setup(t, dir)
	}
}

// TestHostileInputs lints a good project next to each hostile one.
func TestHostileInputs(t *testing.T) {
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "good", "compose.yaml"), []byte(goodProject))
			c.setup(t, dir)
			out, errOut, code, u := runMeasured(t, "lint", "--format", "json", dir)
			t.Logf("reliability: %-40s exit %d  %s", c.name, code, u)
			r := parseReport(t, out)
			goodLinted := false
			for _, f := range r.Findings {
				if strings.HasSuffix(f.File, filepath.Join("good", "compose.yaml")) && f.Rule == "stateful-volume-missing" {
					goodLinted = true
				}
			}
			if strings.Contains(out+errOut, strings.Repeat("p", 64)) || strings.Contains(out+errOut, strings.Repeat("x", 4096)) {
				t.Errorf("the output repeats the big scalar")
			}
			if !goodLinted {
				t.Errorf("the good project was not linted: %+v", r.Findings)
			}
			if strings.Contains(errOut, "internal") || code == ExitInternal {
				t.Fatalf("internal error: exit %d: %s", code, errOut)
			}
			if c.lints {
				if len(r.Errors) > 0 || code != ExitFindings {
					t.Fatalf("exit %d, errors %+v; want a normal lint", code, r.Errors)
				}
				found := c.wantMsg == ""
				for _, f := range r.Findings {
					if strings.Contains(f.File, "bad") && f.Rule == c.wantMsg {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s finding for the bad project: %+v", c.wantMsg, r.Findings)
				}
				return
			}
			if code != ExitIncomplete {
				t.Errorf("exit code %d, want %d", code, ExitIncomplete)
			}
			want := c.wantFile
			if want == "" {
				want = "bad/compose.yaml"
			}
			for _, e := range r.Errors {
				if !strings.HasSuffix(filepath.ToSlash(e.File), want) {
					continue
				}
				if !strings.Contains(e.Message, c.wantMsg) {
					t.Errorf("error %q, want it to say %q", e.Message, c.wantMsg)
				}
				switch {
				case c.wantPos == anyPos && (e.Line < 1 || e.Column < 1),
					c.wantPos == anyLine && e.Line < 1,
					c.wantPos.line >= 0 && c.wantPos != anyLine && (e.Line != c.wantPos.line || e.Column != c.wantPos.col):
					t.Errorf("error at %d:%d, want %v", e.Line, e.Column, c.wantPos)
				}
				if len(e.Message) > 2000 {
					t.Errorf("error message of %d bytes", len(e.Message))
				}
				return
			}
			t.Errorf("no error for %s: %+v", want, r.Errors)
		})
	}
}

// A directory or a FIFO given with -f is refused at once.
func TestHostileExplicitFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "compose.yaml")
	mkfifo(t, fifo)
	for _, c := range []struct{ name, file string }{{"directory as -f", dir}, {"FIFO as -f", fifo}} {
		t.Run(c.name, func(t *testing.T) {
			out, _, code, u := runMeasured(t, "lint", "--format", "json", "-f", c.file)
			t.Logf("reliability: %-40s exit %d  %s", c.name, code, u)
			r := parseReport(t, out)
			if code != ExitIncomplete || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "not a regular file") {
				t.Errorf("exit %d, errors %+v; want 2 and not a regular file", code, r.Errors)
			}
		})
	}
}

// The text format of an error is file:line:col: message, the form editors
// and CI annotations read.
func TestHostileErrorFormat(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "compose.yaml"), []byte(badBase+"    image: mysql\n"))
	out, _, code := run(t, "lint", dir)
	want := filepath.Join(dir, "compose.yaml") + ":6:5: error: invalid yaml: mapping key \"image\" already defined at line 3"
	if code != ExitIncomplete || !strings.Contains(out, want) {
		t.Errorf("exit %d, output:\n%s\nwant a line %q", code, out, want)
	}
}

// Files outside the project that a hostile compose file names (env_file,
// include, extends, a Dockerfile) may be read, as compose reads them, but
// nothing of their content reaches the output: values never, and for a
// file that is not a compose file, not even its keys.
func TestHostileOutsideProjectNoLeak(t *testing.T) {
	root := t.TempDir()
	outside, proj := filepath.Join(root, "outside"), filepath.Join(root, "proj", "app")
	// Markers are assembled at run time; none is a literal in this file.
	mark := func(s string) string { return "zq" + strings.ToUpper(s) + "x7Kp2Lm9" }
	token := "ghp" + "_" + strings.Repeat("Zq7x", 9)
	writeFile(t, filepath.Join(outside, "secret.env"), []byte("NOTE="+mark("note")+"\nDB_PASSWORD="+mark("dbpass")+"\nAPI_TOKEN="+token+"\n"))
	writeFile(t, filepath.Join(outside, "inc.yaml"), []byte("services:\n  leak:\n    image: nginx\n    environment:\n      NOTE: "+mark("incnote")+"\n      GITHUB_TOKEN: "+token+"\n"))
	writeFile(t, filepath.Join(outside, "base.yaml"), []byte("services:\n  base:\n    image: nginx\n    labels: ["+mark("label")+"]\n"))
	writeFile(t, filepath.Join(outside, "Dockerfile"), []byte("FROM scratch\n# "+mark("docker")+"\nVOLUME /data\n"))
	writeFile(t, filepath.Join(outside, "scalar.txt"), []byte("just some text "+mark("scalar")+"\nand a second line\n"))
	writeFile(t, filepath.Join(outside, "broken.txt"), []byte(mark("brokenkey")+": ["+mark("brokenval")+"\n"))
	cases := []struct {
		name, compose string
		code          int
	}{
		{"env_file outside", "services:\n  a:\n    image: nginx\n    env_file: ../../outside/secret.env\n", ExitFindings},
		{"include outside", "include:\n  - ../../outside/inc.yaml\nservices:\n  a:\n    image: nginx\n", ExitFindings},
		{"extends outside", "services:\n  a:\n    extends:\n      file: ../../outside/base.yaml\n      service: base\n", ExitOK},
		{"Dockerfile outside", "services:\n  a:\n    build:\n      context: ../../outside\n", ExitFindings},
		{"include a text file", "include:\n  - ../../outside/scalar.txt\nservices:\n  a:\n    image: nginx\n", ExitIncomplete},
		{"include a broken file", "include:\n  - ../../outside/broken.txt\nservices:\n  a:\n    image: nginx\n", ExitIncomplete},
		{"env_file /etc/passwd", "services:\n  a:\n    image: nginx\n    env_file: ../../../../../../../../../../etc/passwd\n", -1},
		{"include /etc/passwd", "include:\n  - ../../../../../../../../../../etc/passwd\nservices:\n  a:\n    image: nginx\n", ExitIncomplete},
	}
	passwd, _ := os.ReadFile("/etc/passwd")
	var passwdLines []string
	for _, l := range strings.Split(string(passwd), "\n") {
		if len(l) > 12 {
			passwdLines = append(passwdLines, l)
		}
	}
	secrets := []string{mark("note"), mark("dbpass"), token, mark("incnote"), mark("label"), mark("docker"), mark("scalar"), mark("brokenval"), mark("brokenkey")}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writeFile(t, filepath.Join(proj, "compose.yaml"), []byte(c.compose))
			for _, format := range []string{"text", "json"} {
				var out, errb bytes.Buffer
				code := Execute(&IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb, OutTTY: format == "text", Getenv: func(string) string { return "" }},
					[]string{"lint", "--format", format, "--color", "never", proj})
				if c.code >= 0 && code != c.code {
					t.Errorf("%s: exit %d, want %d\n%s%s", format, code, c.code, out.String(), errb.String())
				}
				all := out.String() + errb.String()
				for _, s := range secrets {
					if strings.Contains(all, s) {
						t.Errorf("%s output shows %q:\n%s", format, s, all)
					}
				}
				for _, l := range passwdLines {
					if strings.Contains(all, l) {
						t.Errorf("%s output shows a line of /etc/passwd:\n%s", format, all)
					}
				}
			}
		})
	}
}
