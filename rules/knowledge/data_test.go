package knowledge

import (
	"os"
	"strings"
	"testing"
)

// readImagesYAML reads the source of the built-in knowledge. It is no
// longer embedded: Default uses the generated images_gen.go.
func readImagesYAML(tb testing.TB) []byte {
	tb.Helper()
	src, err := os.ReadFile("images.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

func TestImagesFileIsValid(t *testing.T) {
	src := readImagesYAML(t)
	k, err := Parse(src)
	if err != nil {
		t.Fatalf("images.yaml: %v", err)
	}
	if got := len(Default().All()); got != len(k.All()) {
		t.Fatalf("Default has %d entries, Parse %d", got, len(k.All()))
	}
	if len(k.All()) < 70 {
		t.Errorf("only %d entries", len(k.All()))
	}
	owner := map[string]string{}
	for _, img := range k.All() {
		if img.ID == "" || len(img.Images) == 0 {
			t.Errorf("entry %+v: id and images required", img)
		}
		switch img.Stateful {
		case Stateless, Stateful:
			if img.Condition != "" {
				t.Errorf("%s: condition on a non-conditional entry", img.ID)
			}
		case Conditional:
			if img.Condition == "" {
				t.Errorf("%s: conditional without condition", img.ID)
			}
		default:
			t.Errorf("%s: stateful = %v", img.ID, img.Stateful)
		}
		for _, name := range img.Images {
			if prev, dup := owner[name]; dup {
				t.Errorf("%q in both %s and %s", name, prev, img.ID)
			}
			owner[name] = img.ID
			if repo, tag := splitRef(name); repo != name || tag != "" {
				t.Errorf("%s: %q is not normalised (%q, %q)", img.ID, name, repo, tag)
			}
			if m, ok := k.Lookup(name); !ok || m.Image != img {
				t.Errorf("%s: Lookup(%q) does not find the entry", img.ID, name)
			}
		}
		for _, p := range img.DataPaths {
			if !isAbsPath(p.Path) {
				t.Errorf("%s: path %q is not absolute", img.ID, p.Path)
			}
		}
		if img.FileEnv.Supported && img.FileEnv.Suffix != "_FILE" && img.FileEnv.Suffix != "__FILE" {
			t.Errorf("%s: suffix %q", img.ID, img.FileEnv.Suffix)
		}
	}
	// Every entry says where its facts come from: its reference entry, an
	// upstream file at a commit, or documentation (then nothing may claim a
	// VOLUME, which only a Dockerfile shows).
	byID := map[string]*Image{}
	for _, img := range k.All() {
		byID[img.ID] = img
	}
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "- id:") {
			continue
		}
		_, src, ok := strings.Cut(line, "# source: ")
		switch {
		case !ok:
			t.Errorf("entry without a source comment: %s", line)
		case strings.HasPrefix(src, "images.yaml#"):
		case strings.HasPrefix(src, "upstream "):
			if repo, _, _ := strings.Cut(strings.TrimPrefix(src, "upstream "), ":"); !strings.Contains(repo, "@") {
				t.Errorf("upstream source without repo@commit: %s", line)
			}
		case strings.HasPrefix(src, "index "):
			if id, _, _ := strings.Cut(strings.TrimPrefix(src, "index "), " "); id == "" || strings.Trim(id, "0123456789") != "" {
				t.Errorf("index source without a file id: %s", line)
			}
		case strings.HasPrefix(src, "docs "):
			if !strings.Contains(src, "unverified here") {
				t.Errorf("docs source not marked unverified: %s", line)
			}
			id := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(line, "#", 2)[0], "- id:"))
			img := byID[id]
			if img == nil {
				t.Errorf("no entry %q", id)
				continue
			}
			for _, p := range img.DataPaths {
				if p.VolumeDeclared {
					t.Errorf("%s: %s volume_declared from docs only", id, p.Path)
				}
			}
		default:
			t.Errorf("unknown source kind: %s", line)
		}
	}
}

func TestDefaultIsShared(t *testing.T) {
	if first, second := Default(), Default(); first != second {
		t.Fatal("Default builds more than once")
	}
}

const validEntry = `
version: 1
images:
- id: a
  images: [a]
  stateful: true
  data_paths: [{path: /data, volume_declared: true}]
`

func TestParseAcceptsMinimalFile(t *testing.T) {
	k, err := Parse([]byte(validEntry))
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := k.Lookup("a:1"); !ok || len(m.DataPaths) != 1 || m.DataPaths[0].Path != "/data" {
		t.Fatalf("Lookup = %+v, %v", m, ok)
	}
}

