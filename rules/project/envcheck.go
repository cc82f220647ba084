package project

import (
	"bytes"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
)

// The hand-written parser (parseDotEnv) keeps where each entry is, which
// compose-go's dotenv parser does not say; compose-go decides what the
// file means. confirmDotEnv holds the first to the second: a file
// compose-go refuses is an error, and an entry is Exact only when
// compose-go reads its lines as that one entry with that value, in the
// file as in the lines alone. Only an Exact entry that is not Repeated
// may be moved out of the file and its lines deleted.

// markLookup gives every variable a value that names it, so that two
// interpolations of one template agree exactly when the templates do.
func markLookup(k string) (string, bool) { return "\x00" + k + "\x00", true }

// confirmDotEnv checks content, an env file in compose's default format,
// with compose-go's parser, and marks es (parseDotEnv's entries of it). It
// returns compose-go's error when it refuses the file.
func confirmDotEnv(content []byte, es []EnvEntry) error {
	whole, err := dotenv.ParseWithLookup(bytes.NewReader(content), markLookup)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, e := range es {
		count[e.Key]++
	}
	for i := range es {
		e := &es[i]
		e.Repeated = count[e.Key] > 1
		want := e.Value
		if !e.Verbatim {
			if want, err = template.Substitute(e.Value, markLookup); err != nil {
				continue
			}
		}
		if got, ok := whole[e.Key]; !ok || got != want {
			continue
		}
		alone, err := dotenv.ParseWithLookup(bytes.NewReader(content[e.StartOffset:e.EndOffset]), markLookup)
		if err != nil || len(alone) != 1 || alone[e.Key] != want {
			continue
		}
		e.Exact = true
	}
	return nil
}

// confirmRawEnv marks the entries of a `format: raw` file: each is its
// whole line, so each is Exact; a key given twice is Repeated.
func confirmRawEnv(es []EnvEntry) {
	count := map[string]int{}
	for _, e := range es {
		count[e.Key]++
	}
	for i := range es {
		es[i].Exact = true
		es[i].Repeated = count[es[i].Key] > 1
	}
}
