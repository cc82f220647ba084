package project

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"go.yaml.in/yaml/v4"
)

func scratchHeight(n *yaml.Node, memo map[*yaml.Node]int) int {
	if n == nil {
		return 0
	}
	if h, ok := memo[n]; ok {
		return h
	}
	h := 0
	if n.Kind == yaml.AliasNode {
		h = scratchHeight(n.Alias, memo)
	} else {
		for _, c := range n.Content {
			if x := scratchHeight(c, memo); x > h {
				h = x
			}
		}
		h++
	}
	memo[n] = h
	return h
}

func TestScratchCorpusDepth(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	max := 0
	hist := map[int]int{}
	for _, fn := range files {
		b, _ := os.ReadFile(fn)
		f, err := parseFile(fn, fn, b)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			h := scratchHeight(d, map[*yaml.Node]int{})
			hist[h]++
			if h > max {
				max = h
				t.Log(fn, h)
			}
		}
	}
	t.Log(max, hist)
}

func scratchWidth(n *yaml.Node, seen map[*yaml.Node]bool) int {
	if n == nil || seen[n] {
		return 0
	}
	seen[n] = true
	w := len(n.Content)
	if n.Kind == yaml.MappingNode {
		w /= 2
	}
	for _, c := range n.Content {
		if x := scratchWidth(c, seen); x > w {
			w = x
		}
	}
	return w
}

func TestScratchCorpusWidth(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	max := 0
	for _, fn := range files {
		b, _ := os.ReadFile(fn)
		f, err := parseFile(fn, fn, b)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			h := scratchWidth(d, map[*yaml.Node]bool{})
			if h > max {
				max = h
				t.Log(fn, h)
			}
		}
	}
}

func TestScratchParseMem(t *testing.T) {
	fn := os.Getenv("SCRATCH_FILE")
	if fn == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(fn)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f, err := parseFile(fn, fn, b)
	runtime.ReadMemStats(&m1)
	t.Log(err, len(b), (m1.TotalAlloc-m0.TotalAlloc)>>20, "MB total,", (m1.HeapInuse)>>20, "MB inuse")
	runtime.KeepAlive(f)
}

func TestScratchCorpusEstimate(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/dev/*")
	max, maxSize := 0, 0
	for _, fn := range files {
		b, _ := os.ReadFile(fn)
		if e := nodeEstimate(b); e > max {
			max = e
			t.Log(fn, e, len(b))
		}
		if len(b) > maxSize {
			maxSize = len(b)
		}
	}
	t.Log("max size", maxSize)
}
