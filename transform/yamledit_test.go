package transform

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"
)

// nav walks a node tree by mapping keys and sequence indexes.
func nav(n *yaml.Node, path ...string) *yaml.Node {
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, p := range path {
		if n.Kind == yaml.SequenceNode {
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(n.Content) {
				panic("bad index " + p)
			}
			n = n.Content[i]
			continue
		}
		i := pairIndex(n, p)
		if i < 0 {
			panic("no key " + p)
		}
		n = n.Content[i+1]
	}
	return n
}

type editFunc func(s *Source, doc *yaml.Node) ([]Edit, error)

type yamlCase struct {
	name string
	src  string
	edit editFunc
	// want is the exact result; value, when set, is the expected data of
	// the result written as clean YAML (both are decoded and compared).
	want  string
	value string
	// err, when set, is the error the helper must return (errors.Is).
	err error
}

func runYAMLCases(t *testing.T, cases []yamlCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
				t.Fatalf("test source does not parse: %v", err)
			}
			s := NewSource("compose.yaml", []byte(tc.src))
			edits, err := tc.edit(s, &doc)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error = %v, want %v", err, tc.err)
				}
				if edits != nil {
					t.Fatalf("edits %v returned with an error", edits)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, e := range edits {
				if e.File != "compose.yaml" {
					t.Errorf("edit %v has File %q", e, e.File)
				}
			}
			out, err := Apply([]byte(tc.src), edits)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if diff := cmp.Diff(tc.want, string(out)); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s\ngot:\n%s", diff, out)
			}
			checkPreserved(t, []byte(tc.src), out, edits)
			checkInvariants(t, tc.src, string(out))
			var got any
			if err := yaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("result does not parse: %v\n%s", err, out)
			}
			if tc.value != "" {
				var want any
				if err := yaml.Unmarshal([]byte(tc.value), &want); err != nil {
					t.Fatalf("expected value does not parse: %v", err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("parsed result mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// checkInvariants: line endings and the final newline are kept.
func checkInvariants(t *testing.T, src, out string) {
	t.Helper()
	if strings.Contains(src, "\r\n") && !strings.Contains(strings.ReplaceAll(src, "\r\n", ""), "\n") {
		if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
			t.Errorf("CRLF file got a bare LF:\n%q", out)
		}
	}
	if !strings.Contains(src, "\r\n") && strings.Contains(out, "\r") {
		t.Errorf("LF file got a CR:\n%q", out)
	}
	if src != "" && strings.HasSuffix(src, "\n") != strings.HasSuffix(out, "\n") {
		t.Errorf("final newline changed: %q -> %q", src[max(0, len(src)-10):], out[max(0, len(out)-10):])
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func addEntry(path []string, key, value string) editFunc {
	return func(s *Source, doc *yaml.Node) ([]Edit, error) {
		return AddMappingEntry(s, nav(doc, path...), key, value)
	}
}

func p(path ...string) []string { return path }

const compose2 = `services:
  web:
    image: nginx # pinned
    ports:
      - "80:80"

  db:
    image: postgres
    environment:
      POSTGRES_DB: app
    # volumes:
    #   - db:/var/lib/postgresql/data

volumes:
  db:
`

const compose4 = `services:
    web:
        image: nginx
        ports:
        - "80:80"
    db:
        image: postgres
`

func TestAddMappingEntry(t *testing.T) {
	runYAMLCases(t, []yamlCase{
		{
			name: "2-space scalar after last entry",
			src:  compose2,
			edit: addEntry(p("services", "web"), "restart", "unless-stopped"),
			want: strings.Replace(compose2, "      - \"80:80\"\n", "      - \"80:80\"\n    restart: unless-stopped\n", 1),
		},
		{
			name: "comment lines after the last entry stay after the new one",
			src:  compose2,
			edit: addEntry(p("services", "db"), "restart", "always"),
			want: strings.Replace(compose2, "POSTGRES_DB: app\n", "POSTGRES_DB: app\n    restart: always\n", 1),
		},
		{
			name: "block sequence value follows the file's indented style",
			src:  compose2,
			edit: addEntry(p("services", "db"), "volumes", "- db:/var/lib/postgresql/data"),
			want: strings.Replace(compose2, "POSTGRES_DB: app\n", "POSTGRES_DB: app\n    volumes:\n      - db:/var/lib/postgresql/data\n", 1),
			value: `
services:
  web: {image: nginx, ports: ["80:80"]}
  db:
    image: postgres
    environment: {POSTGRES_DB: app}
    volumes: [db:/var/lib/postgresql/data]
volumes: {db: null}
`,
		},
		{
			name: "4-space file with indentless sequences",
			src:  compose4,
			edit: addEntry(p("services", "db"), "volumes", "- a:/a\n- type: bind\n  source: ./b\n  target: /b"),
			want: compose4 + "        volumes:\n        - a:/a\n        - type: bind\n          source: ./b\n          target: /b\n",
		},
		{
			name: "nested mapping value in a 4-space file",
			src:  compose4,
			edit: addEntry(p("services", "web"), "healthcheck", "test: [CMD, curl, -f, http://localhost]\ninterval: 10s\nextra:\n  deep: 1\n  list:\n    - x"),
			want: strings.Replace(compose4, "        - \"80:80\"\n", "        - \"80:80\"\n        healthcheck:\n            test: [CMD, curl, -f, http://localhost]\n            interval: 10s\n            extra:\n                deep: 1\n                list:\n                - x\n", 1),
		},
		{
			name: "top-level mapping",
			src:  compose2,
			edit: addEntry(nil, "networks", "default:\n  name: app"),
			want: compose2 + "networks:\n  default:\n    name: app\n",
		},
		{
			name: "null value",
			src:  "volumes:\n  a:\n",
			edit: addEntry(p("volumes"), "b", ""),
			want: "volumes:\n  a:\n  b:\n",
		},
		{
			name: "CRLF file",
			src:  crlf(compose2),
			edit: addEntry(p("services", "web"), "healthcheck", "test: [CMD, 'true']\ninterval: 5s"),
			want: crlf(strings.Replace(compose2, "      - \"80:80\"\n", "      - \"80:80\"\n    healthcheck:\n      test: [CMD, 'true']\n      interval: 5s\n", 1)),
		},
		{
			name: "no final newline",
			src:  "services:\n  web:\n    image: nginx",
			edit: addEntry(p("services", "web"), "restart", "always"),
			want: "services:\n  web:\n    image: nginx\n    restart: always",
		},
		{
			name: "CRLF without final newline",
			src:  "a:\r\n  b: 1",
			edit: addEntry(p("a"), "c", "- 1\n- 2"),
			want: "a:\r\n  b: 1\r\n  c:\r\n    - 1\r\n    - 2",
		},
		{
			name: "trailing comment on the last line",
			src:  "svc:\n  image: x # keep\n",
			edit: addEntry(p("svc"), "user", "\"1000\""),
			want: "svc:\n  image: x # keep\n  user: \"1000\"\n",
		},
		{
			name: "trailing comment on the last line without final newline",
			src:  "svc:\n  image: x # keep",
			edit: addEntry(p("svc"), "user", "app"),
			want: "svc:\n  image: x # keep\n  user: app",
		},
		{
			name: "block scalar as the last value",
			src:  "svc:\n  command: |\n    echo one\n    echo two\n\n  # about the next service\nnext: 1\n",
			edit: addEntry(p("svc"), "init", "true"),
			want: "svc:\n  command: |\n    echo one\n    echo two\n  init: true\n\n  # about the next service\nnext: 1\n",
		},
		{
			name: "folded strip scalar at EOF without final newline",
			src:  "svc:\n  command: >-\n    echo one",
			edit: addEntry(p("svc"), "init", "true"),
			want: "svc:\n  command: >-\n    echo one\n  init: true",
		},
		{
			name: "clip block scalar at EOF without final newline is refused",
			src:  "svc:\n  command: |\n    echo one",
			edit: addEntry(p("svc"), "init", "true"),
			err:  ErrUnsupported,
		},
		{
			name: "keep block scalar followed by blank lines is refused",
			src:  "svc:\n  command: |+\n    echo one\n\nx: 1\n",
			edit: addEntry(p("svc"), "init", "true"),
			err:  ErrUnsupported,
		},
		{
			name: "nested mapping as the last value",
			src:  "svc:\n  logging:\n    driver: json\n    options:\n      max-size: 10m\nother: 1\n",
			edit: addEntry(p("svc"), "init", "true"),
			want: "svc:\n  logging:\n    driver: json\n    options:\n      max-size: 10m\n  init: true\nother: 1\n",
		},
		{
			name: "multi-line plain scalar as the last value",
			src:  "svc:\n  description: one\n    two\n    three\nx: 1\n",
			edit: addEntry(p("svc"), "init", "true"),
			want: "svc:\n  description: one\n    two\n    three\n  init: true\nx: 1\n",
		},
		{
			name: "multi-line double-quoted scalar as the last value",
			src:  "svc:\n  description: \"one \\\"\n    two\" # c\nx: 1\n",
			edit: addEntry(p("svc"), "init", "true"),
			want: "svc:\n  description: \"one \\\"\n    two\" # c\n  init: true\nx: 1\n",
		},
		{
			name: "mapping in a sequence item",
			src:  "list:\n  - name: a\n    value: 1\n  - name: b\n",
			edit: addEntry(p("list", "1"), "value", "2"),
			want: "list:\n  - name: a\n    value: 1\n  - name: b\n    value: 2\n",
		},
		{
			name: "unicode before the column",
			src:  "サービス:\n  名前: 値 # コメント\n",
			edit: addEntry(p("サービス"), "é", "ü"),
			want: "サービス:\n  名前: 値 # コメント\n  é: ü\n",
		},
		{
			name: "tabs inside values are kept",
			src:  "svc:\n  cmd: \"a\tb\"\n  x: 'c\td'\n",
			edit: addEntry(p("svc"), "y", "1"),
			want: "svc:\n  cmd: \"a\tb\"\n  x: 'c\td'\n  'y': 1\n",
		},
		{
			name: "key that needs quoting",
			src:  "labels:\n  a: b\n",
			edit: addEntry(p("labels"), "yes", "\"true\""),
			want: "labels:\n  a: b\n  'yes': \"true\"\n",
		},
		{
			name:  "block scalar value",
			src:   "svc:\n  image: x\n",
			edit:  addEntry(p("svc"), "command", "|\n  echo one\n    indented\n"),
			want:  "svc:\n  image: x\n  command: |\n    echo one\n      indented\n",
			value: "svc: {image: x, command: \"echo one\\n  indented\\n\"}",
		},
		{
			name: "anchor and alias in a document",
			src:  "x-base: &base\n  image: x\nsvc:\n  <<: *base\n",
			edit: addEntry(p("svc"), "restart", "always"),
			want: "x-base: &base\n  image: x\nsvc:\n  <<: *base\n  restart: always\n",
		},
		{
			name: "second document",
			src:  "a: 1\n---\nb: 2\n",
			edit: func(s *Source, doc *yaml.Node) ([]Edit, error) {
				docs, err := parseAll(s.Bytes())
				if err != nil {
					return nil, err
				}
				return AddMappingEntry(s, docs[1].Content[0], "c", "3")
			},
			want: "a: 1\n---\nb: 2\nc: 3\n",
		},
		{
			name: "flow mapping",
			src:  "labels: {a: 1}\n",
			edit: addEntry(p("labels"), "b", "two, three"),
			want: "labels: {a: 1, b: 'two, three'}\n",
		},
		{
			name: "empty flow mapping",
			src:  "labels: {}\n",
			edit: addEntry(p("labels"), "b", "- 1\n- 2"),
			want: "labels: {b: [1, 2]}\n",
		},
		{
			name: "flow mapping with entries on their own lines",
			src:  "labels: {\n  a: 1,\n  b: 2\n}\n",
			edit: addEntry(p("labels"), "c", "3"),
			want: "labels: {\n  a: 1,\n  b: 2,\n  c: 3\n}\n",
		},
		{
			name: "flow mapping on own lines with a trailing comma and comment",
			src:  "labels: {\n  a: 1, # one\n}\n",
			edit: addEntry(p("labels"), "c", "3"),
			want: "labels: {\n  a: 1, # one\n  c: 3,\n}\n",
		},
		{
			name: "flow mapping on own lines with a comment after the last entry",
			src:  "labels: {\n  a: 1 # one\n}\n",
			edit: addEntry(p("labels"), "c", "3"),
			want: "labels: {\n  a: 1, # one\n  c: 3\n}\n",
		},
		{
			name: "existing key",
			src:  compose2,
			edit: addEntry(p("services", "web"), "image", "x"),
			err:  ErrKeyExists,
		},
		{
			name: "explicit key is refused",
			src:  "m:\n  ? a\n  : 1\n",
			edit: addEntry(p("m"), "b", "2"),
			err:  ErrUnsupported,
		},
	})
}

func TestAppendSequenceItem(t *testing.T) {
	app := func(path []string, item string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return AppendSequenceItem(s, nav(doc, path...), item)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "indented sequence",
			src:  compose2,
			edit: app(p("services", "web", "ports"), "\"443:443\""),
			want: strings.Replace(compose2, "      - \"80:80\"\n", "      - \"80:80\"\n      - \"443:443\"\n", 1),
		},
		{
			name: "indentless sequence",
			src:  compose4,
			edit: app(p("services", "web", "ports"), "\"443:443\""),
			want: strings.Replace(compose4, "        - \"80:80\"\n", "        - \"80:80\"\n        - \"443:443\"\n", 1),
		},
		{
			name: "mapping item",
			src:  "vols:\n  - type: volume\n    source: a\n",
			edit: app(p("vols"), "type: bind\nsource: ./b\ntarget: /b"),
			want: "vols:\n  - type: volume\n    source: a\n  - type: bind\n    source: ./b\n    target: /b\n",
		},
		{
			name: "mapping item in a 4-space indentless file",
			src:  compose4,
			edit: app(p("services", "web", "ports"), "target: 80\npublished: \"8080\"\nlist:\n- a"),
			want: strings.Replace(compose4, "        - \"80:80\"\n", "        - \"80:80\"\n        - target: 80\n          published: \"8080\"\n          list:\n          - a\n", 1),
		},
		{
			name: "last item with a trailing comment, CRLF, no final newline",
			src:  "a:\r\n- x # first\r\n- y # last",
			edit: app(p("a"), "z"),
			want: "a:\r\n- x # first\r\n- y # last\r\n- z",
		},
		{
			name: "comment lines after the last item stay after",
			src:  "a:\n  - x\n  # - y\nb: 1\n",
			edit: app(p("a"), "z"),
			want: "a:\n  - x\n  - z\n  # - y\nb: 1\n",
		},
		{
			name: "block scalar last item",
			src:  "a:\n  - |\n    text\nb: 1\n",
			edit: app(p("a"), "z"),
			want: "a:\n  - |\n    text\n  - z\nb: 1\n",
		},
		{
			name: "root sequence",
			src:  "- a\n- b",
			edit: app(nil, "c"),
			want: "- a\n- b\n- c",
		},
		{
			name: "flow sequence",
			src:  "cmd: [a, b]\n",
			edit: app(p("cmd"), "c d"),
			want: "cmd: [a, b, c d]\n",
		},
		{
			name: "flow sequence with a value that needs quoting",
			src:  "cmd: [a, b] # c\n",
			edit: app(p("cmd"), "x,y"),
			want: "cmd: [a, b, 'x,y'] # c\n",
		},
		{
			name: "empty flow sequence",
			src:  "cmd: []\n",
			edit: app(p("cmd"), "c"),
			want: "cmd: [c]\n",
		},
		{
			name: "flow sequence with a trailing comma",
			src:  "cmd: [a, b,]\n",
			edit: app(p("cmd"), "c"),
			want: "cmd: [a, b, c,]\n",
		},
		{
			name: "flow sequence with a block mapping item",
			src:  "x: [1]\n",
			edit: app(p("x"), "a: 1\nb: [2]"),
			want: "x: [1, {a: 1, b: [2]}]\n",
		},
		{
			name: "multi-line flow sequence",
			src:  "cmd: [\n    a,\n    b\n]\n",
			edit: app(p("cmd"), "c"),
			want: "cmd: [\n    a,\n    b,\n    c\n]\n",
		},
		{
			name: "unicode flow sequence",
			src:  "é: [ü, 'ö']\n",
			edit: app(p("é"), "ñ"),
			want: "é: [ü, 'ö', ñ]\n",
		},
	})
}

func TestEnsureSequenceItem(t *testing.T) {
	ens := func(path []string, key, item string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return EnsureSequenceItem(s, nav(doc, path...), key, item)
		}
	}
	create := func(path []string, key, item string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return CreateSequenceWithItem(s, nav(doc, path...), key, item)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "missing key, indented file",
			src:  compose2,
			edit: ens(p("services", "db"), "volumes", "db:/var/lib/postgresql/data"),
			want: strings.Replace(compose2, "POSTGRES_DB: app\n", "POSTGRES_DB: app\n    volumes:\n      - db:/var/lib/postgresql/data\n", 1),
		},
		{
			name: "missing key, indentless file",
			src:  compose4,
			edit: create(p("services", "db"), "volumes", "db:/data"),
			want: compose4 + "        volumes:\n        - db:/data\n",
		},
		{
			name: "missing key, mapping item",
			src:  "svc:\n  image: x\n",
			edit: create(p("svc"), "volumes", "type: volume\nsource: db\ntarget: /data"),
			want: "svc:\n  image: x\n  volumes:\n    - type: volume\n      source: db\n      target: /data\n",
		},
		{
			name: "existing block sequence",
			src:  compose2,
			edit: ens(p("services", "web"), "ports", "\"443:443\""),
			want: strings.Replace(compose2, "      - \"80:80\"\n", "      - \"80:80\"\n      - \"443:443\"\n", 1),
		},
		{
			name: "existing empty flow sequence",
			src:  "svc:\n  volumes: []\n",
			edit: ens(p("svc"), "volumes", "db:/data"),
			want: "svc:\n  volumes: ['db:/data']\n",
		},
		{
			name: "null value",
			src:  "svc:\n  volumes:\n  image: x\n",
			edit: ens(p("svc"), "volumes", "db:/data"),
			want: "svc:\n  volumes:\n    - db:/data\n  image: x\n",
		},
		{
			name: "null value with a comment",
			src:  "svc:\n  volumes: # none yet\n  image: x\n",
			edit: create(p("svc"), "volumes", "db:/data"),
			want: "svc:\n  volumes: # none yet\n    - db:/data\n  image: x\n",
		},
		{
			name: "explicit null",
			src:  "svc:\n  volumes: ~\n",
			edit: create(p("svc"), "volumes", "db:/data"),
			want: "svc:\n  volumes:\n    - db:/data\n",
		},
		{
			name: "explicit null with a comment, CRLF",
			src:  "svc:\r\n  volumes: null # none\r\n",
			edit: create(p("svc"), "volumes", "db:/data"),
			want: "svc:\r\n  volumes: # none\r\n    - db:/data\r\n",
		},
		{
			name: "scalar value",
			src:  "svc:\n  volumes: x\n",
			edit: ens(p("svc"), "volumes", "db:/data"),
			err:  ErrUnsupported,
		},
		{
			name: "create over an existing sequence",
			src:  compose2,
			edit: create(p("services", "web"), "ports", "1:1"),
			err:  ErrKeyExists,
		},
	})
}

