//go:build ignore

// Command startup splits a single-file `composure lint` run (what a
// pre-commit hook does) into its one-time costs, measured in a fresh
// process after package initialisation (see GODEBUG=inittrace=1 for that):
//
//	go run ./bench/startup/main.go FILE
//
// It prints the first call of knowledge.Default (indexing the image facts generated from images.yaml),
// compose-go's schema compilation (its first schema.Validate), the command
// tree's construction, then `lint --format json FILE` run twice in-process:
// the first run still pays whatever else is done once, the second is warm.
// With -cold the lint runs first, before anything is warmed up.
//
// (Built only by name, never by ./...: `go install ./...`, which pre-commit's
// golang hook runs, builds composure alone.)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/schema"

	"github.com/composure-dev/composure/cmd"
	"github.com/composure-dev/composure/rules/knowledge"
)

func main() {
	cold := flag.Bool("cold", false, "lint first, with nothing warmed up")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: startup [-cold] FILE")
		os.Exit(2)
	}
	file := flag.Arg(0)
	streams := &cmd.IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	lint := func() time.Duration {
		start := time.Now()
		cmd.Execute(streams, []string{"lint", "--format", "json", file})
		return time.Since(start)
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	if *cold {
		first := lint()
		second := lint()
		fmt.Printf("cold lint, first run:           %s\n", ms(first))
		fmt.Printf("same lint, second run (warm):   %s\n", ms(second))
		fmt.Printf("one-time work in the first run: %s\n", ms(first-second))
		return
	}
	t := time.Now()
	knowledge.Default()
	kd := time.Since(t)
	t = time.Now()
	_ = schema.Validate(map[string]any{})
	sc := time.Since(t)
	t = time.Now()
	cmd.NewRoot(streams)
	nr := time.Since(t)
	first := lint()
	second := lint()
	fmt.Printf("knowledge.Default() first call: %s\n", ms(kd))
	fmt.Printf("compose schema compile:         %s\n", ms(sc))
	fmt.Printf("cmd.NewRoot:                    %s\n", ms(nr))
	fmt.Printf("lint, first run (rest warmed):  %s\n", ms(first))
	fmt.Printf("lint, second run (warm):        %s\n", ms(second))
}
