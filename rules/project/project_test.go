package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree creates files (path → content) under a temp dir and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string, files ...string) *Project {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	p, err := Load(context.Background(), Spec{Files: paths, Dir: dir}, Options{Environ: []string{}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return p
}

func TestDiscover(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a/compose.yaml":              "services: {}\n",
		"a/compose.override.yaml":     "services: {}\n",
		"a/docker-compose.yml":        "services: {}\n", // second main name: linted alone
		"a/docker-compose.prod.yml":   "services: {}\n",
		"a/notes.yml":                 "x: 1\nservices: [a]\n", // not at the top: "services:" must end the line
		"a/docker-stack.yml":          "version: '3.8'\nservices:\n  web:\n    image: nginx\n",
		"a/ci.yaml":                   "jobs:\n  services:\n",
		"b/docker-compose.yaml":       "services: {}\n",
		"node_modules/x/compose.yaml": "services: {}\n",
		".git/compose.yaml":           "services: {}\n",
		"vendor/compose.yml":          "services: {}\n",
	})
	specs, errs := Discover([]string{dir})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, s := range specs {
		var names []string
		for _, f := range s.Files {
			rel, _ := filepath.Rel(dir, f)
			names = append(names, filepath.ToSlash(rel))
		}
		got = append(got, strings.Join(names, "+"))
	}
	want := []string{
		"a/compose.yaml+a/compose.override.yaml",
		"a/docker-compose.prod.yml",
		"a/docker-compose.yml",
		"a/docker-stack.yml",
		"b/docker-compose.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("projects (-want +got):\n%s", diff)
	}
}

// A single override file given on the command line (as pre-commit does)
// is linted with its main file.
// An absolute path inside the working directory is reported relative to
// it (SPEC §3), also from "/"; one outside stays absolute.
func TestDiscoverNamesFilesRelativeToWorkingDir(t *testing.T) {
	dir := writeTree(t, map[string]string{"app/compose.yaml": "services: {a: {image: nginx}}\n"})
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "app")
	for _, tc := range []struct{ wd, want string }{
		{dir, filepath.Join("app", "compose.yaml")},
		{"/", filepath.Join(strings.TrimPrefix(abs, "/"), "compose.yaml")},
		{filepath.Join(dir, "app"), "compose.yaml"},
	} {
		t.Chdir(tc.wd)
		specs, errs := Discover([]string{abs})
		if len(errs) > 0 || len(specs) != 1 {
			t.Fatalf("from %s: specs %v, errors %v", tc.wd, specs, errs)
		}
		if got := specs[0].Files[0]; got != tc.want {
			t.Errorf("from %s: file %q, want %q", tc.wd, got, tc.want)
		}
	}
	t.Chdir(t.TempDir())
	if got := RelToWorkingDir(abs); got != abs {
		t.Errorf("outside the working directory: %q, want the absolute path %q", got, abs)
	}
}

func TestDiscoverSingleOverrideFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yml":          "services: {}\n",
		"compose.override.yml": "services: {}\n",
	})
	specs, _ := Discover([]string{filepath.Join(dir, "compose.override.yml")})
	if len(specs) != 1 || len(specs[0].Files) != 2 || filepath.Base(specs[0].Files[0]) != "compose.yml" {
		t.Fatalf("got %+v, want compose.yml + compose.override.yml", specs)
	}
	specs, errs := Discover([]string{filepath.Join(dir, "missing.yml")})
	if len(specs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "no such file") {
		t.Fatalf("missing file: specs=%v errs=%v", specs, errs)
	}
}

type pos struct {
	File      string
	Line, Col int
}

func at(t *testing.T, p *Project, segs ...string) pos {
	t.Helper()
	loc := p.Locate(segs...)
	if loc.Depth != len(segs) {
		t.Fatalf("%v: matched %d of %d segments", segs, loc.Depth, len(segs))
	}
	return pos{filepath.Base(loc.File.Path), loc.Line(), loc.Column()}
}