func TestEnsureKey(t *testing.T) {
	ens := func(path []string, key, value string, fill bool) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return EnsureKey(s, nav(doc, path...), key, value, fill)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "missing",
			src:  "svc:\n  image: x\n",
			edit: ens(p("svc"), "read_only", "true", true),
			want: "svc:\n  image: x\n  read_only: true\n",
		},
		{
			name: "null with fill",
			src:  "svc:\n  read_only:\n  image: x\n",
			edit: ens(p("svc"), "read_only", "true", true),
			want: "svc:\n  read_only: true\n  image: x\n",
		},
		{
			name: "null with fill and comment",
			src:  "svc:\n  read_only: # todo\n",
			edit: ens(p("svc"), "read_only", "true", true),
			want: "svc:\n  read_only: true # todo\n",
		},
		{
			name: "null with a block mapping",
			src:  "svc:\n  logging:\n  image: x\n",
			edit: ens(p("svc"), "logging", "driver: local", true),
			want: "svc:\n  logging:\n    driver: local\n  image: x\n",
		},
		{
			name: "present without fill: nothing to do",
			src:  "svc:\n  read_only: false\n",
			edit: ens(p("svc"), "read_only", "true", false),
			want: "svc:\n  read_only: false\n",
		},
		{
			name: "present with fill",
			src:  "svc:\n  read_only: false\n",
			edit: ens(p("svc"), "read_only", "true", true),
			err:  ErrKeyExists,
		},
		{
			name: "tagged null is refused",
			src:  "svc:\n  read_only: !!null\n",
			edit: ens(p("svc"), "read_only", "true", true),
			err:  ErrUnsupported,
		},
	})
}

