// Command imagecount counts, over the compose files of a corpus, the
// services with an `image:` and the share whose image composure's curated
// knowledge does not know. It reads `image:` values only (no
// interpolation: ${VAR:-default} takes the default), one service per
// services.<name> with an image, v1 files (no services:) included.
//
//	go run ./rules/knowledge/testdata/imagecount /work/shared/corpus [-tail N]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/composure-dev/composure/rules/knowledge"
	"go.yaml.in/yaml/v4"
)

var defaultRe = regexp.MustCompile(`\$\{[A-Za-z0-9_]+:?-([^}]*)\}`)

func main() {
	tail := flag.Int("tail", 0, "list the N most used unknown images")
	flag.Parse()
	root := flag.Arg(0)
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	k := knowledge.Default()
	total, unknown := 0, 0
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] != "dev" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, cols[1]))
		if err != nil {
			continue
		}
		var doc map[string]any
		if yaml.Unmarshal(src, &doc) != nil {
			continue
		}
		services, ok := doc["services"].(map[string]any)
		if !ok {
			services = doc
		}
		for _, s := range services {
			m, ok := s.(map[string]any)
			if !ok {
				continue
			}
			ref, ok := m["image"].(string)
			if !ok || ref == "" {
				continue
			}
			ref = defaultRe.ReplaceAllString(ref, "$1")
			total++
			if _, ok := k.Lookup(ref); !ok {
				unknown++
				repo := ref
				if i := strings.LastIndex(repo, "@"); i >= 0 {
					repo = repo[:i]
				}
				if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
					repo = repo[:i]
				}
				counts[strings.ToLower(repo)]++
			}
		}
	}
	fmt.Printf("services with an image: %d, unknown: %d (%.1f%%)\n", total, unknown, 100*float64(unknown)/float64(total))
	type kv struct {
		k string
		n int
	}
	var list []kv
	for k, n := range counts {
		list = append(list, kv{k, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].k < list[j].k
	})
	for i := 0; i < *tail && i < len(list); i++ {
		fmt.Printf("%5d %s\n", list[i].n, list[i].k)
	}
}
