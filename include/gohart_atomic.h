/*
 * gohart_atomic.h - Go's sync/atomic typed values, over C11 <stdatomic.h>.
 *
 * Go 1.19's atomic.Int32, Uint32, Int64, Uint64 and Pointer, as small
 * structs with one atomic field, so a plain load or store of the value
 * cannot happen by mistake (the field is reached only through these
 * functions):
 *
 *     static struct atomic_int64 hits;        // zero value: 0, ready to use
 *     atomic_int64_add(&hits, 1);             // hits.Add(1)
 *     int64_t n = atomic_int64_load(&hits);   // hits.Load()
 *
 * For each type T (int32, uint32, int64, uint64), with V its C type:
 *
 *     V    atomic_T_load(struct atomic_T *a)             a.Load()
 *     void atomic_T_store(struct atomic_T *a, V v)       a.Store(v)
 *     V    atomic_T_add(struct atomic_T *a, V delta)     a.Add(delta): the NEW value
 *     V    atomic_T_swap(struct atomic_T *a, V v)        a.Swap(v): the OLD value
 *     bool atomic_T_cas(struct atomic_T *a, V old, V new) a.CompareAndSwap(old, new)
 *
 * and for struct atomic_ptr (a void *) the same without add.  Subtract
 * from an unsigned value by adding the two's complement, as Go does:
 * atomic_uint32_add(&u, (uint32_t)-1).  Add wraps around on overflow,
 * signed or not (Go's too; no undefined behaviour here).
 *
 * Memory order: every operation is sequentially consistent, as all of
 * Go's atomics are (the Go memory model: all atomic operations appear in
 * one total order, and an atomic store is seen by a load that reads it
 * together with everything written before the store).  There are no
 * weaker variants on purpose.
 *
 * All of them: may block: no (lock-free: one instruction or one short
 * load-reserved / store-conditional loop; checked below).  ISR-safe: yes.
 * 64-bit values need no special alignment care here (both supported cpus
 * are 64-bit; Go's 32-bit caveat does not arise).
 *
 * What they compile to with the project's GCC 12 (tests/atomic_test.c
 * keeps out-of-line copies to disassemble):
 *
 *          rv64gc                                ARMv8.0, -mno-outline-atomics
 *   add    fence iorw,ow; amoadd.w.aq (.d)       ldaxr; add; stlxr; cbnz
 *   swap   fence iorw,ow; amoswap.w.aq           ldaxr; stlxr; cbnz
 *   cas    fence iorw,ow; lr.w.aq; bne;          ldaxr; cmp; b.ne; stlxr; cbnz
 *          sc.w.aq; bnez
 *   load   fence; lw; fence                      ldar
 *   store  fence iorw,ow; amoswap.w.aq zero      stlr
 *
 * On RISC-V that is a leading fence plus an acquire AMO: a full barrier,
 * stronger than the ISA manual's recommended mapping (amoadd.w.aqrl,
 * lr.w.aqrl / sc.w.rl, fence rw,rw; lw; fence r,rw), which newer
 * compilers emit.  Either is sequentially consistent.
 *
 * Go: sync/atomic/type.go (Int32, Uint32, Int64, Uint64, Pointer),
 * doc.go; the Go memory model (go.dev/ref/mem), "Atomic Values".
 */
#ifndef GOHART_ATOMIC_H
#define GOHART_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2 && ATOMIC_LLONG_LOCK_FREE == 2 &&
	       ATOMIC_POINTER_LOCK_FREE == 2,
	       "gohart_atomic.h: 32-bit, 64-bit and pointer atomics must be lock-free");

struct atomic_int32 { _Atomic int32_t v; };
struct atomic_uint32 { _Atomic uint32_t v; };
struct atomic_int64 { _Atomic int64_t v; };
struct atomic_uint64 { _Atomic uint64_t v; };
struct atomic_ptr { void *_Atomic v; };

/* ---- int32 (atomic.Int32) ---- */

static inline int32_t atomic_int32_load(struct atomic_int32 *a)
{
	return atomic_load_explicit(&a->v, memory_order_seq_cst);
}

static inline void atomic_int32_store(struct atomic_int32 *a, int32_t v)
{
	atomic_store_explicit(&a->v, v, memory_order_seq_cst);
}

/* The new value; wraps around (computed unsigned, so defined in C too). */
static inline int32_t atomic_int32_add(struct atomic_int32 *a, int32_t delta)
{
	int32_t old = atomic_fetch_add_explicit(&a->v, delta, memory_order_seq_cst);
	return (int32_t)((uint32_t)old + (uint32_t)delta);
}

/* The old value. */
static inline int32_t atomic_int32_swap(struct atomic_int32 *a, int32_t v)
{
	return atomic_exchange_explicit(&a->v, v, memory_order_seq_cst);
}