func TestParseRejects(t *testing.T) {
	entry := func(body string) string {
		return "version: 1\nimages:\n- id: a\n  images: [a]\n" + body
	}
	tests := []struct {
		name, doc, want string
	}{
		{"unknown top-level key", validEntry + "extra: 1\n", "extra"},
		{"unknown entry key", entry("  stateful: true\n  sources: [x]\n"), "sources"},
		{"unknown data_path key", entry("  stateful: true\n  data_paths: [{path: /d, volume_declared: true, note: x}]\n"), "note"},
		{"unknown file_env key", entry("  stateful: true\n  file_env: {supported: false, mechanism: x}\n"), "mechanism"},
		{"duplicate key", entry("  stateful: true\n  stateful: false\n"), "already defined"},
		{"wrong version", "version: 2\nimages:\n- id: a\n  images: [a]\n  stateful: true\n", "version"},
		{"missing id", "version: 1\nimages:\n- images: [a]\n  stateful: true\n", "id"},
		{"missing images", "version: 1\nimages:\n- id: a\n  stateful: true\n", "images"},
		{"bad stateful", entry("  stateful: maybe\n"), "stateful"},
		{"missing stateful", entry(""), "stateful"},
		{"conditional without condition", entry("  stateful: conditional\n"), "condition"},
		{"condition on stateful", entry("  stateful: true\n  condition: x\n"), "condition"},
		{"relative path", entry("  stateful: true\n  data_paths: [{path: data, volume_declared: true}]\n"), "absolute"},
		{"unclean path", entry("  stateful: true\n  data_paths: [{path: /data/, volume_declared: true}]\n"), "absolute"},
		{"volume_declared missing", entry("  stateful: true\n  data_paths: [{path: /data}]\n"), "volume_declared"},
		{"bad range", entry("  stateful: true\n  data_paths: [{path: /d, volume_declared: true, min_major: 5, max_major: 4}]\n"), "range"},
		{"latest_major unversioned", entry("  stateful: true\n  latest_major: 3\n  data_paths: [{path: /d, volume_declared: true}]\n"), "latest_major"},
		{"paths on stateless", entry("  stateful: false\n  data_paths: [{path: /d, volume_declared: true}]\n"), "stateless"},
		{"persistence_off on stateful", entry("  stateful: true\n  persistence_off: {all: [[--x]]}\n"), "persistence_off"},
		{"supported and broken", entry("  stateful: true\n  file_env: {supported: true, broken: true, vars: [A]}\n"), "broken"},
		{"supported without vars", entry("  stateful: true\n  file_env: {supported: true}\n"), "vars"},
		{"bad suffix", entry("  stateful: true\n  file_env: {supported: true, suffix: .file, vars: [A]}\n"), "suffix"},
		{"secret and not secret", entry("  stateful: true\n  secret_env: [A]\n  not_secret: [a]\n"), "both"},
		{"tag in image", "version: 1\nimages:\n- id: a\n  images: [a:1]\n  stateful: true\n", "tag"},
		{"docker.io prefix", "version: 1\nimages:\n- id: a\n  images: [docker.io/a]\n  stateful: true\n", "normalised"},
		{"library prefix", "version: 1\nimages:\n- id: a\n  images: [library/a]\n  stateful: true\n", "normalised"},
		{"upper case", "version: 1\nimages:\n- id: a\n  images: [A]\n  stateful: true\n", "normalised"},
		{"duplicate image", validEntry + "- id: b\n  images: [a]\n  stateful: true\n", "already in"},
		{"duplicate id", validEntry + "- id: a\n  images: [b]\n  stateful: true\n", "duplicate id"},
		{"secret_env and scan_value", entry("  stateful: true\n  secret_env: [A_URL]\n  scan_value: [a_*]\n"), "scan_value"},
		{"scan_value and not_secret", entry("  stateful: true\n  scan_value: [A_URL]\n  not_secret: [A_URL]\n"), "not_secret"},
		{"bad scan_value name", entry("  stateful: true\n  scan_value: [A=B]\n"), "bad name"},
		{"unknown stateless_when_env key", entry("  stateful: true\n  stateless_when_env: [{name: A, unless: [x]}]\n"), "unless"},
		{"stateless_when_env on stateless", entry("  stateful: false\n  stateless_when_env: [{name: A}]\n"), "stateless"},
		{"stateless_when_env without name", entry("  stateful: true\n  stateless_when_env: [{except: [x]}]\n"), "bad name"},
		{"stateless_when_env twice", entry("  stateful: true\n  stateless_when_env: [{name: A}, {name: A}]\n"), "twice"},
		{"stateless_when_env empty except", entry("  stateful: true\n  stateless_when_env: [{name: A, except: [\"\"]}]\n"), "empty"},
		{"data_from_args without after", entry("  stateful: true\n  data_from_args: {volumes: [/data]}\n"), "after"},
		{"data_from_args bad flag", entry("  stateful: true\n  data_from_args: {after: server, skip_flags: [certs]}\n"), "skip_flags"},
		{"data_flag not a long flag", entry("  stateful: true\n  data_paths: [{path: /d, volume_declared: false}]\n  data_flag: datadir\n"), "data_flag"},
		{"data_flag on a stateless image", entry("  stateful: false\n  data_flag: --datadir\n"), "data_flag"},
		{"data_from_args relative volume", entry("  stateful: true\n  data_from_args: {after: server, volumes: [data]}\n"), "volumes"},
		{"data_from_args on stateless", entry("  stateful: false\n  data_from_args: {after: server}\n"), "stateless"},
		{"tag_not_major unversioned", entry("  stateful: true\n  tag_not_major: true\n  data_paths: [{path: /d, volume_declared: true}]\n"), "tag_not_major"},
		{"tag_not_major with latest_major", entry("  stateful: true\n  tag_not_major: true\n  latest_major: 3\n  data_paths: [{path: /d, volume_declared: true, max_major: 2}]\n"), "tag_not_major"},
		{"bad variant", entry("  stateful: true\n  data_paths: [{path: /d, volume_declared: true, variants: [-search]}]\n"), "variant"},
		{"bad variant double dash", entry("  stateful: true\n  data_paths: [{path: /d, volume_declared: true, variants: [a--b]}]\n"), "variant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestNonContiguousPaths(t *testing.T) {
	k, err := Parse([]byte(`
version: 1
images:
- id: a
  images: [a]
  stateful: true
  latest_major: 3
  data_paths:
    - {path: /old, volume_declared: true, max_major: 2}
    - {path: /new, volume_declared: false, min_major: 3}
    - {path: /old-logs, volume_declared: true, max_major: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{"a:2": "/old /old-logs", "a:3": "/new", "a": "/new"} {
		m, _ := k.Lookup(ref)
		if got := strings.Join(paths(m.DataPaths), " "); got != want {
			t.Errorf("Lookup(%q) paths = %q, want %q", ref, got, want)
		}
	}
}
