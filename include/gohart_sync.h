/*
 * gohart_sync.h - Go's sync package: Mutex, RWMutex, WaitGroup, Once,
 * Cond, and a reentrant mutex (sync/mutex.c and its neighbours;
 * docs/sync.md).
 *
 * As in Go, the zero value of each is ready to use and none may be
 * copied once used:
 *
 *     static struct sync_mutex mu;          // var mu sync.Mutex
 *     mutex_lock(&mu); ...; mutex_unlock(&mu);
 *
 * They block goroutines, not harts: a goroutine waiting for a lock parks,
 * and its hart runs other goroutines.  Misuse is fatal with Go's message
 * ("fatal error: sync: unlock of unlocked mutex", exit status 2).
 * Included by gohart.h.  None is ISR-safe.
 */
#ifndef GOHART_SYNC_H
#define GOHART_SYNC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Mutex (sync.Mutex).  state: bit 0 locked, bit 1 woken (an unlocker has
 * woken a waiter that has not yet run), bit 2 starving (the lock is
 * handed from owner to waiter, no barging), bits 3+ the number of waiters.
 * sema: the runtime semaphore the waiters sleep on.
 *
 * mutex_lock may block: yes.  mutex_trylock: no (false if held).
 * mutex_unlock: no; unlocking an unlocked mutex is fatal.  A mutex is not
 * tied to a goroutine: one may lock it and another unlock it, as in Go.
 */
struct sync_mutex {
	int32_t state;
	uint32_t sema;
};
void mutex_lock_slow(struct sync_mutex *m);
void mutex_unlock_slow(struct sync_mutex *m, int32_t state);
bool mutex_trylock(struct sync_mutex *m);

/*
 * The fast paths, inline (Go inlines them too): one CAS, one add.  A lock
 * needs acquire order on taking and release order on leaving, nothing
 * stronger: on RISC-V that is lr.w.aq/sc.w and amoadd.w.rl, no fences.
 */
static inline void mutex_lock(struct sync_mutex *m)
{
	int32_t unlocked = 0;
	if (!__atomic_compare_exchange_n(&m->state, &unlocked, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		mutex_lock_slow(m);
}

static inline void mutex_unlock(struct sync_mutex *m)
{
	int32_t state = __atomic_add_fetch(&m->state, -1, __ATOMIC_RELEASE);
	if (state != 0)
		mutex_unlock_slow(m, state);   /* waiters, or not locked */
}

/*
 * RWMutex (sync.RWMutex): any number of readers or one writer.  A writer
 * waiting blocks new readers, so a stream of readers cannot starve it.
 * Recursive read locking is not allowed (as in Go: a waiting writer makes
 * the inner RLock block).
 */
struct sync_rwmutex {
	struct sync_mutex w;            /* held by a writer, pending or not */
	uint32_t writersem;             /* the writer waits for readers here */
	uint32_t readersem;             /* readers wait for the writer here */
	int32_t readercount;            /* readers holding it; -2^30 if a writer waits */
	int32_t readerwait;             /* readers the writer still waits for */
};
void rwmutex_rlock_slow(struct sync_rwmutex *rw);
void rwmutex_runlock_slow(struct sync_rwmutex *rw, int32_t r);
bool rwmutex_tryrlock(struct sync_rwmutex *rw);

static inline void rwmutex_rlock(struct sync_rwmutex *rw)
{
	if (__atomic_add_fetch(&rw->readercount, 1, __ATOMIC_ACQUIRE) < 0)
		rwmutex_rlock_slow(rw);         /* a writer holds or waits */
}

static inline void rwmutex_runlock(struct sync_rwmutex *rw)
{
	int32_t r = __atomic_add_fetch(&rw->readercount, -1, __ATOMIC_RELEASE);
	if (r < 0)
		rwmutex_runlock_slow(rw, r);
}
void rwmutex_lock(struct sync_rwmutex *rw);
bool rwmutex_trylock(struct sync_rwmutex *rw);
void rwmutex_unlock(struct sync_rwmutex *rw);

/*
 * WaitGroup (sync.WaitGroup): waitgroup_add(n) before starting work,
 * waitgroup_done when each piece ends, waitgroup_wait blocks until the
 * count is zero.  A negative count panics "sync: negative WaitGroup
 * counter"; Add racing with Wait, and reuse before Wait has returned,
 * panic as in Go.
 */
struct sync_waitgroup {
	uint64_t state;                 /* high 32 bits: count; low: waiters */
	uint32_t sema;
};
void waitgroup_add_slow(struct sync_waitgroup *wg, int delta, uint64_t state);
void waitgroup_wait(struct sync_waitgroup *wg);

static inline void waitgroup_add(struct sync_waitgroup *wg, int delta)
{
	uint64_t state = __atomic_add_fetch(&wg->state, (uint64_t)(int64_t)delta << 32,
					    __ATOMIC_SEQ_CST);
	/* Nobody waiting and not negative: nothing more to do. */
	if ((int32_t)(state >> 32) < 0 || (uint32_t)state != 0)
		waitgroup_add_slow(wg, delta, state);
}

static inline void waitgroup_done(struct sync_waitgroup *wg)
{
	waitgroup_add(wg, -1);
}

/*
 * Once (sync.Once): once_do(&o, fn, arg) calls fn(arg) exactly once,
 * however many goroutines call it at the same time; every caller
 * returns only after that call has finished.
 */
struct sync_once {
	uint32_t done;
	struct sync_mutex m;
};
void once_do(struct sync_once *o, void (*fn)(void *), void *arg);

/*
 * Cond (sync.Cond) with a mutex as its Locker.  cond_wait unlocks the
 * mutex, sleeps until signalled, and locks it again; as in Go, call it in
 * a loop that re-checks the condition.  Set the mutex with cond_init (or
 * `struct sync_cond c = { .l = &mu }`).
 */
struct sudog;
struct sync_notifylist {
	uint32_t wait;                  /* next ticket to hand out */
	uint32_t notify;                /* next ticket to wake */
	struct sudog *head, *tail;
};
struct sync_cond {
	struct sync_mutex *l;
	struct sync_notifylist notify;
};
void cond_init(struct sync_cond *c, struct sync_mutex *l);
void cond_wait(struct sync_cond *c);
void cond_signal(struct sync_cond *c);
void cond_broadcast(struct sync_cond *c);

/*
 * A reentrant mutex: the goroutine holding it may lock it again, and
 * must unlock it as many times.  Unlocking by any other goroutine is
 * fatal: "sync: unlock of reentrant mutex by goroutine N, held by M".
 * (Go has none on purpose; C code ported to goroutines often wants one.)
 */
struct sync_rmutex {
	struct sync_mutex m;
	int64_t owner;                  /* goroutine id, 0 when free */
	uint32_t depth;
};
void rmutex_lock(struct sync_rmutex *r);
void rmutex_unlock(struct sync_rmutex *r);

#endif
