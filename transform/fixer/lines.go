package fixer

import (
	"bytes"
	"strings"

	"github.com/composure-dev/composure/rules/lint"
	"github.com/composure-dev/composure/transform/write"
)

// acceptLines filters applied group indexes: a group whose .env line sets a
// variable that the overlay or an earlier group of this pass sets to
// another value waits for the next pass (it will pick another name).
func acceptLines(gs []group, applied []int, overlay map[string][]byte) (ok, later []int) {
	claimed := map[string]string{} // path + variable -> line
	for _, i := range applied {
		clash := false
		for _, w := range gs[i].fix.Writes {
			if w.Kind != lint.EnsureLine || !w.Secret {
				continue
			}
			name, _, _ := strings.Cut(w.Content, "=")
			key := w.Path + "\x00" + name
			if prev, ok := claimed[key]; ok && prev != w.Content {
				clash = true
			}
			if existing := envLine(currentContent(w.Path, overlay), name); existing != "" && existing != w.Content {
				clash = true
			}
		}
		if clash {
			later = append(later, i)
			continue
		}
		for _, w := range gs[i].fix.Writes {
			if w.Kind == lint.EnsureLine && w.Secret {
				name, _, _ := strings.Cut(w.Content, "=")
				claimed[w.Path+"\x00"+name] = w.Content
			}
		}
		ok = append(ok, i)
	}
	return ok, later
}

// linesChange reports whether writes would change anything given the
// overlay (a write-only fix already applied in an earlier pass does not).
func linesChange(ws []lint.FileWrite, overlay map[string][]byte) bool {
	for _, w := range ws {
		cur := currentContent(w.Path, overlay)
		switch w.Kind {
		case lint.EnsureLine:
			if !write.HasLine(cur, w.Content) {
				return true
			}
		case lint.DeleteLine:
			if bytes.Contains(cur, []byte(w.Content)) {
				return true
			}
		}
	}
	return false
}

// addLines puts appended and deleted lines into the overlay, so later passes
// (and the loader's view of .env, env files and .gitignore) see them.
func addLines(ws []lint.FileWrite, overlay map[string][]byte) {
	for _, w := range ws {
		if w.Kind == lint.DeleteLine {
			overlay[w.Path] = bytes.Replace(currentContent(w.Path, overlay), []byte(w.Content), nil, 1)
			continue
		}
		if w.Kind == lint.CreateSecret {
			// A later pass (another compose file in the folder) then
			// sees the name taken, as it will be on disk.
			if _, ok := overlay[w.Path]; !ok {
				overlay[w.Path] = []byte(w.Content)
			}
			continue
		}
		if w.Kind != lint.EnsureLine {
			continue
		}
		// The same line test and append, BOM and CRLF included, as
		// write.EnsureLine uses on disk: --diff and later passes see what
		// will be written.
		cur := currentContent(w.Path, overlay)
		if write.HasLine(cur, w.Content) {
			continue
		}
		overlay[w.Path] = write.AppendLine(cur, w.Content)
	}
}

func currentContent(path string, overlay map[string][]byte) []byte {
	if b, ok := overlay[path]; ok {
		return b
	}
	b, _ := write.ReadRegular(path) // not a FIFO (a hostile .gitignore)
	return b
}

// envLine returns the line of content that sets name, or "".
func envLine(content []byte, name string) string {
	for _, l := range strings.Split(strings.TrimPrefix(string(content), "\ufeff"), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.HasPrefix(strings.TrimPrefix(l, "export "), name+"=") {
			return l
		}
	}
	return ""
}
