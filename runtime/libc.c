/*
 * libc.c - what newlib needs from the system underneath it.
 *
 * newlib (the C library) is built without any OS layer
 * (--disable-newlib-supplied-syscalls); these functions are that layer:
 *
 *   _write(1 or 2)   the console, through print_write (whole lines)
 *   _read(0)         the console's receive buffer; waits for a byte
 *   _sbrk            grows the C heap inside one region taken from the
 *                    runtime's heap at boot (CONFIG_C_HEAP_SIZE, manual
 *                    pages: never scanned or freed by the GC)
 *   _exit            powers off with the status
 *   _fstat/_isatty   fds 0-2 are a character device (so stdout is
 *                    line-buffered); everything else is EBADF
 *   _gettimeofday    time since boot (there is no wall clock yet)
 *   the rest         fail with ENOSYS, as a system without files would
 *
 * Per-cpu reentrancy: newlib was built with __DYNAMIC_REENT__, so errno,
 * stdio streams and strtok state live in the struct _reent that
 * __getreent() returns: one per cpu.  Each cpu's stdout is line-buffered
 * and hands whole lines to print_write, so lines never mix.
 *
 * Locks: newlib's retargetable locks (malloc, stdio, atexit, env, ...)
 * are recursive spinlocks owned by a cpu.  They leave interrupts alone:
 * a thread blocked in read() holds the stdin lock while it waits for the
 * receive interrupt.  So interrupt handlers must never call newlib (they
 * could interrupt the lock's owner on its own cpu).  While a goroutine
 * holds one (even across a return to its own code, as between flockfile
 * and funlockfile) preemption is off (acquirem): no other goroutine can
 * run on that cpu and walk into the lock as its "owner".  A goroutine
 * must not block while holding one (it would release it on another cpu:
 * fatal in debug builds).
 *
 * The C heap (malloc/free, manual) is separate from the garbage-collected
 * heap the runtime will manage, as cgo's C heap is separate from Go's.
 */
#include <errno.h>
#include <stdatomic.h>
#include <reent.h>
#include <string.h>
#include <sys/lock.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>

#include "hal/hal.h"
#include "mm/mheap.h"
#include "panic.h"
#include "proc.h"
#include "print.h"

/* ---- The C heap ---- */

static char *heap_lo, *heap_brk, *heap_hi;

void libc_init(void)
{
	heap_lo = mheap_alloc_manual(CONFIG_C_HEAP_SIZE / PAGE_SIZE);
	heap_brk = heap_lo;
	heap_hi = heap_lo + CONFIG_C_HEAP_SIZE;
}

void *_sbrk(ptrdiff_t incr)
{
	/* Called only under newlib's malloc lock. */
	if (incr > heap_hi - heap_brk || incr < heap_lo - heap_brk) {
		errno = ENOMEM;
		return (void *)-1;
	}
	char *old = heap_brk;
	heap_brk += incr;
	return old;
}

/* ---- Files: only the console ---- */

int _write(int fd, const char *buf, int n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	print_write(buf, (size_t)n);
	return n;
}

int _read(int fd, char *buf, int n)
{
	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	int got = 0;
	while (got == 0 && n > 0) {
		int c;
		while (got < n && (c = hal_console_getc()) >= 0) {
			buf[got++] = (char)c;
			if (c == '\n' || c == '\r')
				return got;
		}
		if (got == 0) {
			uintptr_t s = hal_irq_save();
			hal_wait_for_interrupt();
			hal_irq_restore(s);
		}
	}
	return got;
}

int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

int _close(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 0;
	errno = EBADF;
	return -1;
}

int _lseek(int fd, int off, int whence)
{
	(void)off;
	(void)whence;
	errno = fd >= 0 && fd <= 2 ? ESPIPE : EBADF;
	return -1;
}

int _open(const char *path, int flags, int mode)
{
	(void)path;
	(void)flags;
	(void)mode;
	errno = ENOSYS;
	return -1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t ns = hal_nanotime();
	tv->tv_sec = (time_t)(ns / 1000000000);
	tv->tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
	return 0;
}

