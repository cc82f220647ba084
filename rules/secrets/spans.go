package secrets

import (
	"cmp"
	"slices"
)

// Why positional masking: masking every occurrence of a secret's text
// hides more than the secret. A password "postgres" turned the service
// `postgres:`, `image: postgres:16` and `/var/lib/postgresql/data` into
// `po****`, and a value "---" the header of a diff: the text became
// unreadable and the hidden value obvious from context. A secret is
// masked where it stands instead: in the places findings point at, and
// wherever it is a value on its own.

// Span is a place in a text where a secret stands, text[Start:End].
// With Whole set, the span is that secret as a value on its own (a YAML
// scalar, the value of a KEY=value line), masked all, or with Part a
// later line of it (a block scalar's, its indentation left out), shown
// "****". Without Whole, it is a place a finding points at (a key and its
// value, a command line), where the occurrences of the secrets inside it
// are masked, outside the whole spans.
type Span struct {
	Start, End int
	Whole      string
	Part       bool
}

// MaskSpans returns text with the secrets masked inside spans and
// nowhere else: text outside every span is kept byte for byte. As with
// Mask, a masked region keeps its line breaks, so the text keeps its
// lines (a diff drawn from it keeps its hunks' line counts). Spans out of
// range are cut to the text.
func (m *Masker) MaskSpans(text string, spans []Span) string {
	var regions, wholes []region
	for _, s := range spans {
		start, end := max(s.Start, 0), min(s.End, len(text))
		if start >= end || s.Whole == "" {
			continue
		}
		mask := Mask(s.Whole)
		if s.Part {
			mask = "****"
		}
		wholes = append(wholes, region{start, end, mask})
	}
	slices.SortFunc(wholes, func(a, b region) int { return cmp.Compare(a.start, b.start) })
	for _, s := range spans {
		start, end := max(s.Start, 0), min(s.End, len(text))
		if start >= end || s.Whole != "" {
			continue
		}
		// A finding's place around a whole value (its key and a block
		// scalar) is searched around it: the value is masked as a whole,
		// and a secret's source text that starts before it (the block's
		// header and indentation) would mask them too.
		for _, w := range wholes {
			if w.end <= start || w.start >= end {
				continue
			}
			if w.start > start {
				regions = m.find(text, start, w.start, regions)
			}
			start = max(start, w.end)
		}
		if start < end {
			regions = m.find(text, start, end, regions)
		}
	}
	return render(text, append(regions, wholes...))
}
