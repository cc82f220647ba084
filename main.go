// Command composure lints and fixes Docker Compose files for state and
// secrets.
package main

import (
	"os"

	"github.com/composure-dev/composure/cmd"
)

func main() {
	os.Exit(cmd.Execute(cmd.System(), os.Args[1:]))
}
