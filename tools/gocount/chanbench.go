// chanbench.go - the three channel benchmarks' loops in Go, for
// gocount.sh: "pair" (a send and a receive on a buffered channel), "sync"
// (a value handed to and fro over an unbuffered channel) and "select" (a
// two-case select with one ready, plus the send that readies the other).
// Usage: chanbench pair|sync|select|none N
package main

import (
	"os"
	"strconv"
)

var sink int

//go:noinline
func pair(n int) {
	c := make(chan int, 1)
	v := 1
	for i := 0; i < n; i++ {
		c <- v
		v = <-c
	}
	sink = v
}

// n = number of main-loop iterations; each hands over 2 values.
//go:noinline
func chsync(n int) {
	c := make(chan int)
	go func() {
		for {
			v := <-c
			c <- v
		}
	}()
	v := 1
	for i := 0; i < n; i++ {
		c <- v
		v = <-c
	}
	sink = v
}

//go:noinline
func sel(n int) {
	c1, c2 := make(chan int, 1), make(chan int, 1)
	c1 <- 0
	for i := 0; i < n; i++ {
		select {
		case <-c1:
			c2 <- 0
		case <-c2:
			c1 <- 0
		}
	}
}

func main() {
	n, _ := strconv.Atoi(os.Args[2])
	switch os.Args[1] {
	case "pair":
		pair(n)
	case "sync":
		chsync(n)
	case "select":
		sel(n)
	case "none":
	}
}
