/*
 * gohart.h - the public API of the gohart runtime.
 *
 * A gohart program is a C program with `int main(void)`.  The runtime
 * boots the machine, starts every cpu, and calls main on cpu 0; main's
 * return value becomes the machine's exit status.  printf, malloc and the
 * rest of the C library (newlib) work on every cpu.
 *
 * This header grows with each subsystem (goroutines, channels, maps, ...).
 */
#ifndef GOHART_H
#define GOHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds since boot.  May block: no.  ISR-safe: yes. */
uint64_t gohart_nanotime(void);

/* Number of cpus running, and the calling cpu's index (0 = boot cpu). */
int gohart_ncpu(void);
int gohart_cpu(void);

/*
 * gohart_on_each_cpu: run fn(arg) on every cpu at once (this one too) and
 * return when all have finished.  The low-level way to put code on a cpu,
 * below goroutines: another cpu runs fn in its scheduler loop, so only
 * once it has no goroutine to run (a cpu kept busy by goroutines makes
 * the caller wait).  fn runs with interrupts enabled, outside any
 * goroutine, and must not call gohart_on_each_cpu itself or block.  The
 * caller's hart waits asleep, not running other goroutines.  May block:
 * yes (waits).  ISR-safe: no.
 */
void gohart_on_each_cpu(void (*fn)(void *), void *arg);

/* gohart_exit: stop the machine now with `status` as the exit code. */
_Noreturn void gohart_exit(int status);

/* The kernel command line's value for key, or NULL (see docs/boot.md). */
const char *gohart_bootarg(const char *key);

/* ---- Garbage-collected memory (mm/malloc.c, docs/memory.md) ----
 *
 * Memory from these calls is zeroed and is never freed by hand: the
 * garbage collector frees what is no longer reachable (there is no
 * gc_free).  Memory from malloc() is the C heap instead: newlib's, freed
 * with free(), never collected, and never scanned for pointers into the
 * GC heap - do not keep the only pointer to a GC object there.
 *
 * All of them: may block: no (they never wait; running out of memory is
 * a fatal error, "fatal error: runtime: out of memory", exit status 2:
 * they never return NULL).  ISR-safe: no.
 */

/* size bytes that may hold pointers (scanned conservatively). */
void *gc_alloc(size_t size);
/* size bytes that never hold pointers: strings, numbers.  Never scanned. */
void *gc_alloc_noscan(size_t size);
/*
 * size bytes whose pointer words are known: bit i of ptrmask (ptrmask[i /
 * 64] >> i % 64) says whether word i (bytes 8i..8i+7) holds a pointer.
 * The collector will scan exactly those words.
 */
void *gc_alloc_typed(size_t size, const uint64_t *ptrmask);
/* Is p inside an object of the garbage-collected heap? */
bool gc_is_heap_pointer(const void *p);
/* Whether p points into a GC object that holds no pointers (noscan). */
bool gc_is_noscan(const void *p);

/* new(T) as in Go: a zeroed T on the GC heap. */
#define gc_new(T) ((T *)gc_alloc(sizeof(T)))
#define gc_new_noscan(T) ((T *)gc_alloc_noscan(sizeof(T)))

/* Memory statistics, Go's runtime.MemStats subset. */
struct gohart_mem_stats {
	uint64_t heap_alloc;    /* bytes of allocated heap objects */
	uint64_t heap_sys;      /* bytes of RAM the heap manages */
	uint64_t heap_idle;     /* bytes in free pages */
	uint64_t heap_inuse;    /* bytes in spans of objects */
	uint64_t manual;        /* bytes taken by hand: C heap, metadata */
	uint64_t mallocs;       /* objects allocated */
	uint64_t frees;         /* objects freed */
	uint64_t large_allocs;  /* objects over 32 KiB */
	struct {
		uint32_t size;
		uint64_t mallocs;
	} by_size[68];          /* per size class (index 0 unused) */
};
void gohart_mem_stats(struct gohart_mem_stats *m);

/* ---- Goroutines (runtime/proc.c, docs/scheduler.md) ----
 *
 * main() runs as goroutine 1, the main goroutine.  When it returns the
 * program ends with its return value as the exit status, whatever the
 * other goroutines are doing (Go's semantics).  Goroutines run on every
 * hart; the scheduler moves them between harts as it pleases, unless
 * pinned (gohart_lock_hart).
 */

