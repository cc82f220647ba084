//go:build race

package cmd

// raceEnabled: the race detector makes runs 3 to 10 times slower, so the
// corpus soak samples.
const raceEnabled = true
