package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EnvFile is a file outside the compose files that rules look at, keyed
// by absolute path in Project.EnvFiles: an env file a service loads with
// `env_file:` (read and parsed here, since rules never touch the disk), or
// the `file:` of a top-level secret (never read: only its git status
// matters). A file that does not exist is not listed: linting does not
// need run-time files.
//
// An env file is also in Project.Extra as a File without YAML documents,
// so `# want` expectations, `# composure:ignore` comments and source
// lines work in it like in the compose files.
type EnvFile struct {
	// Path is the file as the user sees it (spelled like the project's
	// first compose file: relative when that one is); Abs is absolute.
	Path string
	Abs  string
	// Content is the env file's bytes (nil for a secret file).
	Content []byte
	// Entries are its KEY=value lines read in compose's default env file
	// format; RawEntries read with `format: raw` (docker run --env-file),
	// filled only when a service loads it that way.
	Entries    []EnvEntry
	RawEntries []EnvEntry
	// Env: a service loads it with env_file. Secret: a top-level secret
	// reads it.
	Env    bool
	Secret bool
	// File is the env file as a project file (nil for a secret file only).
	File *File
	GitStatus
}

// EnvEntry is one KEY=value entry of an env file. Entries without a value
// (`KEY` alone, taken from the environment) are not listed.
type EnvEntry struct {
	Key string
	// Raw is the value as written: quotes kept, an inline comment and
	// surrounding blanks dropped.
	Raw string
	// Inner is Raw without its quotes: the value's text as it appears in
	// the file, for masking.
	Inner string
	// Quote is the value's quote character: 0, '\'' or '"'.
	Quote byte
	// Value is the value without quotes, double-quoted escapes expanded,
	// the text secret detection reads. Unless Verbatim it is a compose
	// template (`${VAR}` interpolates, `$$` is a dollar).
	Value string
	// Verbatim: the container gets Value exactly (a single-quoted value,
	// format raw): no interpolation, `$$` is two dollars.
	Verbatim bool
	// Line and Column are where the key starts (1-based, columns in code
	// points, after any `export `).
	Line, Column int
	// KeyOffset and ValueEnd are the byte range from the key to the end of
	// the value (its closing quote included).
	KeyOffset, ValueEnd int
	// StartOffset and EndOffset are the byte range of the entry's whole
	// line (its lines, for a quoted value spanning several), line break
	// included: deleting it removes the entry and nothing else when the
	// entry is Exact.
	StartOffset, EndOffset int
	// Exact: compose-go reads the entry's lines as this entry alone, with
	// this value (no other statement after a closing quote, no line that
	// its parser reads as part of another value).
	Exact bool
	// Repeated: the file sets the key more than once; compose uses the
	// last, and moving one would leave or revive another.
	Repeated bool
}

// Env file formats of `env_file: [{path, format}]`.
const (
	envFormatDefault = ""
	envFormatRaw     = "raw"
)

