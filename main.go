// Command composure lints and fixes Docker Compose files for state and
// secrets.
package main

import (
	"os"
	"runtime/debug"

	"github.com/composure-dev/composure/cmd"
)

func main() {
	// A lint run allocates a lot of short-lived garbage (compose-go's
	// maps) and ends soon: collect less often, within a memory cap.
	// GOGC and GOMEMLIMIT still win when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
	os.Exit(cmd.Execute(cmd.System(), os.Args[1:]))
}
