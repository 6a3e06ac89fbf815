// Fan-in whose order is fixed by construction: producers take turns,
// passing a baton around a ring of channels; each sends one value to the
// shared channel while it holds the baton.  A select in the consumer
// also watches a quit channel, which is closed at the end.
package main

import "fmt"

const producers = 5
const rounds = 40

func producer(id int, baton []chan bool, out chan<- string) {
	for r := 0; r < rounds; r++ {
		<-baton[id]
		out <- fmt.Sprintf("p%d r%d", id, r)
		baton[(id+1)%producers] <- true
	}
}

func main() {
	baton := make([]chan bool, producers)
	for i := range baton {
		baton[i] = make(chan bool, 1)
	}
	out := make(chan string)
	quit := make(chan struct{})
	for i := 0; i < producers; i++ {
		go producer(i, baton, out)
	}
	baton[0] <- true
	go func() {
		for i := 0; i < producers*rounds; i++ {
			fmt.Println(<-out)
		}
		close(quit)
	}()
	<-quit
	v, ok := <-quit
	fmt.Println("quit closed:", v, ok)
}
