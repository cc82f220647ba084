package transform

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

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