func TestAddTopLevelEntry(t *testing.T) {
	top := func(section, key, value string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return AddTopLevelEntry(s, doc, section, key, value)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "existing section",
			src:  compose2,
			edit: top("volumes", "cache", ""),
			want: compose2 + "  cache:\n",
		},
		{
			name: "missing section after blank-line separated sections",
			src:  compose2,
			edit: top("secrets", "db_password", "file: ./db_password.txt"),
			want: compose2 + "\nsecrets:\n  db_password:\n    file: ./db_password.txt\n",
			value: `
services:
  web: {image: nginx, ports: ["80:80"]}
  db: {image: postgres, environment: {POSTGRES_DB: app}}
volumes: {db: null}
secrets: {db_password: {file: ./db_password.txt}}
`,
		},
		{
			name: "missing section, no blank lines in the file, 4 spaces",
			src:  compose4,
			edit: top("volumes", "data", ""),
			want: compose4 + "volumes:\n    data:\n",
		},
		{
			name: "missing section, CRLF without final newline",
			src:  "services:\r\n  a:\r\n    image: x",
			edit: top("volumes", "data", ""),
			want: "services:\r\n  a:\r\n    image: x\r\nvolumes:\r\n  data:",
		},
		{
			name: "missing section before trailing comments",
			src:  "services:\n  a:\n    image: x\n# end of file\n",
			edit: top("volumes", "data", ""),
			want: "services:\n  a:\n    image: x\nvolumes:\n  data:\n# end of file\n",
		},
		{
			name: "null section",
			src:  "volumes:\nservices:\n  a:\n    image: x\n",
			edit: top("volumes", "data", ""),
			want: "volumes:\n  data:\nservices:\n  a:\n    image: x\n",
		},
		{
			name: "null section at EOF without final newline",
			src:  "services:\n  a:\n    image: x\nvolumes:",
			edit: top("volumes", "data", "driver: local"),
			want: "services:\n  a:\n    image: x\nvolumes:\n  data:\n    driver: local",
		},
		{
			name: "null section with a comment",
			src:  "volumes: # named volumes\nservices: {}\n",
			edit: top("volumes", "data", ""),
			want: "volumes: # named volumes\n  data:\nservices: {}\n",
		},
		{
			name: "explicit null section",
			src:  "volumes: ~\nservices: {}\n",
			edit: top("volumes", "data", ""),
			want: "volumes:\n  data:\nservices: {}\n",
		},
		{
			name:  "flow section",
			src:   "volumes: {}\nservices: {}\n",
			edit:  top("volumes", "data", ""),
			want:  "volumes: {data: null}\nservices: {}\n",
			value: "volumes: {data: null}\nservices: {}",
		},
		{
			name: "flow section with entries",
			src:  "volumes: {a: {}}\n",
			edit: top("volumes", "data", "driver: local"),
			want: "volumes: {a: {}, data: {driver: local}}\n",
		},
		{
			name:  "no blank line after a keep-chomping block scalar",
			src:   "a: 1\n\nb: |+\n  x\n",
			edit:  top("volumes", "data", ""),
			want:  "a: 1\n\nb: |+\n  x\nvolumes:\n  data:\n",
			value: "a: 1\nb: \"x\\n\"\nvolumes: {data: null}",
		},
		{
			name: "existing key",
			src:  compose2,
			edit: top("volumes", "db", ""),
			err:  ErrKeyExists,
		},
		{
			name: "section is not a mapping",
			src:  "volumes: [a]\n",
			edit: top("volumes", "db", ""),
			err:  ErrUnsupported,
		},
		{
			name: "top level is a sequence",
			src:  "- a\n",
			edit: top("volumes", "db", ""),
			err:  ErrUnsupported,
		},
	})
}

