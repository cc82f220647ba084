package transform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// ErrUnsupported is wrapped by every helper error that means "this shape of
// YAML is not edited automatically". Callers turn such errors into a finding
// without a fix (or a display-only fix); they are never a reason to write a
// partial edit.
var ErrUnsupported = errors.New("unsupported YAML shape")

// ErrKeyExists is wrapped by the errors of helpers asked to add a key that
// the mapping already has.
var ErrKeyExists = errors.New("key already present")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// Source is one YAML file as read from disk, with an index to convert
// go.yaml.in/yaml/v4 node positions (1-based line, 1-based column counted
// in Unicode code points) to byte offsets and back.
//
// Line breaks are those of the YAML scanner: "\r\n", "\r", "\n", NEL
// (U+0085), LS (U+2028) and PS (U+2029). A leading UTF-8 byte order mark is
// not part of line 1 (the scanner does not count it). The file must be
// UTF-8; nodes given to the helpers must come from parsing exactly these
// bytes with go.yaml.in/yaml/v4. A Source parses the bytes itself, once, on
// first use (for parent links, extents and comments) and caches what it
// computes: it is not safe for concurrent use. Create a new Source after
// applying edits.
type Source struct {
	// File is copied into every Edit the helpers return.
	File string
	// SkipVerify turns off the helpers' self-check (apply, re-parse,
	// compare with the intended tree), which costs a parse of the edited
	// file per check. Lint sets it: it only reports a fix's title and
	// applicability. The fixer leaves it off, and re-loads every result.
	SkipVerify bool

	*sourceData
	// batch, when not nil, collects the self-checks of helper calls
	// instead of running them (Batch, VerifyBatch).
	batch *[]func(find finder) error
}

// sourceData is what a Source and its Batch views share: the bytes, the
// line index and the caches.
type sourceData struct {
	src        []byte
	lineStart  []int // byte offset where each line's text starts
	breakStart []int // byte offset of each line's break (== next start, or len, for the last line)
	eol        string

	once    sync.Once
	docs    []*yaml.Node // a caller's parse of src (NewParsedSource), or nil
	tree    *tree
	styles  map[*tree]fileStyles // layoutFor's whole-file walk, per tree
	aliased map[*yaml.Node]bool  // IsAliased: anchors some alias uses
	perr    error
	lexOnce sync.Once
	lexed   *lexInfo
}

// NewSource indexes src. It never fails; a document that does not parse is
// reported by the helpers when they need its nodes.
func NewSource(file string, src []byte) *Source {
	s := &Source{File: file, sourceData: &sourceData{src: src}}
	start := 0
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		start = 3
	}
	s.lineStart = append(s.lineStart, start)
	crlf, lf, cr := 0, 0, 0
	for i := start; i < len(src); {
		n := breakLen(src, i)
		if n == 0 {
			i++
			continue
		}
		switch {
		case n == 2 && src[i] == '\r':
			crlf++
		case src[i] == '\n':
			lf++
		case src[i] == '\r':
			cr++
		}
		s.breakStart = append(s.breakStart, i)
		i += n
		s.lineStart = append(s.lineStart, i)
	}
	s.breakStart = append(s.breakStart, len(src))
	switch {
	case crlf > lf && crlf >= cr:
		s.eol = "\r\n"
	case cr > lf && cr > crlf:
		s.eol = "\r"
	default:
		s.eol = "\n"
	}
	return s
}

// NewParsedSource is NewSource for bytes the caller has already parsed
// with go.yaml.in/yaml/v4 into docs (every document, in order, as
// yaml.NewDecoder returns them): the Source uses that tree instead of
// parsing the bytes again. The nodes must not be modified afterwards.
func NewParsedSource(file string, src []byte, docs []*yaml.Node) *Source {
	s := NewSource(file, src)
	s.docs = docs
	return s
}

