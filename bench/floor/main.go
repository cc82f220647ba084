//go:build ignore

// Command floor is the YAML-parse floor of a composure run: it reads the
// given files and parses every document of each into yaml.Node trees with
// go.yaml.in/yaml/v4 (the parser composure itself uses), in GOMAXPROCS
// workers, and does nothing else. bench/run.sh times it as a process next
// to composure on the same files:
//
//	floor [-list FILE] [FILE...]
//
// -list names a file holding one path per line (added to the arguments).
// A summary goes to stderr; the exit code is 0 even when some files do not
// parse (composure reports those too).
//
// (Built only by name, never by ./...: `go install ./...`, which pre-commit's
// golang hook runs, builds composure alone.)
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v4"
)

func main() {
	list := flag.String("list", "", "file with one path per line")
	quiet := flag.Bool("q", false, "print nothing")
	flag.Parse()
	files := flag.Args()
	if *list != "" {
		more, err := readList(*list)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(2)
		}
		files = append(files, more...)
	}
	start := time.Now()
	var docs, failed, bytesRead atomic.Int64
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				n, size, err := parse(f)
				docs.Add(int64(n))
				bytesRead.Add(size)
				if err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	if !*quiet {
		fmt.Fprintf(os.Stderr, "floor: %d files (%d KB), %d documents, %d not parsed, %d workers, %.3f s in-process\n",
			len(files), bytesRead.Load()>>10, docs.Load(), failed.Load(), runtime.GOMAXPROCS(0), time.Since(start).Seconds())
	}
}

// parse reads one file and decodes all its documents, as composure's
// loader does before anything else.
func parse(path string) (docs int, size int64, err error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, int64(len(content)), nil
		}
		if err != nil {
			return docs, int64(len(content)), err
		}
		docs++
	}
}

func readList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}