func TestReplaceScalar(t *testing.T) {
	repl := func(path []string, text string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return ReplaceScalar(s, nav(doc, path...), text)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "plain with a comment",
			src:  compose2,
			edit: repl(p("services", "web", "image"), "nginx:1.27"),
			want: strings.Replace(compose2, "image: nginx # pinned", "image: nginx:1.27 # pinned", 1),
		},
		{
			name: "double-quoted with escapes",
			src:  "a: \"x \\\" y\" # c\nb: 1\n",
			edit: repl(p("a"), "'z'"),
			want: "a: 'z' # c\nb: 1\n",
		},
		{
			name: "single-quoted with doubled quotes",
			src:  "a: 'it''s' # c\n",
			edit: repl(p("a"), "\"its\""),
			want: "a: \"its\" # c\n",
		},
		{
			name: "plain with trailing spaces",
			src:  "a: x   \nb: 1\n",
			edit: repl(p("a"), "y"),
			want: "a: y   \nb: 1\n",
		},
		{
			name: "in a flow sequence",
			src:  "a: [x, \"y\", z]\n",
			edit: repl(p("a", "1"), "'w'"),
			want: "a: [x, 'w', z]\n",
		},
		{
			name: "in a flow mapping",
			src:  "a: {k: v, l: w}\n",
			edit: repl(p("a", "k"), "\"v2\""),
			want: "a: {k: \"v2\", l: w}\n",
		},
		{
			name:  "anchored scalar keeps its anchor",
			src:   "a: &x 1\nb: *x\n",
			edit:  repl(p("a"), "2"),
			want:  "a: &x 2\nb: *x\n",
			value: "a: 2\nb: 2",
		},
		{
			name: "tagged scalar keeps its tag",
			src:  "a: !!str 1\n",
			edit: repl(p("a"), "2"),
			want: "a: !!str 2\n",
		},
		{
			name: "unicode, CRLF, no final newline",
			src:  "名前: 値\r\nb: ü",
			edit: repl(p("b"), "'ö'"),
			want: "名前: 値\r\nb: 'ö'",
		},
		{
			name: "null written as nothing",
			src:  "a:\nb: 1\n",
			edit: repl(p("a"), "x"),
			want: "a: x\nb: 1\n",
		},
		{
			name: "key",
			src:  "a: 1\n",
			edit: func(s *Source, doc *yaml.Node) ([]Edit, error) {
				return ReplaceScalar(s, doc.Content[0].Content[0], "b")
			},
			want: "a: 1\n"[:0] + "b: 1\n",
		},
		{
			name: "block scalar is refused",
			src:  "a: |\n  x\n",
			edit: repl(p("a"), "y"),
			err:  ErrUnsupported,
		},
		{
			name: "multi-line plain scalar is refused",
			src:  "a: x\n  y\n",
			edit: repl(p("a"), "z"),
			err:  ErrUnsupported,
		},
		{
			name: "multi-line quoted scalar is refused",
			src:  "a: \"x\n  y\"\n",
			edit: repl(p("a"), "z"),
			err:  ErrUnsupported,
		},
		{
			name: "text that would break a flow sequence is refused",
			src:  "a: [x, y]\n",
			edit: repl(p("a", "0"), "p, q"),
			err:  ErrUnsupported,
		},
		{
			name: "text that is not a scalar is refused",
			src:  "a: x\n",
			edit: repl(p("a"), "b: c"),
			err:  ErrUnsupported,
		},
	})
}