// breakLen returns the length of the line break starting at src[i], or 0.
func breakLen(src []byte, i int) int {
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// Bytes returns the file's bytes (not a copy).
func (s *Source) Bytes() []byte { return s.src }

// LineEnding returns the line break used for inserted lines: the file's
// most common one among "\r\n", "\n" and "\r" ("\n" on ties with LF and
// for a file without any break).
func (s *Source) LineEnding() string { return s.eol }

// Lines returns the number of lines; a final line break does not start a
// counted line of its own unless text follows it.
func (s *Source) Lines() int {
	n := len(s.lineStart)
	if n > 1 && s.lineStart[n-1] == len(s.src) {
		return n - 1
	}
	return n
}

// Offset converts a 1-based line and a 1-based column (in code points) to
// a byte offset. The column just past the last character of a line (where
// its break starts) is valid, as is line Lines()+1 column 1 (end of file),
// which the parser reports for some empty nodes.
func (s *Source) Offset(line, column int) (int, error) {
	if line == len(s.lineStart)+1 && column == 1 {
		return len(s.src), nil
	}
	if line < 1 || line > len(s.lineStart) || column < 1 {
		return 0, fmt.Errorf("position %d:%d outside the file", line, column)
	}
	off, end := s.lineStart[line-1], s.breakStart[line-1]
	for c := 1; c < column; c++ {
		if off >= end {
			return 0, fmt.Errorf("position %d:%d past the end of line %d", line, column, line)
		}
		_, w := utf8.DecodeRune(s.src[off:end])
		off += w
	}
	return off, nil
}

// Position converts a byte offset to a 1-based line and column (code
// points). Offsets inside a line break or a multi-byte character map to
// the position of that break or character.
func (s *Source) Position(offset int) (line, column int) {
	offset = max(0, min(offset, len(s.src)))
	i := sort.Search(len(s.lineStart), func(i int) bool { return s.lineStart[i] > offset }) - 1
	if i < 0 {
		return 1, 1
	}
	start := s.lineStart[i]
	end := min(offset, s.breakStart[i])
	col := 1
	for p := start; p < end; {
		_, w := utf8.DecodeRune(s.src[p:end])
		if p+w > end {
			break
		}
		p += w
		col++
	}
	return i + 1, col
}

// NodeOffset returns the byte offset of n's reported position (which is
// the start of its anchor or tag when it has one).
func (s *Source) NodeOffset(n *yaml.Node) (int, error) {
	if n == nil {
		return 0, errors.New("nil node")
	}
	return s.Offset(n.Line, n.Column)
}

// lineOf returns the 0-based index of the line holding offset.
func (s *Source) lineOf(offset int) int {
	i := sort.Search(len(s.lineStart), func(i int) bool { return s.lineStart[i] > offset }) - 1
	return max(i, 0)
}

// lineBegin returns the start offset of the line holding offset.
func (s *Source) lineBegin(offset int) int { return s.lineStart[s.lineOf(offset)] }

// lineEnd returns the offset of the break ending the line holding offset
// (len(src) on the last line without a break).
func (s *Source) lineEnd(offset int) int { return s.breakStart[s.lineOf(offset)] }

// nextLine returns the start of the line after the one holding offset, or
// len(src) when there is none.
func (s *Source) nextLine(offset int) int {
	i := s.lineOf(offset)
	if i+1 < len(s.lineStart) {
		return s.lineStart[i+1]
	}
	return len(s.src)
}

// column returns the 1-based column (code points) of offset.
func (s *Source) column(offset int) int {
	_, c := s.Position(offset)
	return c
}

// indentOf returns the number of leading spaces of the line holding offset.
func (s *Source) indentOf(offset int) int {
	p := s.lineBegin(offset)
	n := 0
	for p+n < len(s.src) && s.src[p+n] == ' ' {
		n++
	}
	return n
}

// onlySpacesBefore reports whether the line holding offset has only spaces
// before it.
func (s *Source) onlySpacesBefore(offset int) bool {
	for p := s.lineBegin(offset); p < offset; p++ {
		if s.src[p] != ' ' {
			return false
		}
	}
	return true
}

// restIsTrivia reports whether [from, lineEnd) holds only blanks and an
// optional comment.
func (s *Source) restIsTrivia(from int) bool {
	end := s.lineEnd(from)
	for p := from; p < end; p++ {
		switch s.src[p] {
		case ' ', '\t':
			continue
		case '#':
			return p > 0 && (s.src[p-1] == ' ' || s.src[p-1] == '\t')
		}
		return false
	}
	return true
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// blankLine reports whether the 0-based line i holds only spaces and tabs.
func (s *Source) blankLine(i int) bool {
	for p := s.lineStart[i]; p < s.breakStart[i]; p++ {
		if s.src[p] != ' ' && s.src[p] != '\t' {
			return false
		}
	}
	return true
}

// commentLine reports whether the 0-based line i holds only a comment.
func (s *Source) commentLine(i int) bool {
	for p := s.lineStart[i]; p < s.breakStart[i]; p++ {
		switch s.src[p] {
		case ' ', '\t':
			continue
		case '#':
			return true
		}
		return false
	}
	return false
}

// parseAll parses every document of src.
func parseAll(src []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &n)
	}
}
