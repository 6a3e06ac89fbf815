// A three-stage pipeline (Go blog, "Pipelines and cancellation"):
// generate 1..n, square in two parallel workers, merge, sum.  The sum
// does not depend on the interleaving; the stage counts are printed too.
package main

import (
	"fmt"
	"sync"
)

func gen(n int) <-chan int {
	out := make(chan int, 8)
	go func() {
		for i := 1; i <= n; i++ {
			out <- i
		}
		close(out)
	}()
	return out
}

func sq(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for v := range in {
			out <- v * v
		}
		close(out)
	}()
	return out
}

func merge(cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int, 4)
	wg.Add(len(cs))
	for _, c := range cs {
		go func(c <-chan int) {
			for v := range c {
				out <- v
			}
			wg.Done()
		}(c)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func main() {
	for _, n := range []int{10, 100, 1000, 20000} {
		in := gen(n)
		sum, count := 0, 0
		for v := range merge(sq(in), sq(in)) {
			sum += v
			count++
		}
		fmt.Printf("n=%d count=%d sum=%d\n", n, count, sum)
	}
}
