//go:build ignore

// Command prof runs one composure command line in-process under the CPU
// profiler (and optionally writes a heap profile at the end), so a whole
// CLI run, discovery and reporting included, can be read with pprof:
//
//	go run ./bench/prof/main.go -cpuprofile cpu.out -- lint --format json ../shared/corpus/dev
//	go tool pprof -top -cum cpu.out
//
// The command's output is discarded; its exit code and wall time are
// printed on stderr.
//
// (Built only by name, never by ./...: `go install ./...`, which pre-commit's
// golang hook runs, builds composure alone.)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/composure-dev/composure/cmd"
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write an allocation profile here (at exit)")
	rate := flag.Int("memprofilerate", 0, "runtime.MemProfileRate (0: the default)")
	n := flag.Int("n", 1, "run the command line this many times (a longer, steadier profile)")
	flag.Parse()
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
	}
	streams := &cmd.IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: os.Getenv}
	start := time.Now()
	code := 0
	for range *n {
		code = cmd.Execute(streams, flag.Args())
	}
	elapsed := time.Since(start)
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	if *mem != "" {
		f, err := os.Create(*mem)
		if err != nil {
			fail(err)
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fail(err)
		}
		f.Close()
	}
	fmt.Fprintf(os.Stderr, "composure %s: exit %d, %.3f s\n", strings.Join(flag.Args(), " "), code, elapsed.Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "prof:", err)
	os.Exit(3)
}