/*
 * go(fn, arg): start fn(arg) in a new goroutine (Go's `go fn(arg)`).
 * When fn returns, the goroutine ends.  May block: no.  ISR-safe: no.
 */
void go(void (*fn)(void *), void *arg);

/* Let other goroutines run; this one runs again soon (Go's Gosched). */
void gohart_gosched(void);
/* End the calling goroutine now (Go's runtime.Goexit).  From main():
 * ends main's goroutine only, as Go, so the program keeps running. */
_Noreturn void gohart_goexit(void);
/* Block the calling goroutine for at least ns nanoseconds (time.Sleep). */
void gohart_sleep(uint64_t ns);
/* The calling goroutine's id (1 = main), and how many goroutines exist
 * (runtime.NumGoroutine). */
int64_t gohart_goid(void);
int gohart_num_goroutine(void);
/*
 * gohart_gomaxprocs: how many harts run goroutines at once (Go's
 * GOMAXPROCS).  n < 1 only asks.  Returns the previous setting.  Set at
 * boot with the maxprocs=N bootarg; changing it at run time is not
 * supported yet (a value other than the current one is a fatal error).
 */
int gohart_gomaxprocs(int n);
/*
 * gohart_lock_hart / gohart_unlock_hart: pin the calling goroutine to
 * the hart it is running on (Go's LockOSThread): it runs only there from
 * now on.  The hart still runs other goroutines while it is blocked.
 */
void gohart_lock_hart(void);
void gohart_unlock_hart(void);
/*
 * gohart_entersyscall / gohart_exitsyscall: bracket a stretch where the
 * goroutine busy-waits on hardware (Go's entersyscall/exitsyscall): it
 * is not preempted there and does not count as a deadlock.
 */
void gohart_entersyscall(void);
void gohart_exitsyscall(void);

/*
 * gohart_dump_goroutines: print every goroutine, the caller's first
 * (with its trace from here), in the format fatal errors use:
 * "goroutine 7 [sleep]:", the frames, "created by f in goroutine 1".
 * For debugging; the others keep running meanwhile, so it is a snapshot.
 */
void gohart_dump_goroutines(void);

/* ---- Channels (runtime/chan.c, select.c; docs/channels.md) ----
 *
 * Go's channels: typed pipes between goroutines, with Go's semantics
 * exactly.  A channel carries values of one size, copied in and out;
 * capacity 0 makes it unbuffered (each send waits for a receiver and
 * hands its value straight over).
 *
 *     chan_t c = chan_make(int, 0);
 *     int v = 42;
 *     chan_send(c, &v);              // in one goroutine
 *     int got; chan_recv(c, &got);   // in another
 *
 * A nil channel (NULL) blocks forever.  Misuse panics as Go does:
 * "send on closed channel", "close of closed channel", "close of nil
 * channel" (exit status 2, with the goroutine dump).
 *
 * Channels live on the GC heap: never free one.  May block: chan_send,
 * chan_recv, chan_recv_ok, and chan_select with block = true.  None is
 * ISR-safe except chan_send_from_interrupt.
 */
typedef struct hchan *chan_t;

/*
 * make(chan T, cap).  Panics "makechan: size out of range" for cap < 0.
 * chan_make_type takes T's size and alignment (values of an aligned word
 * size move with one load and one store); chan_make_size, the size alone,
 * for values at any alignment (chan struct{} is chan_make_size(0, cap)).
 */
chan_t chan_make_type(size_t elemsize, size_t elemalign, int64_t cap);
chan_t chan_make_size(size_t elemsize, int64_t cap);
#define chan_make(T, cap) chan_make_type(sizeof(T), _Alignof(T), (cap))

/* c <- *elem: copies elemsize bytes from elem. */
void chan_send(chan_t c, const void *elem);
/* *elem = <-c (elem may be NULL: receive and drop).  On a closed, empty
 * channel: the zero value at once. */