clock_t _times(struct tms *t)
{
	memset(t, 0, sizeof *t);
	errno = ENOSYS;
	return (clock_t)-1;
}

int _getpid(void) { return 1; }

int _kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = ENOSYS;
	return -1;
}

int _link(const char *a, const char *b)
{
	(void)a;
	(void)b;
	errno = ENOSYS;
	return -1;
}

int _unlink(const char *a)
{
	(void)a;
	errno = ENOSYS;
	return -1;
}

_Noreturn void _exit(int status)
{
	runtime_exit(status);
}

/* ---- Per-cpu reentrancy ---- */

static struct _reent reents[CONFIG_MAXCPU];
static bool reent_ready[CONFIG_MAXCPU];

struct _reent *__getreent(void)
{
	int c = hal_cpu_id();
	if (!reent_ready[c]) {
		_REENT_INIT_PTR(&reents[c]);
		reent_ready[c] = true;
	}
	return &reents[c];
}

/* ---- Locks ---- */

struct __lock {
	atomic_int owner;       /* cpu, -1 when free */
	int depth;              /* owner only */
	bool used;              /* in the dynamic pool */
};

#define FREE_LOCK { -1, 0, true }
struct __lock __lock___sinit_recursive_mutex = FREE_LOCK;
struct __lock __lock___sfp_recursive_mutex = FREE_LOCK;
struct __lock __lock___atexit_recursive_mutex = FREE_LOCK;
struct __lock __lock___at_quick_exit_mutex = FREE_LOCK;
struct __lock __lock___malloc_recursive_mutex = FREE_LOCK;
struct __lock __lock___env_recursive_mutex = FREE_LOCK;
struct __lock __lock___tz_mutex = FREE_LOCK;
struct __lock __lock___dd_hash_mutex = FREE_LOCK;
struct __lock __lock___arc4random_mutex = FREE_LOCK;

/* Locks newlib creates at run time (one per FILE): a fixed pool. */
#define NPOOL 64
static struct __lock pool[NPOOL];
static atomic_flag pool_busy = ATOMIC_FLAG_INIT;

void __retarget_lock_init(_LOCK_T *lock)
{
	while (atomic_flag_test_and_set_explicit(&pool_busy, memory_order_acquire))
		hal_cpu_relax();
	for (int i = 0; i < NPOOL; i++)
		if (!pool[i].used) {
			pool[i].used = true;
			atomic_store(&pool[i].owner, -1);
			pool[i].depth = 0;
			*lock = &pool[i];
			atomic_flag_clear_explicit(&pool_busy, memory_order_release);
			return;
		}
	atomic_flag_clear_explicit(&pool_busy, memory_order_release);
	throw("runtime: out of newlib locks (more than 64 open FILEs?)");
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (lock >= pool && lock < pool + NPOOL)
		lock->used = false;
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	int me = hal_cpu_id(), free = -1;
	if (atomic_load_explicit(&lock->owner, memory_order_relaxed) == me) {
		lock->depth++;
		return 1;
	}
	if (!atomic_compare_exchange_strong_explicit(&lock->owner, &free, me,
						     memory_order_acquire,
						     memory_order_relaxed))
		return 0;
	lock->depth = 1;
	acquirem();             /* held: this goroutine stays on this cpu */
	return 1;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	while (!__retarget_lock_try_acquire_recursive(lock))
		hal_cpu_relax();
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	ASSERT(atomic_load_explicit(&lock->owner, memory_order_relaxed) == hal_cpu_id(),
	       "libc: newlib lock released by a cpu that does not hold it");
	if (--lock->depth == 0) {
		atomic_store_explicit(&lock->owner, -1, memory_order_release);
		releasem(getm());
	}
}

void __retarget_lock_acquire(_LOCK_T lock) { __retarget_lock_acquire_recursive(lock); }
int __retarget_lock_try_acquire(_LOCK_T lock) { return __retarget_lock_try_acquire_recursive(lock); }
void __retarget_lock_release(_LOCK_T lock) { __retarget_lock_release_recursive(lock); }
