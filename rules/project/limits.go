package project

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/template"
	"go.yaml.in/yaml/v4"
)

// Limits on the shape of one compose file. Real compose files are a few
// kilobytes, at most a dozen levels deep, with at most a few hundred
// entries in one mapping (the shared corpus of 1,450 files: 11 levels, 174
// entries). The loader's libraries are not linear beyond that: compose-go
// walks paths in time quadratic in the depth (a list nested 9,990 levels
// deep took 43 s and 360 MB to load), yaml's duplicate-key check is
// quadratic in the size of a mapping (100,000 keys: 40 s), and a parsed
// node costs about 200 bytes, so 16 MB of `- a` lines took 1.5 GB. A file
// beyond a limit is an error with its position, like invalid YAML.
const (
	// MaxDepth bounds how deeply collections nest, counted through
	// aliases.
	MaxDepth = 256
	// MaxEntries bounds the entries of one mapping and the items of one
	// sequence.
	MaxEntries = 4096
	// MaxNodes bounds the YAML nodes of a file. It is checked before
	// parsing, on an estimate that is never much below the real count: the
	// bytes that can start or separate a node (line breaks and
	// `,[{:-?*`).
	MaxNodes = 1 << 16
	// maxCommandCost bounds the sum of the squared word lengths of the
	// services' command and entrypoint strings in one file: compose-go
	// splits them with go-shellwords, which builds each word a character
	// at a time (a 64 KB word: 1.5 s; 1 MB: over 100 s and 500 GB
	// allocated). The list form is not split. 1 << 30 is one word of
	// 32,768 characters; real commands have words of tens.
	maxCommandCost = 1 << 30
)

// nodeEstimate counts the bytes of content that can start or separate a
// YAML node, and returns the offset of the one that goes over MaxNodes (-1
// when none does). Every node but a document's first scalar or collection
// sits next to one of them, and no such byte yields more than two nodes
// (`{a,b}` is a mapping, two keys and two null values).
func nodeEstimate(content []byte) (n, over int) {
	over = -1
	for i, c := range content {
		switch c {
		case '\n', ',', '[', '{', ':', '-', '?', '*':
			n++
			if n == MaxNodes+1 {
				over = i
			}
		}
	}
	return n, over
}

// checkSize refuses a file over MaxNodes before it is parsed, pointing at
// the place where the count goes over.
func checkSize(path string, content []byte) *Error {
	est, over := nodeEstimate(content)
	if over < 0 {
		return nil
	}
	line := 1 + bytes.Count(content[:over], []byte{'\n'})
	col := 1 + utf8.RuneCount(content[bytes.LastIndexByte(content[:over], '\n')+1:over])
	return &Error{File: path, Line: line, Column: col, Msg: fmt.Sprintf("too many YAML nodes (about %d, more than the %d a compose file may have)", est, MaxNodes)}
}

// checkCommands refuses a file whose command and entrypoint strings hold
// words too long for compose-go to split in reasonable time (see
// maxCommandCost), pointing at the one that goes over. The words are
// counted as compose-go splits them, after interpolation with env: a
// `command: ${X}` whose X in .env is one 256 KB word took 6.5 s.
func checkCommands(f *File, env map[string]string) *Error {
	services := mapValue(f.Root(), "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return nil
	}
	cost := 0
	for i := 0; i+1 < len(services.Content); i += 2 {
		svc := resolve(services.Content[i+1])
		for _, key := range []string{"command", "entrypoint"} {
			n := resolve(mapValue(svc, key))
			if n == nil || n.Kind != yaml.ScalarNode {
				continue
			}
			value := n.Value
			if strings.Contains(value, "$") {
				// Linear in the length of the result; a template compose-go
				// refuses is its error to report, on the value as written.
				if out, err := template.Substitute(value, func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err == nil {
					value = out
				}
			}
			longest := 0
			for _, w := range strings.Fields(value) {
				cost += len(w) * len(w)
				longest = max(longest, len(w))
			}
			if cost > maxCommandCost {
				return &Error{File: f.Path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("%s has a word of %d characters, too long for compose-go to split in reasonable time (the time grows with the square of the length): write the %s as a list", key, longest, key)}
			}
		}
	}
	return nil
}

// checkShape refuses documents nested deeper than MaxDepth (aliases
// followed) or with a collection over MaxEntries, pointing at the first
// node beyond the limit. Each node is visited once: an alias reuses the
// height of its anchor, which YAML defines before the alias.
func checkShape(path string, docs []*yaml.Node) *Error {
	height := map[*yaml.Node]int{}
	var walk func(n *yaml.Node, depth int) (int, *Error)
	walk = func(n *yaml.Node, depth int) (int, *Error) {
		if h, ok := height[n]; ok {
			return h, nil
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 0, nil
			}
			h, err := walk(n.Alias, depth)
			if err != nil {
				return 0, err
			}
			if depth+h > MaxDepth {
				return 0, &Error{File: path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("this alias nests its anchor more than %d levels deep", MaxDepth)}
			}
			return h, nil
		}
		if depth > MaxDepth {
			return 0, &Error{File: path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}
		}
		entries := len(n.Content)
		if n.Kind == yaml.MappingNode {
			entries /= 2
		}
		if entries > MaxEntries {
			return 0, &Error{File: path, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("%d entries in one collection, more than the %d a compose file may have", entries, MaxEntries)}
		}
		h := 0
		for _, c := range n.Content {
			ch, err := walk(c, depth+1)
			if err != nil {
				return 0, err
			}
			h = max(h, ch)
		}
		h++
		height[n] = h
		return h, nil
	}
	for _, d := range docs {
		if _, err := walk(d, 0); err != nil {
			return err
		}
	}
	return nil
}

// badCharAt returns the line and character column of the first byte the
// YAML reader refuses in UTF-8 content (an invalid UTF-8 sequence or a
// control character), or 0, 0. UTF-16 content (with a byte order mark) is
// not looked at.
func badCharAt(content []byte) (line, col int) {
	if bytes.HasPrefix(content, []byte{0xff, 0xfe}) || bytes.HasPrefix(content, []byte{0xfe, 0xff}) {
		return 0, 0
	}
	line, col = 1, 1
	for i := 0; i < len(content); {
		r, size := utf8.DecodeRune(content[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col
		case r == '\n':
			line, col = line+1, 1
		case r == '\t' || r == '\r' || r == 0x85 || r == 0xfeff:
			col++
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0xfffe || r == 0xffff:
			return line, col
		default:
			col++
		}
		i += size
	}
	return 0, 0
}
