package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// EnsureLine makes the text file at path contain line (exact line match,
// ignoring a trailing "\r" and a UTF-8 byte order mark), appending it when
// missing. It creates the file with exactly mode (e.g. 0644 for
// .gitignore, 0600 for .env) and content line+"\n" if absent, creating
// missing parent directories with 0700 plus the read and search bits that
// mode gives group and others (0755 for 0644, 0700 for 0600). When the
// existing content does not end with a newline one is added before the
// line; the line ends in "\r\n" when most of the file's line breaks are
// CRLF. The append goes through Replace (atomic, compare-and-swap); when
// the file changes between the read and the replacement, EnsureLine reads
// it again (at most three tries, then ErrChanged). It reports whether it
// changed anything.
//
// Refusals: those of CreateSecret (ErrBadName, ErrOutside, ErrNotRegular)
// and of Replace, and ErrBadLine when line is empty or contains a NUL
// byte, "\n" or "\r". mode must have permission bits only.
func EnsureLine(root, path, line string, mode os.FileMode) (changed bool, err error) {
	changed, err = ensureLine(root, path, line, mode)
	if err != nil {
		return false, fmt.Errorf("ensure line in %s: %w", path, err)
	}
	return changed, nil
}

func ensureLine(root, path, line string, mode os.FileMode) (bool, error) {
	if line == "" || strings.ContainsAny(line, "\x00\n\r") {
		return false, ErrBadLine
	}
	if mode&^fs.ModePerm != 0 {
		return false, fmt.Errorf("invalid file mode %v: only permission bits are allowed", mode)
	}
	dirPerm := 0o700 | mode&0o044 | (mode&0o044)>>2
	loc, err := locate(root, path, dirPerm)
	if err != nil {
		return false, err
	}
	defer loc.close()
	const tries = 3
	for attempt := 1; ; attempt++ {
		real, exists, err := loc.existing()
		if err != nil {
			return false, err
		}
		if !exists {
			err := loc.create([]byte(line+"\n"), mode)
			if errors.Is(err, fs.ErrExist) && attempt < tries {
				continue
			}
			return err == nil, err
		}
		loc.keepDirs()
		cur, err := readRegular(real)
		if err != nil {
			return false, err
		}
		if HasLine(cur, line) {
			return false, nil
		}
		// Replace resolves path again and repeats every check.
		err = replace(root, path, cur, AppendLine(cur, line))
		if errors.Is(err, ErrChanged) && attempt < tries {
			continue
		}
		return err == nil, err
	}
}

// HasLine reports whether content has line as one of its lines, ignoring
// a "\r" before the "\n" (or at the very end) and a leading UTF-8 BOM.
func HasLine(content []byte, line string) bool {
	s := strings.TrimPrefix(string(content), "\ufeff")
	for len(s) > 0 {
		l, rest, _ := strings.Cut(s, "\n")
		if strings.TrimSuffix(l, "\r") == line {
			return true
		}
		s = rest
	}
	return false
}

// AppendLine returns content with line appended, in the file's line break
// style, after completing an unterminated last line.
func AppendLine(content []byte, line string) []byte {
	eol := "\n"
	crlf := bytes.Count(content, []byte("\r\n"))
	if crlf > bytes.Count(content, []byte("\n"))-crlf {
		eol = "\r\n"
	}
	out := make([]byte, 0, len(content)+len(line)+4)
	out = append(out, content...)
	switch {
	case len(out) == 0 || out[len(out)-1] == '\n':
	case out[len(out)-1] == '\r':
		out = append(out, '\n') // "…\r" becomes "…\r\n", not "…\r\r\n"
	default:
		out = append(out, eol...)
	}
	out = append(out, line...)
	out = append(out, eol...)
	return out
}

// DeleteLine removes line (the exact bytes of one whole line, line break
// included) from the file at path, atomically and only if it occurs
// exactly once. It reports false when the line is already gone; more than
// one occurrence is ErrAmbiguous. Same root rules as EnsureLine.
func DeleteLine(root, path, line string) (changed bool, err error) {
	if line == "" || strings.ContainsRune(line, 0) {
		return false, fmt.Errorf("delete line from %s: %w", path, ErrBadLine)
	}
	// The same checks as EnsureLine: inside root, through symlinks, and a
	// regular file (a FIFO would block the read).
	loc, err := locate(root, path, 0o700)
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	defer loc.close()
	real, exists, err := loc.existing()
	if err == nil && !exists {
		err = fs.ErrNotExist
	}
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	old, err := readRegular(real)
	if err != nil {
		return false, fmt.Errorf("delete line from %s: %w", path, err)
	}
	switch strings.Count(string(old), line) {
	case 0:
		return false, nil
	case 1:
	default:
		return false, fmt.Errorf("delete line from %s: %w", path, ErrAmbiguous)
	}
	next := strings.Replace(string(old), line, "", 1)
	if err := Replace(root, path, old, []byte(next)); err != nil {
		return false, err
	}
	return true, nil
}

// ErrAmbiguous: the line to delete occurs more than once.
var ErrAmbiguous = errors.New("the line to delete occurs more than once")
