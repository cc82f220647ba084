// Package meter adds per-unit metrics to Go benchmarks: the scaling
// benchmarks report time and allocations per service or per file, which
// must stay flat as the input grows.
package meter

import (
	"runtime"
	"testing"
	"time"
)

// Meter is a benchmark's start: wall clock and the heap's allocation count.
type Meter struct {
	start   time.Time
	mallocs uint64
}

// Start reads the clock and the allocation count.
func Start() Meter {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Meter{start: time.Now(), mallocs: ms.Mallocs}
}

// ReportPer stops the timer and adds ns/<unit> and allocs/<unit> metrics
// for n units per op.
func (m Meter) ReportPer(b *testing.B, n int, unit string) {
	b.Helper()
	b.StopTimer()
	elapsed := time.Since(m.start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	per := float64(b.N) * float64(n)
	b.ReportMetric(float64(elapsed.Nanoseconds())/per, "ns/"+unit)
	b.ReportMetric(float64(ms.Mallocs-m.mallocs)/per, "allocs/"+unit)
}
