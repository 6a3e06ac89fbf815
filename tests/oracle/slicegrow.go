// Prints the capacities Go 1.19's growslice chooses as slices grow:
//
//	a) one append at a time to len 100000, element sizes 1..64 bytes;
//	b) bulk appends of k elements at a time to len >= 20000;
//	c) a single append that adds n elements to make([]T, L);
//	d) a zero-size element type.
//
// Each line lists the distinct capacities in the order they appear.
//
// Why: this is the oracle the C runtime's slice growth is tested against;
// its capacities (size-class rounding included) must match these exactly.
//
// Regenerate (from the repo root):
//
//	go run tests/oracle/slicegrow.go > tests/oracle/slicegrow.out
package main

import (
	"fmt"
	"strings"
	"unsafe"
)

type caps struct {
	seen []string
	last int
}

func (c *caps) note(cp int) {
	if cp != c.last || len(c.seen) == 0 {
		c.seen = append(c.seen, fmt.Sprint(cp))
		c.last = cp
	}
}

func (c *caps) String() string { return strings.Join(c.seen, " ") }

func single[T any](limit int) string {
	var s []T
	var zero T
	c := &caps{last: -1}
	for len(s) < limit {
		s = append(s, zero)
		c.note(cap(s))
	}
	return c.String()
}

func bulk[T any](k, limit int) string {
	var s []T
	batch := make([]T, k)
	c := &caps{last: -1}
	for len(s) < limit {
		s = append(s, batch...)
		c.note(cap(s))
	}
	return c.String()
}

func oneshot[T any](l, n int) int {
	s := make([]T, l)
	s = append(s, make([]T, n)...)
	return cap(s)
}

func size[T any]() uintptr {
	var z T
	return unsafe.Sizeof(z)
}

type runner struct {
	size    uintptr
	single  func(int) string
	bulk    func(int, int) string
	oneshot func(int, int) int
}

func mk[T any]() runner {
	return runner{size[T](), single[T], bulk[T], oneshot[T]}
}

func main() {
	all := []runner{
		mk[[1]byte](), mk[[2]byte](), mk[[8]byte](), mk[[16]byte](),
		mk[[24]byte](), mk[[32]byte](), mk[[64]byte](),
	}
	byte1, byte8, byte24 := all[0], all[2], all[4]

	for _, r := range all {
		fmt.Printf("elem %d: %s\n", r.size, r.single(100000))
	}
	for _, r := range []runner{byte1, byte8, byte24} {
		for _, k := range []int{3, 5, 17, 100, 1000} {
			fmt.Printf("bulk elem %d k %d: %s\n", r.size, k, r.bulk(k, 20000))
		}
	}
	cases := [][2]int{{0, 5}, {1, 3}, {4, 9}, {10, 100}, {300, 301}, {300, 1000}, {1000, 5000}, {5, 0}}
	for _, r := range []runner{byte1, byte8, byte24} {
		for _, c := range cases {
			fmt.Printf("oneshot elem %d len %d add %d: cap %d\n", r.size, c[0], c[1], r.oneshot(c[0], c[1]))
		}
	}
	fmt.Printf("elem 0: %s\n", single[struct{}](10))
}
