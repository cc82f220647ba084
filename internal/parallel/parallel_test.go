package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

// TestEach: every index is done once, each into its own slot; none is
// started once the context is done.
func TestEach(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		got := make([]int, n)
		Each(context.Background(), n, func(i int) { got[i] += i + 1 })
		for i, v := range got {
			if v != i+1 {
				t.Fatalf("n=%d: slot %d = %d, want %d", n, i, v, i+1)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	Each(ctx, 100, func(int) { calls.Add(1) })
	if calls.Load() != 0 {
		t.Errorf("%d calls after the context was done", calls.Load())
	}
}