func TestRemove(t *testing.T) {
	rmKey := func(path []string, key string) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return RemoveMappingEntry(s, nav(doc, path...), key)
		}
	}
	rmItem := func(path []string, i int) editFunc {
		return func(s *Source, doc *yaml.Node) ([]Edit, error) {
			return RemoveSequenceItem(s, nav(doc, path...), i)
		}
	}
	runYAMLCases(t, []yamlCase{
		{
			name: "entry with nested lines",
			src:  compose2,
			edit: rmKey(p("services", "web"), "ports"),
			want: strings.Replace(compose2, "    ports:\n      - \"80:80\"\n", "", 1),
		},
		{
			name: "entry with a trailing comment; comment lines before it stay",
			src:  "svc:\n  # the image\n  image: x # pinned\n  user: app\n",
			edit: rmKey(p("svc"), "image"),
			want: "svc:\n  # the image\n  user: app\n",
		},
		{
			name: "last entry at EOF without final newline",
			src:  "svc:\n  image: x\n  user: app",
			edit: rmKey(p("svc"), "user"),
			want: "svc:\n  image: x",
		},
		{
			name: "last entry at EOF without final newline after a blank line",
			src:  "a: 1\n# c\n\nb: 2",
			edit: rmKey(nil, "b"),
			want: "a: 1\n# c",
		},
		{
			name: "last entry at EOF without final newline after a block scalar is refused",
			src:  "a: |\n  x\nb: 2",
			edit: rmKey(nil, "b"),
			err:  ErrUnsupported,
		},
		{
			name: "entry after a keep-chomping block scalar is refused",
			src:  "a: |+\n  x\nb: 2\n\nc: 3\n",
			edit: rmKey(nil, "b"),
			err:  ErrUnsupported,
		},
		{
			name: "entry defining an anchor used elsewhere is refused",
			src:  "a: &x 1\nb: *x\n",
			edit: rmKey(nil, "a"),
			err:  ErrUnsupported,
		},
		{
			name: "entry using an alias",
			src:  "a: &x 1\nb: *x\nc: 3\n",
			edit: rmKey(nil, "b"),
			want: "a: &x 1\nc: 3\n",
		},
		{
			name: "entry with a block scalar, CRLF",
			src:  "svc:\r\n  command: |\r\n    a\r\n    b\r\n  user: app\r\n",
			edit: rmKey(p("svc"), "command"),
			want: "svc:\r\n  user: app\r\n",
		},
		{
			name: "only entry becomes {}",
			src:  "svc:\n  environment:\n    A: 1 # one\n  image: x\n",
			edit: rmKey(p("svc", "environment"), "A"),
			want: "svc:\n  environment: {}\n  image: x\n",
		},
		{
			name: "only entry with a comment before it is refused",
			src:  "svc:\n  environment:\n    # keep me\n    A: 1\n",
			edit: rmKey(p("svc", "environment"), "A"),
			err:  ErrUnsupported,
		},
		{
			name: "only entry of the root is refused",
			src:  "a: 1\n",
			edit: rmKey(nil, "a"),
			err:  ErrUnsupported,
		},
		{
			name: "first key of a sequence item mapping is refused",
			src:  "l:\n  - a: 1\n    b: 2\n",
			edit: rmKey(p("l", "0"), "a"),
			err:  ErrUnsupported,
		},
		{
			name: "second key of a sequence item mapping",
			src:  "l:\n  - a: 1\n    b: 2\n",
			edit: rmKey(p("l", "0"), "b"),
			want: "l:\n  - a: 1\n",
		},
		{
			name: "flow mapping first entry",
			src:  "m: {a: 1, b: 2, c: 3}\n",
			edit: rmKey(p("m"), "a"),
			want: "m: {b: 2, c: 3}\n",
		},
		{
			name: "flow mapping last entry",
			src:  "m: {a: 1, b: 2} # c\n",
			edit: rmKey(p("m"), "b"),
			want: "m: {a: 1} # c\n",
		},
		{
			name: "flow mapping only entry",
			src:  "m: {a: 1}\n",
			edit: rmKey(p("m"), "a"),
			want: "m: {}\n",
		},
		{
			name: "block sequence item",
			src:  compose4,
			edit: func(s *Source, doc *yaml.Node) ([]Edit, error) {
				edits, err := AppendSequenceItem(s, nav(doc, "services", "web", "ports"), "\"1:1\"")
				if err != nil {
					return nil, err
				}
				out, err := Apply(s.Bytes(), edits)
				if err != nil {
					return nil, err
				}
				// Remove the first of the two items of the edited file.
				s2 := NewSource("compose.yaml", out)
				var d2 yaml.Node
				if err := yaml.Unmarshal(out, &d2); err != nil {
					return nil, err
				}
				rm, err := RemoveSequenceItem(s2, nav(&d2, "services", "web", "ports"), 0)
				if err != nil {
					return nil, err
				}
				res, err := Apply(out, rm)
				if err != nil {
					return nil, err
				}
				// Express the whole change against the original file.
				return []Edit{{File: s.File, Start: 0, End: len(s.Bytes()), New: string(res)}}, nil
			},
			want: strings.Replace(compose4, "\"80:80\"", "\"1:1\"", 1),
		},
		{
			name: "middle item with nested lines",
			src:  "l:\n- a\n- k: 1\n  j: 2\n- c\n",
			edit: rmItem(p("l"), 1),
			want: "l:\n- a\n- c\n",
		},
		{
			name: "last item at EOF without final newline, CRLF",
			src:  "l:\r\n  - a\r\n  - b",
			edit: rmItem(p("l"), 1),
			want: "l:\r\n  - a",
		},
		{
			name: "only item becomes []",
			src:  "svc:\n  ports:\n    - \"80:80\" # web\n  image: x\n",
			edit: rmItem(p("svc", "ports"), 0),
			want: "svc:\n  ports: []\n  image: x\n",
		},
		{
			name: "only item of an indentless sequence",
			src:  "ports:\n- 80\n",
			edit: rmItem(p("ports"), 0),
			want: "ports: []\n",
		},
		{
			name: "nested sequence item sharing its line is refused",
			src:  "l:\n  - - a\n    - b\n",
			edit: rmItem(p("l", "0"), 0),
			err:  ErrUnsupported,
		},
		{
			name: "flow sequence",
			src:  "l: [a, b, c]\n",
			edit: rmItem(p("l"), 1),
			want: "l: [a, c]\n",
		},
		{
			name: "flow sequence last",
			src:  "l: [a, 'b', \"c\"]\n",
			edit: rmItem(p("l"), 2),
			want: "l: [a, 'b']\n",
		},
		{
			name: "flow sequence only item",
			src:  "l: [ a ]\n",
			edit: rmItem(p("l"), 0),
			want: "l: [  ]\n",
		},
		{
			name: "multi-line flow sequence with a comment after the comma",
			src:  "l: [\n  a, # first\n  b\n]\n",
			edit: rmItem(p("l"), 0),
			want: "l: [\n   # first\n  b\n]\n",
		},
		{
			name: "aliased item",
			src:  "x: &a 1\nl: [*a, 2]\n",
			edit: rmItem(p("l"), 0),
			want: "x: &a 1\nl: [2]\n",
		},
	})
}