// readEnvFiles reads the env files the services load and records the git
// status of them and of the top-level secret files. Missing or unreadable
// files are skipped: an env file CI creates at deploy time is not an
// error, and required ones are compose's business at run time.
func (p *projectLoader) readEnvFiles(ctx context.Context, overlay map[string][]byte) error {
	p.EnvFiles = map[string]*EnvFile{}
	if p.Model == nil {
		return nil
	}
	formats := map[string]map[string]bool{}
	required := map[string]string{} // env file -> the first service that requires it
	names := make([]string, 0, len(p.Model.Services))
	for name := range p.Model.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	var order []string
	for _, name := range names {
		for _, ef := range p.Model.Services[name].EnvFiles {
			if ef.Path == "" {
				continue
			}
			abs := ef.Path
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(p.Dir, abs)
			}
			abs = filepath.Clean(abs)
			if formats[abs] == nil {
				formats[abs] = map[string]bool{}
				order = append(order, abs)
			}
			formats[abs][ef.Format] = true
			if _, ok := required[abs]; !ok && bool(ef.Required) {
				required[abs] = name
			}
		}
	}
	p.FileRefs = order
	for _, name := range names {
		for _, lf := range p.Model.Services[name].LabelFiles {
			if !filepath.IsAbs(lf) {
				lf = filepath.Join(p.Dir, lf)
			}
			p.FileRefs = append(p.FileRefs, filepath.Clean(lf))
		}
	}
	known := map[string]bool{}
	for _, f := range p.AllFiles() {
		known[f.Abs] = true
	}
	for _, abs := range order {
		content, ok := overlay[abs]
		if !ok {
			if content, ok = readRegular(abs); !ok {
				p.noteUnreadEnvFile(abs, required[abs])
				continue
			}
		}
		ef := &EnvFile{Path: p.displayPath(abs), Abs: abs, Content: content, Env: true}
		ef.File = &File{Path: ef.Path, Abs: abs, Content: content}
		if formats[abs][envFormatDefault] {
			ef.Entries = ef.locate(parseDotEnv(content))
			// docker compose refuses a file its parser refuses: so does
			// the lint, with the place and without the value.
			if err := confirmDotEnv(content, ef.Entries); err != nil {
				return envFileError(ef.Path, content, err.Error())
			}
		}
		if formats[abs][envFormatRaw] {
			ef.RawEntries = ef.locate(parseRawEnv(content))
			confirmRawEnv(ef.RawEntries)
		}
		p.EnvFiles[abs] = ef
		if !known[abs] {
			known[abs] = true
			p.Extra = append(p.Extra, ef.File)
		}
	}
	for _, s := range p.Model.Secrets {
		if s.File == "" || bool(s.External) {
			continue
		}
		abs := filepath.Clean(s.File)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(p.Dir, abs)
		}
		if ef, ok := p.EnvFiles[abs]; ok {
			ef.Secret = true
			continue
		}
		if _, err := os.Stat(abs); err != nil {
			continue
		}
		p.EnvFiles[abs] = &EnvFile{Path: p.displayPath(abs), Abs: abs, Secret: true}
	}
	paths := make([]string, 0, len(p.EnvFiles)+1)
	for abs := range p.EnvFiles {
		paths = append(paths, abs)
	}
	if p.DotEnvPath != "" && p.EnvFiles[p.DotEnvPath] == nil {
		// Only a .env on disk can be committed; one a fix pass is
		// writing (the overlay) is not there yet.
		if _, err := os.Lstat(p.DotEnvPath); err == nil {
			paths = append(paths, p.DotEnvPath)
		}
	}
	sort.Strings(paths)
	for abs, st := range gitStatuses(ctx, paths) {
		if st.Unknown {
			p.noteGitUnknown(abs, st.Why)
		}
		if !st.NoRepo && !st.Unknown && !st.Tracked && !st.Ignored && p.opts.PendingIgnored != nil {
			st.Ignored = p.opts.PendingIgnored(abs)
		}
		if abs == p.DotEnvPath {
			p.DotEnvGit = st
		}
		if ef := p.EnvFiles[abs]; ef != nil {
			ef.GitStatus = st
		}
	}
	return nil
}

// readRegular reads a regular file of bounded size.
func readRegular(abs string) ([]byte, bool) {
	b, err := readBounded(abs) // never blocks, never reads past MaxFileSize
	return b, err == nil
}

// noteUnreadEnvFile says that a required env file could not be read, so
// its entries were not checked for secrets (SPEC §4: the lint goes on,
// since such files are often created at deploy time, and says what it
// could not check). An optional one (required: false) is expected to be
// missing and is not mentioned.
func (p *projectLoader) noteUnreadEnvFile(abs, service string) {
	if service == "" {
		return
	}
	n := Note{File: p.Files[0].Path, Unchecked: true,
		Msg: fmt.Sprintf("env file %s of service %q cannot be read, so its entries were not checked for secrets", p.displayPath(abs), service)}
	if loc := p.Locate("services", service, "env_file"); loc.Node != nil {
		n.File, n.Line = loc.File.Path, loc.Line()
	}
	p.addNote(n)
}

