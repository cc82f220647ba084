package secrets

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// corpusDir is the shared corpus of real compose files; the test skips
// without it.
const corpusDir = "../../../shared/corpus"

// reviewedRemovals are the corpus entries that the value filters of
// issue 14 (rates, bare provider prefixes, punctuation, rate-limit names)
// stop reporting, each checked by eye: file, variable, masked value. Empty
// since the filters went in: none of the corpus's findings was removed.
var reviewedRemovals = []string{}

// Every finding that the value filters remove on the corpus is in
// reviewedRemovals: a new filter that drops a true finding fails here, and
// its removals get reviewed before they are listed.
func TestCorpusValueFilters(t *testing.T) {
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not available (%v): skipping", err)
	}
	defer f.Close()
	var removed []string
	entries := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] != "dev" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(corpusDir, cols[1]))
		if err != nil {
			continue
		}
		for _, kv := range environments(src) {
			entries++
			valueFilters = false
			before := Check(kv[0], kv[1], Hints{})
			valueFilters = true
			after := Check(kv[0], kv[1], Hints{})
			if before.Kind != None && after.Kind == None {
				removed = append(removed, fmt.Sprintf("%s %s=%s", cols[1], kv[0], Mask(kv[1])))
			}
		}
	}
	if entries < 1000 {
		t.Fatalf("only %d environment entries read from the corpus", entries)
	}
	sort.Strings(removed)
	reviewed := map[string]bool{}
	for _, r := range reviewedRemovals {
		reviewed[r] = true
	}
	for _, r := range removed {
		if !reviewed[r] {
			t.Errorf("the value filters remove a corpus finding nobody reviewed: %s", r)
		}
	}
	t.Logf("%d environment entries, %d removed by the value filters", entries, len(removed))
}

// environments returns the KEY, value pairs of every service's
// environment (map or list form) in a compose file, as written.
func environments(src []byte) [][2]string {
	var doc map[string]any
	if yaml.Unmarshal(src, &doc) != nil {
		return nil
	}
	services, ok := doc["services"].(map[string]any)
	if !ok {
		services = doc
	}
	var out [][2]string
	for _, s := range services {
		m, ok := s.(map[string]any)
		if !ok {
			continue
		}
		switch env := m["environment"].(type) {
		case map[string]any:
			for k, v := range env {
				if s, ok := v.(string); ok {
					out = append(out, [2]string{k, s})
				}
			}
		case []any:
			for _, e := range env {
				if s, ok := e.(string); ok {
					if k, v, ok := strings.Cut(s, "="); ok {
						out = append(out, [2]string{k, v})
					}
				}
			}
		}
	}
	return out
}