// TestHelpersNeverTouchOtherBytes runs every helper on a tricky file and
// checks the universal properties (this duplicates the per-case checks but
// covers combinations).
func TestHelpersNeverTouchOtherBytes(t *testing.T) {
	src := "# head\r\nx-common: &common # anchor\r\n  restart: always\r\nservices:\r\n  web:\r\n    <<: *common\r\n    image: \"nginx\"\t# tab before comment\r\n    command: >\r\n      run\r\n      now\r\n    ports: [\"80:80\"]\r\n    environment:\r\n      A: 'x\ty'\r\n# tail"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("c.yml", []byte(src))
	web := nav(&doc, "services", "web")
	calls := map[string]func() ([]Edit, error){
		"add":      func() ([]Edit, error) { return AddMappingEntry(s, web, "user", "app") },
		"append":   func() ([]Edit, error) { return AppendSequenceItem(s, nav(web, "ports"), "\"443:443\"") },
		"create":   func() ([]Edit, error) { return CreateSequenceWithItem(s, web, "volumes", "a:/a") },
		"top":      func() ([]Edit, error) { return AddTopLevelEntry(s, &doc, "volumes", "a", "") },
		"replace":  func() ([]Edit, error) { return ReplaceScalar(s, nav(web, "image"), "'nginx:1'") },
		"rmkey":    func() ([]Edit, error) { return RemoveMappingEntry(s, web, "ports") },
		"rmitem":   func() ([]Edit, error) { return RemoveSequenceItem(s, nav(web, "ports"), 0) },
		"rmnested": func() ([]Edit, error) { return RemoveMappingEntry(s, nav(web, "environment"), "A") },
	}
	var groups [][]Edit
	for name, call := range calls {
		edits, err := call()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		out, err := Apply([]byte(src), edits)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPreserved(t, []byte(src), out, edits)
		checkInvariants(t, src, string(out))
		if bytes.Contains(out, []byte("\n\n")) {
			t.Errorf("%s: bare LF in a CRLF file", name)
		}
		var v any
		if err := yaml.Unmarshal(out, &v); err != nil {
			t.Errorf("%s: result does not parse: %v", name, err)
		}
		groups = append(groups, edits)
	}
	merged, applied, dropped := Merge(groups)
	if len(applied)+len(dropped) != len(groups) || len(applied) == 0 {
		t.Errorf("Merge: applied %v dropped %v", applied, dropped)
	}
	if _, err := Apply([]byte(src), merged); err != nil {
		t.Errorf("merged edits: %v", err)
	}
}

