package project

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/composure-dev/composure/transform"
)

// composeKeys are the top-level keys of the compose specification.
// name and version are weak: a GitHub workflow starts with name: too.
var composeKeys = map[string]bool{
	"version": false, "name": false, "services": true, "networks": true, "volumes": true,
	"secrets": true, "configs": true, "include": true, "models": true,
}

// sniffSize bounds how much of a YAML file is read to decide whether it
// is a compose file: a CI config or a Kubernetes manifest is not.
const sniffSize = 64 << 10

// fileShape is what the first bytes of a YAML file say about it.
type fileShape struct {
	// compose: a top-level key is one of the specification's (or an x-
	// extension), or the file is a legacy v1 file (services at the top
	// level, each with an image or a build). A file with none (a GitHub
	// workflow's on: and jobs:) is something else; one with a misspelt
	// key beside a real one is still compose, for compose-go to refuse.
	compose bool
	// services: the top-level `services:` is a mapping of mappings.
	services bool
	// serviceNames are the services it defines, and bare the ones with
	// neither image, build nor extends (they only run on top of another
	// file's definition).
	serviceNames []string
	bare         []string
	// unparsed: compose was told from a line alone (sniff's quick
	// path); the other fields are unknown.
	unparsed bool
	// content is the whole file when sniff read all of it: lint hands
	// it to the loader rather than reading the file again.
	content []byte
}

// sniff reads the start of a regular file and parses it (unless quick
// finds a compose key on a line of its own). A file that is
// not YAML, or too large to decide from its start, is said to be compose
// shaped: compose-go will say what is wrong with it.
func sniff(path string, quick bool) (fileShape, bool) {
	return sniffEntry(path, quick, false)
}

// sniffEntry is sniff of a file a directory walk found: regular says its
// directory entry is a regular file, which then needs no stat.
func sniffEntry(path string, quick, regular bool) (fileShape, bool) {
	// A regular entry is opened without a stat: the open does not block
	// on a FIFO put in its place since (O_NONBLOCK).
	if !regular {
		if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
			return fileShape{}, false // a symlink to a FIFO would block the open
		}
	}
	f, err := openRead(path)
	if err != nil {
		return fileShape{}, false
	}
	defer f.Close()
	bp := sniffBufs.Get().(*[]byte)
	defer sniffBufs.Put(bp)
	buf := *bp
	n, _ := io.ReadFull(f, buf)
	if n > sniffSize {
		return fileShape{compose: true}, true
	}
	if quick {
		// The common case costs no parse: a top-level key of the
		// specification at the start of a line says compose already.
		// The services (for overlays) are parsed only when needed.
		for line := range bytes.Lines(buf[:n]) {
			if topComposeKey.Match(line) { // the "\n" it ends with changes nothing: ^key\s*:
				return fileShape{compose: true, unparsed: true, content: bytes.Clone(buf[:n])}, true
			}
		}
	}
	shape := shapeOf(buf[:n])
	shape.content = bytes.Clone(buf[:n])
	return shape, true
}

// topComposeKey is a line that starts with a top-level key only the
// specification has (or an x- extension); name: and version: are left to
// the parse, since a GitHub workflow starts with name: too.
var topComposeKey = regexp.MustCompile(`^(?:services|include|volumes|networks|secrets|configs|x-[^:\s]*)\s*:`)

// shapeOf classifies YAML content by its first document's top level.
func shapeOf(content []byte) fileShape {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(content)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return fileShape{compose: true}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fileShape{compose: true}
	}
	var shape fileShape
	onlyCompose := true // every key is the specification's, weak ones too
	for k, v := range transform.Pairs(root) {
		v = resolve(v)
		strong, known := composeKeys[k.Value]
		if strong || strings.HasPrefix(k.Value, "x-") {
			shape.compose = true
		} else if !known {
			onlyCompose = false
		}
		// A legacy v1 file (services at the top level, even an overlay
		// of them with only ports and environment), or a misspelt
		// `services:` key (`service:`) above service mappings: compose,
		// for the loader to report.
		if serviceLike(v) {
			shape.compose = true
		}
		for _, svc := range transform.Pairs(v) {
			if svc = resolve(svc); mapValue(svc, "image") != nil || mapValue(svc, "build") != nil {
				shape.compose = true
			}
		}
		if k.Value == "services" && v.Kind == yaml.MappingNode {
			shape.services = true
			for name, svc := range transform.Pairs(v) {
				svc = resolve(svc)
				if svc.Kind != yaml.MappingNode {
					shape.services = false
					continue
				}
				shape.serviceNames = append(shape.serviceNames, name.Value)
				if mapValue(svc, "image") == nil && mapValue(svc, "build") == nil && mapValue(svc, "extends") == nil {
					shape.bare = append(shape.bare, name.Value)
				}
			}
		}
	}
	if len(root.Content) == 0 || onlyCompose {
		shape.compose = true
	}
	return shape
}

// serviceKeys are keys only a compose service mapping has together.
var serviceKeys = []string{"image", "build", "ports", "environment", "volumes", "command", "links", "depends_on",
	"restart", "env_file", "expose", "entrypoint", "container_name", "external_links", "net", "volumes_from"}

// serviceLike reports whether a mapping has keys of a compose service.
func serviceLike(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for k := range transform.Pairs(m) {
		if slices.Contains(serviceKeys, k.Value) {
			return true
		}
	}
	return false
}
