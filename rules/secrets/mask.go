package secrets

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Mask hides a secret for display: "s3****" shows at most the first two
// characters, then a fixed "****", so the length is never revealed. Secrets
// shorter than 8 characters (or starting with anything but printable ASCII)
// show nothing: "****". The output is at most 6 bytes and never contains a
// secret of 4 or more bytes; the only string "****" would contain is "****"
// itself, which masks as "(hidden)".
func Mask(secret string) string {
	if secret == "****" {
		return "(hidden)"
	}
	if utf8.RuneCountInString(secret) < 8 || !printable(secret[0]) || !printable(secret[1]) {
		return "****"
	}
	return secret[:2] + "****"
}

func printable(c byte) bool { return c > ' ' && c < 0x7f }

// MaskAll replaces every occurrence of each secret in text with its mask:
// for anything that shows source text (a line under a finding, a diff).
func MaskAll(text string, secrets []string) string {
	return NewMasker(secrets).Mask(text)
}

// Masker masks a fixed set of secrets in many texts: it is built once
// (a diff of hundreds of files against every secret a run saw).
//
// It masks the union of every occurrence, overlapping ones included: a
// replacer that resumes after a match shows the tail of a second, later
// occurrence that overlaps it (abcdabc in abcdabcdabc left "dabc"). A
// masked region keeps its line breaks, so a text keeps its lines (a
// terminal's source line under a finding stays on its line after a
// masked block scalar).
type Masker struct {
	// by2 lists the patterns of two bytes or more by their first two
	// bytes, by1 the one-byte ones, each longest first.
	by2 map[[2]byte][]string
	by1 [256][]string
	any bool
	// piece: a line of a multi-line secret, not a secret on its own; its
	// mask shows nothing, since the blanks the line starts with in the
	// secret would show next to its first two characters.
	piece map[string]bool
}

// NewMasker prepares the masking of secrets. Where two secrets match at
// one place the longer one decides the mask, so a secret that starts
// with another (password, password123) never shows its rest.
func NewMasker(secrets []string) *Masker {
	seen := map[string]bool{}
	piece := map[string]bool{}
	var patterns []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			patterns = append(patterns, s)
		}
	}
	for _, s := range secrets {
		add(s)
	}
	for _, s := range secrets {
		// A secret of several lines (a private key in a `|` block) is
		// shown line by line, each with the file's indentation before it
		// and a diff marker before that: each of its lines is masked on
		// its own too.
		if !strings.Contains(s, "\n") {
			continue
		}
		// In a file with CRLF line ends the secret's line breaks are
		// "\r\n": whole, it is masked there too, short lines and all.
		add(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
		for _, line := range strings.Split(s, "\n") {
			// As written and without its blanks: a line "ab  " shows
			// four bytes of the secret however its blanks are cut.
			for _, l := range []string{line, strings.TrimSpace(line)} {
				if len(l) >= minLineSecret && !seen[l] {
					piece[l] = true
					add(l)
				}
			}
		}
	}
	slices.SortStableFunc(patterns, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	m := &Masker{by2: map[[2]byte][]string{}, piece: piece}
	for _, p := range patterns {
		m.any = true
		if len(p) == 1 {
			m.by1[p[0]] = append(m.by1[p[0]], p)
			continue
		}
		k := [2]byte{p[0], p[1]}
		m.by2[k] = append(m.by2[k], p)
	}
	return m
}

// minLineSecret is the shortest line of a multi-line secret masked on its
// own: shorter ones ("}", "==") are structure more often than secret, and
// would mask unrelated text. Four is the shortest span the masker's
// guarantee covers.
const minLineSecret = 4

// longestAt returns the longest pattern that text[i:] starts with, or "".
func (m *Masker) longestAt(text string, i int) string {
	if i+1 < len(text) {
		for _, p := range m.by2[[2]byte{text[i], text[i+1]}] {
			if strings.HasPrefix(text[i:], p) {
				return p // longest first
			}
		}
	}
	if ps := m.by1[text[i]]; len(ps) > 0 {
		return ps[0]
	}
	return ""
}

// Mask returns text with every secret masked.
func (m *Masker) Mask(text string) string {
	if !m.any {
		return text
	}
	return render(text, m.find(text, 0, len(text), nil))
}

// region is a part of a text to hide, and what shows in its place.
type region struct {
	start, end int
	mask       string
}

// find appends the regions of text[lo:hi] where a secret occurs, each
// grown while the occurrences overlap it. No region reaches past hi.
func (m *Masker) find(text string, lo, hi int, out []region) []region {
	if !m.any {
		return out
	}
	text = text[:hi]
	for i := lo; i < len(text); i++ {
		p := m.longestAt(text, i)
		if p == "" {
			continue
		}
		// The region from i grows while the occurrences overlap it.
		start, end := i, i+len(p)
		for j := i + 1; j < end; j++ {
			if q := m.longestAt(text, j); q != "" && j+len(q) > end {
				end = j + len(q)
			}
		}
		mask := Mask(p)
		if m.piece[p] {
			mask = "****"
		}
		out = append(out, region{start, end, mask})
		i = end - 1
	}
	return out
}

// render writes text with regions (sorted or not, overlapping or not)
// masked; overlapping regions are masked as one, with the first one's mask.
func render(text string, regions []region) string {
	if len(regions) == 0 {
		return text
	}
	slices.SortStableFunc(regions, func(a, b region) int { return cmp.Compare(a.start, b.start) })
	var b strings.Builder
	b.Grow(len(text))
	last := 0 // text[:last] is written
	for k := 0; k < len(regions); k++ {
		r := regions[k]
		if r.end <= last {
			continue // inside a region already masked
		}
		start := max(r.start, last)
		end := r.end
		for k+1 < len(regions) && regions[k+1].start < end {
			k++
			end = max(end, regions[k].end)
		}
		b.WriteString(text[last:start])
		writeMasked(&b, text[start:end], r.mask)
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// writeMasked writes mask in place of region, keeping region's line
// breaks: its first line becomes mask, each later non-empty line "****".
func writeMasked(b *strings.Builder, region, mask string) {
	pieces := strings.Split(region, "\n")
	for k, line := range pieces {
		if k > 0 {
			b.WriteByte('\n')
		}
		// A CRLF line end inside the region stays one.
		cr := k < len(pieces)-1 && strings.HasSuffix(line, "\r")
		if cr {
			line = line[:len(line)-1]
		}
		switch {
		case k == 0:
			b.WriteString(mask)
		case line != "":
			b.WriteString("****")
		}
		if cr {
			b.WriteByte('\r')
		}
	}
}