// TestJoin: one fix that appends to the last service and adds the missing
// top-level section inserts twice at the end of the file.
func TestJoin(t *testing.T) {
	for _, src := range []string{"services:\n  web:\n    image: x\n", "services:\r\n  web:\r\n    image: x"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		s := NewSource("c.yml", []byte(src))
		svc, err := EnsureSequenceItem(s, nav(&doc, "services", "web"), "volumes", "data:/data")
		if err != nil {
			t.Fatal(err)
		}
		top, err := AddTopLevelEntry(s, &doc, "volumes", "data", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Apply([]byte(src), append(append([]Edit(nil), svc...), top...)); err == nil {
			t.Fatal("the two insertions at one offset should conflict in Apply")
		}
		want := strings.ReplaceAll("services:\n  web:\n    image: x\n    volumes:\n      - data:/data\nvolumes:\n  data:", "\n", s.LineEnding())
		if strings.HasSuffix(src, "\n") {
			want += "\n"
		}
		for _, order := range [][][]Edit{{svc, top}, {top, svc}, {svc, top, svc}} {
			joined, err := Join(order...)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Apply([]byte(src), joined)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, string(out)); diff != "" {
				t.Errorf("Join result (-want +got):\n%s", diff)
			}
		}
	}
	if _, err := Join([]Edit{{Start: 0, End: 4}}, []Edit{{Start: 2, End: 5}}); err == nil {
		t.Error("Join of overlapping replacements: want an error")
	}
}

