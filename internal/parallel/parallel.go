// Package parallel runs independent pieces of work on all cores.
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// Each calls do(i) for every i below n on up to GOMAXPROCS goroutines,
// and returns when every call has. do must write only to what belongs to
// its own i (an index of a slice the caller fills): the results come in
// the order of i whatever order the calls finish in. Once ctx is done,
// no further i is started.
func Each(ctx context.Context, n int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}