func TestLocateOverrideExtendsInclude(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yaml": `include:
  - inc/db.yaml
x-env: &env
  SHARED_SECRET: one
services:
  web:
    image: nginx
    environment:
      <<: *env
      OWN: two
  api:
    extends:
      file: base.yaml
      service: base
    volumes:
      - data:/srv/data
volumes:
  data:
`,
		"compose.override.yaml": `services:
  web:
    image: nginx:1.27
    environment:
      - OVERRIDDEN=yes
`,
		"base.yaml": `services:
  base:
    image: example/base
    environment:
      - BASE_TOKEN=abc
    volumes:
      - "/var/cache/app"
`,
		"inc/db.yaml": `services:
  db:
    image: "postgres:16"   # ünïcode comment
    environment: { POSTGRES_PASSWORD: "x" }
`,
	})
	p := load(t, dir, "compose.yaml", "compose.override.yaml")
	cases := []struct {
		segs []string
		want pos
	}{
		{[]string{"services", "web", "image"}, pos{"compose.override.yaml", 3, 5}},
		{[]string{"services", "web", "environment", "OVERRIDDEN"}, pos{"compose.override.yaml", 5, 9}},
		{[]string{"services", "web", "environment", "OWN"}, pos{"compose.yaml", 10, 7}},
		{[]string{"services", "web", "environment", "SHARED_SECRET"}, pos{"compose.yaml", 4, 3}},
		{[]string{"services", "api", "image"}, pos{"base.yaml", 3, 5}},
		{[]string{"services", "api", "environment", "BASE_TOKEN"}, pos{"base.yaml", 5, 9}},
		{[]string{"services", "api", "volumes", "/srv/data"}, pos{"compose.yaml", 16, 9}},
		{[]string{"services", "api", "volumes", "/var/cache/app"}, pos{"base.yaml", 7, 9}},
		{[]string{"services", "db", "image"}, pos{"db.yaml", 3, 5}},
		{[]string{"services", "db", "environment", "POSTGRES_PASSWORD"}, pos{"db.yaml", 4, 20}},
	}
	for _, c := range cases {
		if got := at(t, p, c.segs...); got != c.want {
			t.Errorf("%v: got %+v, want %+v", c.segs, got, c.want)
		}
	}
	// The merged model really has what the locator points at.
	if _, ok := p.Model.Services["db"]; !ok {
		t.Error("included service db missing from the model")
	}
	if got := p.Model.Services["web"].Image; got != "nginx:1.27" {
		t.Errorf("override not merged: image %q", got)
	}
}

// Columns count characters: a value after multi-byte characters is at the
// character column, and Offset/LineCol agree with it.
func TestColumnsCountCharacters(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "services:\n  web:\n    environment: {ÄÖÜ: 1, TOKEN: \"x\"}\n    image: nginx\n"})
	p := load(t, dir, "compose.yaml")
	got := at(t, p, "services", "web", "environment", "TOKEN")
	if got.Col != 27 {
		t.Errorf("TOKEN column = %d, want 27 (characters, not bytes)", got.Col)
	}
	f := p.Files[0]
	off := f.Offset(3, 27)
	if !strings.HasPrefix(string(f.Content[off:]), "TOKEN") {
		t.Errorf("Offset(3,27) points at %q", string(f.Content[off:off+5]))
	}
	if l, c := f.LineCol(off); l != 3 || c != 27 {
		t.Errorf("LineCol = %d:%d, want 3:27", l, c)
	}
}

func TestLocatePartialMatch(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "services:\n  db:\n    image: postgres\n"})
	p := load(t, dir, "compose.yaml")
	loc := p.Locate("services", "db", "volumes", "/data")
	if loc.Depth != 2 || loc.Line() != 2 || loc.Column() != 3 {
		t.Errorf("partial match: depth %d at %d:%d, want the service key at 2:3", loc.Depth, loc.Line(), loc.Column())
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, content string
		want          Error
	}{
		{"bad yaml", "services:\n  db:\n    image: [postgres\n", Error{Line: 4, Msg: "invalid yaml"}},
		{"schema", "services:\n  db:\n    image: postgres\n    ports: {a: 1}\n", Error{Line: 4, Msg: "ports"}},
		{"v1 format", "db:\n  image: postgres\n  ports: {a: 1}\n", Error{Line: 3, Msg: "ports must be a array (this is a legacy v1 file"}},
		{"missing extends file", "services:\n  db:\n    extends:\n      file: nope.yaml\n      service: x\n", Error{Line: 4, Msg: "no such file"}},
		{"empty", "", Error{Msg: "empty"}},
		// the placeholder load fails too (b has no image), so the first
		// error stands, with the unset variable named
		{"unset variable", "services:\n  db:\n    image: postgres\n    read_only: ${RO}\n  b:\n    restart: always\n", Error{Line: 4, Msg: "RO"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"compose.yaml": c.content})
			_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if filepath.Base(e.File) != "compose.yaml" || e.Line != c.want.Line || !strings.Contains(e.Msg, c.want.Msg) {
				t.Errorf("got %s:%d:%d %q, want line %d containing %q", e.File, e.Line, e.Column, e.Msg, c.want.Line, c.want.Msg)
			}
		})
	}
}

// A missing ${VAR:?} does not stop the lint: it becomes a note.
func TestRequiredVariableIsANote(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG:?set PG_TAG}\nversion: '3'\n"})
	p := load(t, dir, "compose.yaml")
	var msgs []string
	for _, n := range p.Notes {
		msgs = append(msgs, n.Msg)
	}
	joined := strings.Join(msgs, "|")
	if !strings.Contains(joined, "PG_TAG") || !strings.Contains(joined, "version") {
		t.Errorf("notes = %q, want the required variable and the obsolete version", joined)
	}
}

// .env next to the project is read for interpolation; profiles are all on.
func TestDotEnvAndProfiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG}\n  debug:\n    image: busybox\n    profiles: [debug]\n",
		".env":         "PG_TAG=16\n",
	})
	p := load(t, dir, "compose.yaml")
	if got := p.Model.Services["db"].Image; got != "postgres:16" {
		t.Errorf(".env not applied: image %q", got)
	}
	if _, ok := p.Model.Services["debug"]; !ok {
		t.Error("service in a profile is not linted by default")
	}
	only, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}, Profiles: []string{"other"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := only.Model.Services["debug"]; ok {
		t.Error("--profile other still enables the debug profile")
	}
}

// The shell wins over .env and --env-file for interpolation, as in docker
// compose; DotEnv is what .env says on its own, the same whether .env
// came from disk or from a fix pass's overlay.
func TestShellEnvironmentWinsOverDotEnv(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG}\n    container_name: ${NAME}\n",
		".env":         "PG_TAG=16\nNAME=db-${SUFFIX}\n",
		"other.env":    "PG_TAG=15\nNAME=other\n",
	})
	spec := Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}
	environ := []string{"PG_TAG=17", "SUFFIX=x"}
	content, err := os.ReadFile(filepath.Join(dir, ".env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		opts     Options
		wantName string
	}{
		{".env on disk", Options{Environ: environ}, "db-x"},
		{".env in the overlay", Options{Environ: environ, Overlay: map[string][]byte{filepath.Join(dir, ".env"): content}}, "db-x"},
		{"--env-file", Options{Environ: environ, EnvFiles: []string{filepath.Join(dir, "other.env")}}, "other"},
	} {
		p, err := Load(context.Background(), spec, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		svc := p.Model.Services["db"]
		if svc.Image != "postgres:17" || svc.ContainerName != tc.wantName {
			t.Errorf("%s: image %q, container_name %q; want postgres:17 (the shell's PG_TAG) and %q", tc.name, svc.Image, svc.ContainerName, tc.wantName)
		}
		if len(tc.opts.EnvFiles) > 0 {
			continue
		}
		want := map[string]string{"PG_TAG": "16", "NAME": "db-"}
		if diff := cmp.Diff(want, p.DotEnv); diff != "" {
			t.Errorf("%s: DotEnv (-want +got):\n%s", tc.name, diff)
		}
	}
}

// A project that only loads with its variables set is linted with
// placeholders, and says so.
func TestUnsetVariablesPlaceholders(t *testing.T) {
	dir := writeTree(t, map[string]string{"compose.yaml": "services:\n  db:\n    image: ${IMAGE}\n    container_name: ${NAME}\n    volumes:\n      - ${DATA_DIR}:/data\n"})
	p := load(t, dir, "compose.yaml")
	svc := p.Model.Services["db"]
	if svc.Image != "unset-image" || svc.ContainerName != "unset-name" || svc.Volumes[0].Source != "unset-data_dir" {
		t.Errorf("placeholders not applied: %+v", svc)
	}
	if len(p.Notes) == 0 || !strings.Contains(p.Notes[len(p.Notes)-1].Msg, "DATA_DIR") {
		t.Errorf("notes = %+v, want one naming the unset variables", p.Notes)
	}
}

// A value compose cannot interpolate (a password with a stray "$") is
// never quoted in the load error, whether it is in the compose file, the
// project's .env or an --env-file; the error still says where it is
// (dotenv's interpolation errors name no line: the entry is found).
func TestLoadErrorsHideValues(t *testing.T) {
	const secret = "Sup3rS3cret${oops"
	for _, tc := range []struct {
		name     string
		files    map[string]string
		envFiles []string
		wantFile string
		wantLine int
	}{
		{"compose file", map[string]string{"compose.yaml": "services:\n  s:\n    image: nginx\n    environment:\n      DB_PASSWORD: \"" + secret + "\"\n"}, nil, "compose.yaml", 5},
		{".env", map[string]string{"compose.yaml": "services:\n  s:\n    image: nginx\n", ".env": "A=1\nDB_PASSWORD=\"" + secret + "\"\n"}, nil, ".env", 2},
		{"--env-file", map[string]string{"compose.yaml": "services:\n  s:\n    image: nginx\n", "a.env": "A=1\n", "b.env": "DB_PASSWORD=\"" + secret + "\"\n"}, []string{"a.env", "b.env"}, "b.env", 1},
	} {
		dir := writeTree(t, tc.files)
		var envFiles []string
		for _, f := range tc.envFiles {
			envFiles = append(envFiles, filepath.Join(dir, f))
		}
		_, err := Load(context.Background(), Spec{Files: []string{filepath.Join(dir, "compose.yaml")}, Dir: dir}, Options{Environ: []string{}, EnvFiles: envFiles})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: err = %v, want an *Error", tc.name, err)
		}
		if strings.Contains(e.Error(), "Sup3r") || strings.Contains(e.Error(), "oops") {
			t.Errorf("%s: the error quotes the value: %s", tc.name, e)
		}
		if filepath.Base(e.File) != tc.wantFile || e.Line != tc.wantLine || !strings.Contains(e.Msg, "invalid interpolation format") || !strings.Contains(e.Msg, "$$") {
			t.Errorf("%s: error %s, want it on %s line %d, saying to write $$", tc.name, e, tc.wantFile, tc.wantLine)
		}
	}
}