// A key a `<<` merge key gives the mapping is not created locally when its
// merged value is a list or a mapping: the local one would replace it, and
// the merged mounts or secrets would be gone from the service. A scalar is
// overridden one key at a time, as merge keys mean.
func TestMergedCollectionNotReplaced(t *testing.T) {
	src := `x-common: &common
  volumes: [./logs:/logs]
  environment: {A: "1"}
  restart: always
x-more: &more
  <<: *common
  secrets: [shared]
services:
  db:
    <<: [*more]
    image: postgres:16
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	s := NewSource("c.yml", []byte(src))
	db := nav(&doc, "services", "db")
	for name, call := range map[string]func() ([]Edit, error){
		"volumes": func() ([]Edit, error) {
			return EnsureSequenceItem(s, db, "volumes", "db-data:/var/lib/postgresql/data")
		},
		"secrets":     func() ([]Edit, error) { return EnsureSequenceItem(s, db, "secrets", "pw") },
		"environment": func() ([]Edit, error) { return EnsureKey(s, db, "environment", "B: x", true) },
	} {
		if _, err := call(); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err %v, want ErrUnsupported (the merged %s would be lost)", name, err, name)
		}
	}
	for name, call := range map[string]func() ([]Edit, error){
		"a merged scalar": func() ([]Edit, error) { return AddMappingEntry(s, db, "restart", "unless-stopped") },
		"a new key":       func() ([]Edit, error) { return EnsureSequenceItem(s, db, "tmpfs", "/tmp") },
	} {
		if _, err := call(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
