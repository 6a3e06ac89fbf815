// Prints the bucket-count exponent B (2^B buckets) of Go 1.19 maps:
//
//	a) map[int64]int64 from make() with keys 0..199999 inserted in order:
//	   one line each time B changes ("insert n=N B=B": after the N-th insert);
//	b) the same with string keys fmt.Sprint(i), i < 20000;
//	c) B right after make(map[int64]int64, hint) for a list of hints;
//	d) B and len after inserting 0..N-1 for a few N.
//
// B is read through unsafe from a mirror of Go 1.19's runtime.hmap header.
// A map made without a hint has no buckets yet and reports B=0.
//
// Why: this is the oracle the C runtime's map growth is tested against;
// its B must follow the same load factor (6.5) and hint rules.
//
// Regenerate (from the repo root):
//
//	go run tests/oracle/mapgrow.go > tests/oracle/mapgrow.out
package main

import (
	"fmt"
	"unsafe"
)

// Mirror of runtime.hmap in Go 1.19 (src/runtime/map.go).
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}

func bInt(m map[int64]int64) uint8 {
	return (*hmap)(*(*unsafe.Pointer)(unsafe.Pointer(&m))).B
}

func bStr(m map[string]int64) uint8 {
	return (*hmap)(*(*unsafe.Pointer)(unsafe.Pointer(&m))).B
}

func main() {
	fmt.Println("# int64 keys")
	mi := make(map[int64]int64)
	last := bInt(mi)
	fmt.Printf("insert n=0 B=%d\n", last)
	for i := int64(0); i < 200000; i++ {
		mi[i] = i
		if b := bInt(mi); b != last {
			fmt.Printf("insert n=%d B=%d\n", i+1, b)
			last = b
		}
	}

	fmt.Println("# string keys")
	ms := make(map[string]int64)
	last = bStr(ms)
	fmt.Printf("insert n=0 B=%d\n", last)
	for i := 0; i < 20000; i++ {
		ms[fmt.Sprint(i)] = int64(i)
		if b := bStr(ms); b != last {
			fmt.Printf("insert n=%d B=%d\n", i+1, b)
			last = b
		}
	}

	fmt.Println("# hints")
	for _, h := range []int{0, 1, 7, 8, 9, 12, 13, 14, 26, 27, 52, 53, 100, 104, 105, 1000, 6656, 6657, 100000, 1000000} {
		m := make(map[int64]int64, h)
		fmt.Printf("hint %d B=%d\n", h, bInt(m))
	}

	fmt.Println("# after inserts")
	for _, n := range []int64{8, 9, 13, 14, 26, 27, 53, 100000} {
		m := make(map[int64]int64)
		for i := int64(0); i < n; i++ {
			m[i] = i
		}
		fmt.Printf("after %d B=%d count=%d\n", n, bInt(m), len(m))
	}
}