/* True if *a was old and is now new_. */
static inline bool atomic_int32_cas(struct atomic_int32 *a, int32_t old, int32_t new_)
{
	return atomic_compare_exchange_strong_explicit(&a->v, &old, new_, memory_order_seq_cst,
						       memory_order_seq_cst);
}

/* ---- uint32 (atomic.Uint32) ---- */

static inline uint32_t atomic_uint32_load(struct atomic_uint32 *a)
{
	return atomic_load_explicit(&a->v, memory_order_seq_cst);
}

static inline void atomic_uint32_store(struct atomic_uint32 *a, uint32_t v)
{
	atomic_store_explicit(&a->v, v, memory_order_seq_cst);
}

/* The new value; wraps around. */
static inline uint32_t atomic_uint32_add(struct atomic_uint32 *a, uint32_t delta)
{
	return atomic_fetch_add_explicit(&a->v, delta, memory_order_seq_cst) + delta;
}

/* The old value. */
static inline uint32_t atomic_uint32_swap(struct atomic_uint32 *a, uint32_t v)
{
	return atomic_exchange_explicit(&a->v, v, memory_order_seq_cst);
}

/* True if *a was old and is now new_. */
static inline bool atomic_uint32_cas(struct atomic_uint32 *a, uint32_t old, uint32_t new_)
{
	return atomic_compare_exchange_strong_explicit(&a->v, &old, new_, memory_order_seq_cst,
						       memory_order_seq_cst);
}

/* ---- int64 (atomic.Int64) ---- */

static inline int64_t atomic_int64_load(struct atomic_int64 *a)
{
	return atomic_load_explicit(&a->v, memory_order_seq_cst);
}

static inline void atomic_int64_store(struct atomic_int64 *a, int64_t v)
{
	atomic_store_explicit(&a->v, v, memory_order_seq_cst);
}

/* The new value; wraps around (computed unsigned, so defined in C too). */
static inline int64_t atomic_int64_add(struct atomic_int64 *a, int64_t delta)
{
	int64_t old = atomic_fetch_add_explicit(&a->v, delta, memory_order_seq_cst);
	return (int64_t)((uint64_t)old + (uint64_t)delta);
}

/* The old value. */
static inline int64_t atomic_int64_swap(struct atomic_int64 *a, int64_t v)
{
	return atomic_exchange_explicit(&a->v, v, memory_order_seq_cst);
}

/* True if *a was old and is now new_. */
static inline bool atomic_int64_cas(struct atomic_int64 *a, int64_t old, int64_t new_)
{
	return atomic_compare_exchange_strong_explicit(&a->v, &old, new_, memory_order_seq_cst,
						       memory_order_seq_cst);
}

/* ---- uint64 (atomic.Uint64) ---- */

static inline uint64_t atomic_uint64_load(struct atomic_uint64 *a)
{
	return atomic_load_explicit(&a->v, memory_order_seq_cst);
}

static inline void atomic_uint64_store(struct atomic_uint64 *a, uint64_t v)
{
	atomic_store_explicit(&a->v, v, memory_order_seq_cst);
}

/* The new value; wraps around. */
static inline uint64_t atomic_uint64_add(struct atomic_uint64 *a, uint64_t delta)
{
	return atomic_fetch_add_explicit(&a->v, delta, memory_order_seq_cst) + delta;
}

/* The old value. */
static inline uint64_t atomic_uint64_swap(struct atomic_uint64 *a, uint64_t v)
{
	return atomic_exchange_explicit(&a->v, v, memory_order_seq_cst);
}

/* True if *a was old and is now new_. */
static inline bool atomic_uint64_cas(struct atomic_uint64 *a, uint64_t old, uint64_t new_)
{
	return atomic_compare_exchange_strong_explicit(&a->v, &old, new_, memory_order_seq_cst,
						       memory_order_seq_cst);
}

/* ---- Pointers (atomic.Pointer[T], untyped: void *) ---- */

static inline void *atomic_ptr_load(struct atomic_ptr *a)
{
	return atomic_load_explicit(&a->v, memory_order_seq_cst);
}

static inline void atomic_ptr_store(struct atomic_ptr *a, void *p)
{
	atomic_store_explicit(&a->v, p, memory_order_seq_cst);
}

/* The old pointer. */
static inline void *atomic_ptr_swap(struct atomic_ptr *a, void *p)
{
	return atomic_exchange_explicit(&a->v, p, memory_order_seq_cst);
}

/* True if *a was old and is now new_. */
static inline bool atomic_ptr_cas(struct atomic_ptr *a, void *old, void *new_)
{
	return atomic_compare_exchange_strong_explicit(&a->v, &old, new_, memory_order_seq_cst,
						       memory_order_seq_cst);
}

#endif
