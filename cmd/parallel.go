package cmd

import (
	"runtime"
	"sync"
)

// parallel calls do(i) for every i below n on GOMAXPROCS goroutines; do
// must write only to its own index of whatever it fills.
func parallel(n int, do func(i int)) {
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
		next <- i
	}
	close(next)
	wg.Wait()
}
