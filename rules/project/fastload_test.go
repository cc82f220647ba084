package project

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// loadBoth loads files in dir the fast way and the reference way.
// mainFiles are the files of a test tree docker compose would merge:
// compose.yaml and its override when there is one.
func mainFiles(files map[string]string) []string {
	names := []string{"compose.yaml"}
	if _, ok := files["compose.override.yaml"]; ok {
		names = append(names, "compose.override.yaml")
	}
	return names
}

func loadBoth(t *testing.T, dir string, files ...string) (fast, ref *Project, fastErr, refErr error) {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	spec := Spec{Files: paths, Dir: dir}
	fast, fastErr = Load(context.Background(), spec, Options{Environ: []string{"HOME=/home/u"}})
	ref, refErr = LoadReference(context.Background(), spec, Options{Environ: []string{"HOME=/home/u"}})
	return fast, ref, fastErr, refErr
}

// modelOpts compare models whole, unexported fields included.
var modelOpts = []cmp.Option{cmpopts.EquateEmpty(), cmp.Exporter(func(reflect.Type) bool { return true })}

func sameModel(t *testing.T, fast, ref *Project) {
	t.Helper()
	if diff := cmp.Diff(ref.Model, fast.Model, modelOpts...); diff != "" {
		t.Errorf("the fast load changes the model (-reference +fast):\n%s", diff)
	}
	if diff := cmp.Diff(ref.Notes, fast.Notes, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("the fast load changes the notes (-reference +fast):\n%s", diff)
	}
}

// TestFastLoadSameModel: names and relative paths, the two things the
// fast load computes differently, come out as compose-go's own load makes
// them.
func TestFastLoadSameModel(t *testing.T) {
	cases := map[string]map[string]string{
		"no name": {"compose.yaml": "services:\n  web:\n    image: nginx\n"},
		"name":    {"compose.yaml": "name: My_App\nservices:\n  web:\n    image: nginx\n"},
		"interpolated name": {
			"compose.yaml": "name: ${STACK}-prod\nservices:\n  web:\n    image: nginx\n",
			".env":         "STACK=Shop\n",
		},
		"unset name":     {"compose.yaml": "name: ${NOPE}\nservices:\n  web:\n    image: nginx\n"},
		"required name":  {"compose.yaml": "name: ${NOPE:?set it}\nservices:\n  web:\n    image: nginx\n"},
		"number name":    {"compose.yaml": "name: 2024\nservices:\n  web:\n    image: nginx\n"},
		"null name":      {"compose.yaml": "name:\nservices:\n  web:\n    image: nginx\n"},
		"project var":    {"compose.yaml": "name: shop\nservices:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n"},
		"override names": {"compose.yaml": "name: base\nservices:\n  web:\n    image: nginx\n", "compose.override.yaml": "name: over\n"},
		"paths": {
			"compose.yaml": `services:
  web:
    build:
      context: ./app
      additional_contexts: {lib: ../lib}
    env_file: [.env.web, {path: ./opt.env, required: false}]
    label_file: ./labels
    volumes:
      - ./data:/data
      - ~/cache:/cache
      - named:/named
      - {type: bind, source: ./conf, target: /conf}
    develop:
      watch: [{action: sync, path: ./src, target: /src}]
    environment: {PATH_LIKE: ./not-a-path}
    command: ["./run", "--dir", "./x"]
  job:
    image: busybox
    build: .
volumes:
  named: {}
  dev:
    driver: local
    driver_opts: {type: none, o: bind, device: ./dev}
secrets:
  key: {file: ./key.txt}
configs:
  conf: {file: ./conf.ini}
`,
			".env.web": "A=1\n",
			"labels":   "l=1\n",
		},
		"defaults": {
			"compose.yaml": `services:
  app:
    build: {dockerfile: Dockerfile.dev}
    ports: ["8080:80", {target: 443}]
    secrets: [key]
    volumes: [{type: bind, source: ./x, target: /x}]
    gpus: [{driver: nvidia}]
    deploy:
      resources:
        reservations:
          devices: [{capabilities: [gpu]}]
secrets:
  key: {file: ./key}
`,
		},
		"include with defaults": {
			"compose.yaml":     "include: [sub/compose.yaml]\nservices:\n  web:\n    build: {dockerfile: D}\n",
			"sub/compose.yaml": "services:\n  api:\n    build: {dockerfile: D}\n    ports: ['80']\n",
		},
		"extends from another file": {
			"compose.yaml":  "services:\n  web:\n    extends: {file: sub/base.yaml, service: base}\n",
			"sub/base.yaml": "services:\n  base:\n    image: nginx\n    volumes: [./data:/data]\n    env_file: ./base.env\n",
			"sub/base.env":  "B=1\n",
		},
		"include": {
			"compose.yaml":     "include: [sub/compose.yaml]\nservices:\n  web:\n    image: nginx\n    volumes: [./w:/w]\n",
			"sub/compose.yaml": "services:\n  db:\n    image: postgres\n    volumes: [./pg:/var/lib/postgresql/data]\n",
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			fast, ref, fastErr, refErr := loadBoth(t, dir, mainFiles(files)...)
			if (fastErr == nil) != (refErr == nil) || (fastErr != nil && fastErr.Error() != refErr.Error()) {
				t.Fatalf("errors differ: fast %v, reference %v", fastErr, refErr)
			}
			if refErr == nil {
				sameModel(t, fast, ref)
			}
		})
	}
}

// TestFastLoadSameModelCorpus: the same on every corpus file that loads.
func TestFastLoadSameModelCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	if len(files) == 0 {
		t.Skip("no corpus at ../../../shared/corpus/dev")
	}
	if testing.Short() {
		t.Skip("corpus comparison skipped with -short")
	}
	compared := 0
	for _, f := range files {
		dir, base := filepath.Split(f)
		fast, ref, fastErr, refErr := loadBoth(t, dir, base)
		if (fastErr == nil) != (refErr == nil) {
			t.Errorf("%s: fast error %v, reference error %v", base, fastErr, refErr)
			continue
		}
		if refErr != nil {
			continue
		}
		compared++
		if diff := cmp.Diff(ref.Model, fast.Model, modelOpts...); diff != "" {
			t.Errorf("%s: the fast load changes the model (-reference +fast):\n%s", base, diff)
		}
	}
	if compared < len(files)/2 {
		t.Errorf("only %d of %d corpus files loaded", compared, len(files))
	}
}

// yamlKeys lists the yaml keys of a struct's fields, through inlined
// (embedded) structs.
func yamlKeys(typ reflect.Type) []string {
	var keys []string
	for f := range typ.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if (f.Anonymous || strings.Contains(opts, "inline")) && ft.Kind() == reflect.Struct {
			keys = append(keys, yamlKeys(ft)...)
			continue
		}
		if name != "" && name != "-" && !strings.HasPrefix(name, "#") {
			keys = append(keys, name)
		}
	}
	return keys
}
