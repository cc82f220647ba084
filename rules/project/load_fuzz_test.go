package project_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/composure-dev/composure/rules"
	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/rules/project"
)

// Issue #6: hostile input. FuzzLoad and FuzzLocate are run with
//
//	go test ./rules/project -run '^$' -fuzz '^FuzzLoad$' -fuzztime 60s
//	go test ./rules/project -run '^$' -fuzz '^FuzzLocate$' -fuzztime 60s
//
// and their crashers are kept under testdata/fuzz as regression seeds.

// fuzzHang is how long one input may take before it counts as a hang. The
// worst inputs within the loader's limits take about 1.5 s.
const fuzzHang = 30 * time.Second

// fixtureSeeds returns the content of every YAML file under fixtures/.
func fixtureSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	err := filepath.WalkDir("../../fixtures", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if name := d.Name(); strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".golden") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	if len(out) < 20 {
		f.Fatalf("only %d fixture seeds", len(out))
	}
	return out
}

// trickySeeds are inputs that exercised loader paths the fixtures do not:
// anchors, merge keys, !reset / !override, CRLF, BOM, tabs, aliases to
// scalars, multi-document files, UTF-16, control characters.
var trickySeeds = []string{
	"x-env: &env\n  A: 1\nservices:\n  a:\n    image: nginx\n    environment:\n      <<: *env\n      B: 2\n",
	"x-a: &a {image: postgres}\nx-b: &b {environment: {POSTGRES_PASSWORD: x}}\nservices:\n  db:\n    <<: [*a, *b]\n",
	"services:\n  a:\n    image: nginx\n    ports: !reset []\n    environment: !override\n      A: 1\n",
	"services:\r\n  db:\r\n    image: postgres:16\r\n    environment:\r\n      POSTGRES_PASSWORD: hunter2-long\r\n",
	"\xef\xbb\xbfservices:\n  db:\n    image: mysql:8\n",
	"services:\n\tdb:\n\t\timage: postgres\n",
	"services:\n  a: &s\n    image: nginx\n  b: *s\n  c:\n    <<: *s\n    image: redis\n",
	"services:\n  db:\n    image: postgres\n---\nservices:\n  db:\n    image: mysql\n",
	"---\n---\n...\n",
	"services: *x\n",
	"x: &x [*x]\n",
	"services:\n  a:\n    image: nginx\n    image: redis\n",
	"services:\n  a:\n    extends: a\n",
	"include:\n  - include.yaml\n  - path: [a.yaml, ../b.yaml]\nservices: {}\n",
	"services:\n  a:\n    extends: {file: /dev/zero, service: b}\n",
	"services:\n  a:\n    image: ${IMG:-nginx}\n    volumes: [\"${DATA:?}:/data\"]\n    environment: [\"A=${B:-${C:-d}}\"]\n",
	"services:\n  a:\n    image: nginx\n    env_file: [../../../../etc/passwd]\n    build: {context: /, dockerfile: proc/self/pagemap}\n",
	"\xff\xfes\x00e\x00r\x00v\x00i\x00c\x00e\x00s\x00:\x00 \x00{\x00}\x00\n\x00",
	"services:\n  a:\n    image: \"\x00\x1b[31m\"\n",
	"services:\n  \"..\":\n    image: postgres\n    environment: {\"A\\nB_PASSWORD\": \"x\", \"../x_TOKEN\": \"ghp_0123456789abcdefghijABCDEFGHIJ012345\"}\n",
	"[[[[[[[[[[]]]]]]]]]]",
	"a:\n a:\n  a:\n   a:\n    a:\n",
	"- - - - - - - a\n",
	"version: '3'\ndb:\n  image: postgres\n",
	"",
}

// validMain is the main file when the fuzzed bytes are an override.
const validMain = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: not-a-real-pass-1\n  web:\n    image: nginx\n"

// FuzzLoad: arbitrary bytes as a compose file, and as an override next to
// a valid main file, load into a project or an *project.Error, never a
// panic or a hang; the rules then run on whatever loaded without an
// internal error.
func FuzzLoad(f *testing.F) {
	for _, b := range fixtureSeeds(f) {
		f.Add(b)
	}
	for _, s := range trickySeeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	main, override := filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "compose.override.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		cases := []struct {
			name    string
			files   []string
			overlay map[string][]byte
		}{
			{"main", []string{main}, map[string][]byte{main: data}},
			{"override", []string{main, override}, map[string][]byte{main: []byte(validMain), override: data}},
		}
		for _, c := range cases {
			cfg := lint.Config{
				Catalogue: rules.All(),
				Rules:     rules.All(),
				Load:      project.Options{Environ: []string{}, Overlay: c.overlay},
				Jobs:      1,
			}
			outs := runBounded(t, func() []lint.Outcome {
				return lint.Run(context.Background(), []project.Spec{{Files: c.files, Dir: dir}}, cfg)
			})
			o := outs[0]
			var pe *project.Error
			var ie *lint.InternalError
			switch {
			case errors.As(o.Err, &ie):
				t.Fatalf("%s: internal error: %v\n%s", c.name, ie, ie.Stack)
			case o.Err != nil && !errors.As(o.Err, &pe):
				t.Fatalf("%s: error %T %v, want *project.Error", c.name, o.Err, o.Err)
			case o.Err != nil:
				if pe.File == "" || pe.Msg == "" || pe.Line < 0 || pe.Column < 0 || (pe.Column > 0 && pe.Line == 0) {
					t.Fatalf("%s: malformed error %+v", c.name, pe)
				}
			case o.Project == nil || o.Project.Model == nil || len(o.Project.Files) != len(c.files):
				t.Fatalf("%s: no error and no project", c.name)
			}
			for _, fd := range o.Findings {
				if fd.Pos.File == "" || fd.Pos.Line < 1 || fd.Pos.Column < 1 {
					t.Fatalf("%s: finding without a position: %+v", c.name, fd)
				}
			}
		}
	})
}

