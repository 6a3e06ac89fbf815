// Prints, one line per case, the exact text of Go's run-time panics for
// slice/string indexing and slicing, make() with bad sizes, and writes to
// a nil map.  Each line is "<Go expression>: <recovered value>"; every
// panic is recovered, so the program exits 0.  All indices and sizes come
// from variables so the compiler cannot reject them at compile time.
//
// Why: this is the oracle the C runtime's slice/map error messages are
// tested against; its panic text must match these lines byte for byte.
//
// Regenerate (from the repo root):
//
//	go run tests/oracle/panics.go > tests/oracle/panics.out
package main

import "fmt"

// Values read at run time; vals[k] == k for k >= 0 except where named.
var vals = []int{0, 1, 2, 3, 4, 5, 6}
var neg = []int{-1}
var huge = []int{1 << 62}

func try(label string, f func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(error); ok {
			fmt.Println(label + ": " + e.Error())
		} else {
			fmt.Println(label + ": " + fmt.Sprint(r))
		}
	}()
	f()
	fmt.Println(label + ": no panic")
}

var sink interface{}

func main() {
	i0, i1, i2, i3, i4, i5, i6 := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6]
	m1 := neg[0]
	s := make([]int, 3, 5)
	str := "abc"

	try("s[5]", func() { sink = s[i5] })
	try("s[-1]", func() { sink = s[m1] })
	try("s[3]", func() { sink = s[i3] })

	try("s[:6]", func() { sink = s[:i6] })
	try("s[4:2]", func() { sink = s[i4:i2] })
	try("s[-1:]", func() { sink = s[m1:] })
	try("s[:-1]", func() { sink = s[:m1] })

	try("s[1:2:6]", func() { sink = s[i1:i2:i6] })
	try("s[1:4:3]", func() { sink = s[i1:i4:i3] })
	try("s[3:2:4]", func() { sink = s[i3:i2:i4] })
	try("s[0:0:-1]", func() { sink = s[i0:i0:m1] })

	try("make([]int, -1)", func() { sink = make([]int, m1) })
	try("make([]int, 3, 2)", func() { sink = make([]int, i3, i2) })
	try("make([]int, 1<<62)", func() { sink = make([]int, huge[0]) })

	try("m[1] = 2 (nil map)", func() {
		var m map[int]int
		m[i1] = i2
	})

	func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Println("make map hint -1: " + fmt.Sprint(r))
			}
		}()
		m := make(map[int]int, m1)
		sink = m
		fmt.Printf("make map hint -1: ok len %d\n", len(m))
	}()

	try("str[5]", func() { sink = str[i5] })
	try("str[:5]", func() { sink = str[:i5] })
}