// displayPath spells an absolute path like the project's first compose
// file: relative to the current directory when that one is relative.
func (p *projectLoader) displayPath(abs string) string {
	if len(p.Files) == 0 {
		return abs
	}
	first := p.Files[0]
	rel, err := filepath.Rel(filepath.Dir(first.Abs), abs)
	if err != nil {
		return abs
	}
	return filepath.Join(filepath.Dir(first.Path), rel)
}

// locate fills in the lines and columns of entries.
func (ef *EnvFile) locate(es []EnvEntry) []EnvEntry {
	for i := range es {
		es[i].Line, es[i].Column = ef.File.LineCol(es[i].KeyOffset)
	}
	return es
}

// utf8BOM starts some files written on Windows; both parsers skip it.
const utf8BOM = "\uFEFF"

// exportPrefix matches the `export ` that shell-sourceable env files put
// before a key.
var exportPrefix = regexp.MustCompile(`^export[ \t]+`)

// parseDotEnv reads compose's env file format (compose-go's dotenv
// parser) and keeps where each entry is (confirmDotEnv then checks it
// against compose-go's parser): `KEY=value`, `KEY: value`,
// `export KEY=value`, single- and double-quoted values (which may span
// lines), ` #` comments after unquoted values, comment lines, blank lines
// and CRLF line ends. A line compose would refuse (a bad key, an
// unterminated quote) is skipped.
func parseDotEnv(b []byte) []EnvEntry {
	src := string(b)
	i := 0
	if strings.HasPrefix(src, utf8BOM) {
		i = len(utf8BOM)
	}
	var out []EnvEntry
	for {
		for i < len(src) && isEnvSpace(src[i]) || i < len(src) && src[i] == '\n' {
			i++
		}
		if i >= len(src) {
			return out
		}
		start := lineStart(src, i)
		if src[i] == '#' {
			i = nextLine(src, i)
			continue
		}
		if m := exportPrefix.FindString(src[i:]); m != "" {
			i += len(m)
		}
		keyStart := i
		j := i
		for j < len(src) && src[j] != '=' && src[j] != ':' && src[j] != '\n' {
			j++
		}
		key := strings.TrimRightFunc(src[keyStart:j], unicode.IsSpace)
		if j >= len(src) || src[j] == '\n' || !validEnvKey(key) {
			i = nextLine(src, j) // KEY alone takes the value from the environment
			continue
		}
		v := j + 1
		for v < len(src) && isEnvSpace(src[v]) {
			v++
		}
		e := EnvEntry{Key: key, KeyOffset: keyStart, StartOffset: start}
		if v < len(src) && (src[v] == '"' || src[v] == '\'') {
			end, inner, ok := quotedValue(src, v)
			if !ok {
				i = nextLine(src, v)
				continue
			}
			e.Quote = src[v]
			e.Raw, e.Inner, e.ValueEnd = src[v:end], src[v+1:end-1], end
			if e.Quote == '"' {
				e.Value = expandEscapes(inner)
			} else {
				e.Value, e.Verbatim = inner, true
			}
			i = nextLine(src, end-1)
		} else {
			lineEnd := strings.IndexByte(src[v:], '\n')
			if lineEnd < 0 {
				lineEnd = len(src) - v
			}
			value := src[v : v+lineEnd]
			if k := strings.Index(value, " #"); k >= 0 {
				value = value[:k]
			}
			value = strings.TrimRightFunc(value, unicode.IsSpace)
			e.Raw, e.Inner, e.Value, e.ValueEnd = value, value, value, v+len(value)
			i = v + lineEnd
			if i < len(src) {
				i++
			}
		}
		e.EndOffset = i
		out = append(out, e)
	}
}