void chan_recv(chan_t c, void *elem);
/* v, ok := <-c: returns ok, false when c is closed and empty. */
bool chan_recv_ok(chan_t c, void *elem);
/* select { case c <- v: ...; default: }: true if it sent. */
bool chan_try_send(chan_t c, const void *elem);
/* select { case v, ok := <-c: ...; default: }: true if it received (a
 * value, or *ok = false for closed and empty); false if it would block. */
bool chan_try_recv(chan_t c, void *elem, bool *ok);
/* close(c): receivers drain what is buffered, then get zero values. */
void chan_close(chan_t c);
/* len(c), cap(c).  len is a snapshot. */
int chan_len(chan_t c);
int chan_cap(chan_t c);

/* Typed conveniences: send a value, receive a value. */
#define chan_send_val(c, T, v) do { T _ch_v = (v); chan_send((c), &_ch_v); } while (0)
#define chan_recv_val(c, T) ({ T _ch_v; chan_recv((c), &_ch_v); _ch_v; })

/*
 * select.  Build an array of cases and call chan_select: it waits until
 * one can proceed, does it, and returns its index.  When several are
 * ready, it picks one uniformly at random.  block = false adds Go's
 * `default:` - it returns -1 when none is ready.  Cases on a nil channel
 * are never chosen; zero cases (or only nil ones) with block = true
 * blocks forever.
 *
 *     int v; bool ok; int out = 7;
 *     struct select_case cs[] = {
 *         SELECT_RECV(in, &v, &ok),      // case v, ok := <-in
 *         SELECT_SEND(out_c, &out),      // case out_c <- out
 *     };
 *     switch (chan_select(cs, 2, true)) {
 *     case 0: ... v, ok ...; break;
 *     case 1: ... sent ...; break;
 *     }
 */
enum { SELECT_SEND = 1, SELECT_RECV = 2 };
struct select_case {
	chan_t c;
	int dir;                /* SELECT_SEND or SELECT_RECV */
	void *elem;             /* send: the value; recv: where it goes, or NULL */
	bool *ok;               /* recv: set to whether a value came; or NULL */
};
#define SELECT_SEND(ch, valp) \
	((struct select_case){ .c = (ch), .dir = SELECT_SEND, .elem = (void *)(valp) })
#define SELECT_RECV(ch, valp, okp) \
	((struct select_case){ .c = (ch), .dir = SELECT_RECV, .elem = (valp), .ok = (okp) })
int chan_select(struct select_case *cases, int n, bool block);

/*
 * Interrupt handlers: chan_send_from_interrupt is a non-blocking send:
 * false if nobody waits and the buffer is full, or if the channel is busy
 * on another cpu at that instant (a handler must never wait for a lock).
 * Treat false as "full": count the drop or retry from the next interrupt.
 * ISR-safe: yes.  Mark
 * such a channel with chan_from_interrupts, so that goroutines blocked
 * receiving from it count as waiting for an interrupt, not deadlocked.
 */
bool chan_send_from_interrupt(chan_t c, const void *elem);
void chan_from_interrupts(chan_t c);

/*
 * Time as channels.  gohart_after(ns): a channel (of int64_t, buffer 1)
 * that receives gohart_nanotime() once, ns from now (time.After).
 * gohart_ticker_new(period): its channel receives the time every period;
 * a slow reader misses ticks instead of queueing them (time.NewTicker).
 * gohart_ticker_stop: no more ticks (one already sent stays buffered).
 */
chan_t gohart_after(uint64_t ns);
struct gohart_ticker;
struct gohart_ticker *gohart_ticker_new(uint64_t period);
chan_t gohart_ticker_chan(struct gohart_ticker *t);
void gohart_ticker_stop(struct gohart_ticker *t);

/* ---- sync: Mutex, RWMutex, WaitGroup, Once, Cond (docs/sync.md) ---- */
#include "gohart_sync.h"

/*
 * gohart_panic: Go's panic(msg) with no recover: prints "panic: msg",
 * the goroutine's trace and every other goroutine's, exit status 2.
 */
_Noreturn void gohart_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#include "gohart_atomic.h"     /* sync/atomic: Int32 ... Pointer (seq-cst) */

/* ---- Slices and maps (docs/slices.md, docs/maps.md) ---- */
#include "gohart_slice.h"
#include "gohart_map.h"

#endif