// runBounded runs fn, turning a panic into a test failure with its stack
// and a run longer than fuzzHang into a hang report.
func runBounded[T any](t *testing.T, fn func() T) T {
	t.Helper()
	type result struct {
		v     T
		panic any
		stack []byte
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{panic: r, stack: debug.Stack()}
			}
		}()
		done <- result{v: fn()}
	}()
	select {
	case r := <-done:
		if r.panic != nil {
			t.Fatalf("panic: %v\n%s", r.panic, r.stack)
		}
		return r.v
	case <-time.After(fuzzHang):
		t.Fatalf("no result after %v: a hang", fuzzHang)
	}
	var zero T
	return zero
}

// locateSeedProjects are loaded once; FuzzLocate walks random model paths
// through them.
var locateSeedProjects = []map[string]string{
	{
		"compose.yaml":          "include:\n  - inc/db.yaml\nx-env: &env\n  SHARED_SECRET: one\nservices:\n  web:\n    image: nginx\n    environment:\n      <<: *env\n      OWN: two\n    volumes:\n      - data:/srv/data\n      - type: bind\n        source: ./x\n        target: /x/\n  api:\n    extends:\n      file: base.yaml\n      service: base\n    tmpfs: [\"/run:size=1m\"]\nvolumes:\n  data:\n",
		"compose.override.yaml": "services:\n  web:\n    image: nginx:1.27\n    environment:\n      - OVERRIDDEN=yes\n    ports: !reset []\n",
		"base.yaml":             "services:\n  base:\n    image: example/base\n    environment:\n      - BASE_TOKEN=abc\n    volumes:\n      - \"/var/cache/app\"\n    labels: [\"a=b\", c]\n",
		"inc/db.yaml":           "services:\n  db:\n    image: \"postgres:16\"\n    environment: { POSTGRES_PASSWORD: \"x\" }\n    secrets: [{source: s, target: t}]\nsecrets:\n  s:\n    file: ./s.txt\n",
	},
	{
		"compose.yaml": "x-a: &a\n  image: postgres\n  environment: &e\n    A: 1\nx-b: &b\n  <<: *a\n  command: [\"a\", \"b\"]\nservices:\n  one: *a\n  two:\n    <<: [*b, *a]\n    environment:\n      <<: *e\n      B: 2\n  three:\n    extends: two\n    volumes: [\"C:\\\\data:/data\", \"${X:-y}:/z:ro\"]\n---\nservices:\n  four: {image: redis}\n",
	},
}

// FuzzLocate: any model path on the seed projects gives a consistent Loc:
// Depth within the path, and a node always with its file and a position.
func FuzzLocate(f *testing.F) {
	var projects []*project.Project
	for i, files := range locateSeedProjects {
		dir := f.TempDir()
		var spec project.Spec
		spec.Dir = dir
		for name, content := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				f.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				f.Fatal(err)
			}
		}
		for _, name := range []string{"compose.yaml", "compose.override.yaml"} {
			if _, ok := files[name]; ok {
				spec.Files = append(spec.Files, filepath.Join(dir, name))
			}
		}
		p, err := project.Load(context.Background(), spec, project.Options{Environ: []string{}})
		if err != nil {
			f.Fatalf("seed project %d: %v", i, err)
		}
		projects = append(projects, p)
	}
	for _, s := range []string{
		"services.web.environment.SHARED_SECRET", "services.web.volumes./x", "services.api.volumes./var/cache/app",
		"services.api.environment.BASE_TOKEN", "services.db.environment.POSTGRES_PASSWORD", "services.db.secrets.s",
		"services.two.environment.A", "services.three.volumes./data", "services.three.command.b", "services.four.image",
		"services.api.labels.c", "volumes.data", "services", "", ".", "services..", "services.web.ports.0",
		"services.three.extends", "services.api.tmpfs./run", "x-b.<<.image",
	} {
		f.Add(uint8(0), s)
		f.Add(uint8(1), s)
	}
	f.Fuzz(func(t *testing.T, which uint8, path string) {
		p := projects[int(which)%len(projects)]
		segs := strings.Split(path, ".")
		check := func(what string, l project.Loc) {
			if l.Depth < 0 || l.Depth > len(segs) {
				t.Fatalf("%s %q: depth %d of %d segments", what, path, l.Depth, len(segs))
			}
			if l.Node == nil {
				if l.Depth != 0 || l.Key != nil {
					t.Fatalf("%s %q: no node but depth %d, key %v", what, path, l.Depth, l.Key)
				}
				return
			}
			if l.File == nil {
				t.Fatalf("%s %q: node without file", what, path)
			}
			if l.Line() < 1 || l.Column() < 1 {
				t.Fatalf("%s %q: position %d:%d", what, path, l.Line(), l.Column())
			}
			if l.Line() > strings.Count(string(l.File.Content), "\n")+1 {
				t.Fatalf("%s %q: line %d past the end of %s", what, path, l.Line(), l.File.Path)
			}
		}
		check("Locate", runBounded(t, func() project.Loc { return p.Locate(segs...) }))
		for _, file := range p.AllFiles() {
			check(fmt.Sprintf("LocateIn(%s)", file.Path), p.LocateIn(file, segs...))
		}
		_ = project.VolumeTarget(path)
	})
}
