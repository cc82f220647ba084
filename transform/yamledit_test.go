package transform

import (
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
		i := KeyIndex(n, p)
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