// quotedValue scans the quoted value starting at src[q] like compose-go:
// a backslash escapes the quote character; other escapes are kept for
// expandEscapes. It returns the offset just past the closing quote and
// the unquoted text.
func quotedValue(src string, q int) (end int, inner string, ok bool) {
	quote := src[q]
	var b strings.Builder
	escaped := false
	for i := q + 1; i < len(src); i++ {
		c := src[i]
		if c != quote {
			if !escaped && c == '\\' {
				escaped = true
				continue
			}
			if escaped {
				escaped = false
				b.WriteByte('\\')
			}
			b.WriteByte(c)
			continue
		}
		if escaped {
			escaped = false
			b.WriteByte(c)
			continue
		}
		return i + 1, b.String(), true
	}
	return 0, "", false
}

// escapeSeq matches the backslash escapes compose expands in a
// double-quoted env file value.
var escapeSeq = regexp.MustCompile(`\\(?:[abcfnrtv$"\\]|0\d{0,3})`)

// expandEscapes expands the escapes of a double-quoted value; `\$` is a
// literal dollar, written `$$` in a compose template.
func expandEscapes(s string) string {
	return escapeSeq.ReplaceAllStringFunc(s, func(m string) string {
		if m == `\$` {
			return "$$"
		}
		if strings.HasPrefix(m, `\0`) {
			m = `\` + m[2:]
		}
		r, _, _, err := strconv.UnquoteChar(m, '"')
		if err != nil {
			return m
		}
		if r < utf8.RuneSelf {
			return string(byte(r))
		}
		return string(r)
	})
}

// validEnvKey accepts what compose-go accepts in a key: letters, digits,
// `_ . - [ ]`, no blanks.
func validEnvKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), strings.ContainsRune("_.-[]", r):
		default:
			return false
		}
	}
	return true
}

// parseRawEnv reads `format: raw` (docker run --env-file): one KEY=value
// per line, the value literal to the end of the line, no quotes, no
// comments after values, no interpolation.
func parseRawEnv(b []byte) []EnvEntry {
	src := string(b)
	var out []EnvEntry
	for start := 0; start < len(src); {
		end := nextLine(src, start)
		line := strings.TrimSuffix(strings.TrimSuffix(src[start:end], "\n"), "\r")
		off := start
		if start == 0 && strings.HasPrefix(line, utf8BOM) {
			line, off = line[len(utf8BOM):], len(utf8BOM)
		}
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		off += len(line) - len(trimmed)
		key, value, ok := strings.Cut(trimmed, "=")
		if ok && trimmed != "" && trimmed[0] != '#' && key != "" && !strings.ContainsAny(key, " \t\n\r\v\f") {
			out = append(out, EnvEntry{
				Key: key, Raw: value, Inner: value, Value: value, Verbatim: true,
				KeyOffset: off, ValueEnd: off + len(trimmed),
				StartOffset: start, EndOffset: end,
			})
		}
		start = end
	}
	return out
}

func isEnvSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// lineStart is the offset of the start of the line holding src[i].
func lineStart(src string, i int) int {
	return strings.LastIndexByte(src[:i], '\n') + 1
}

// nextLine is the offset just past the line break of the line holding
// src[i] (the end of src on the last line).
func nextLine(src string, i int) int {
	if i >= len(src) {
		return len(src)
	}
	k := strings.IndexByte(src[i:], '\n')
	if k < 0 {
		return len(src)
	}
	return i + k + 1
}

// Existing says whether a file a fix would create is there already, as a
// fix pass of this run leaves it (the overlay) or on disk, and its bytes
// when it is a readable regular file: a fix that names a new file (a
// secret file) picks a name that is free or holds the same bytes.
func (p *Project) Existing(abs string) (content []byte, exists bool) {
	if b, ok := p.overlay[abs]; ok {
		return b, true
	}
	if _, err := os.Lstat(abs); err != nil {
		return nil, false
	}
	b, _ := readRegular(abs)
	return b, true
}
