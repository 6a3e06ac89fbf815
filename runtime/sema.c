/*
 * sema.c - the runtime's semaphores and notify lists: Go's sema.go.
 *
 * A semaphore here is any uint32_t in memory.  semacquire(addr) waits
 * until *addr > 0 and decrements it; semrelease(addr) increments it and
 * wakes a waiter.  sync's Mutex, RWMutex and WaitGroup are built on them:
 * the word says how many may pass, and the runtime keeps the queue of
 * goroutines waiting for each word.
 *
 * Where the waiters live.  Not in the word (it is 32 bits of the user's
 * struct) but in a table of 251 roots, chosen by hashing the address:
 *
 *   semtable[hash(addr) % 251]
 *        |
 *      root: lock, nwait, a tree of addresses  (a treap: a binary search
 *        |                                      tree on the address, kept
 *        v                                      balanced by random
 *      sudog(addr A) --waitlink--> sudog --> sudog   priorities in ticket)
 *       /        \
 *   sudog(B)   sudog(C) --> ...                 one FIFO of waiting
 *                                               goroutines per address
 *
 * Many addresses can hash to one root, so the root keeps them in a tree
 * (log time to find an address) and each tree node heads the FIFO of the
 * goroutines waiting on that address.  nwait lets semrelease skip the
 * lock entirely when nobody waits (the common, uncontended case).
 *
 * Two options, both for sync.Mutex's starvation mode: acquire with lifo
 * puts a waiter at the front of its address's queue (a waiter that was
 * woken but lost the race goes back first, not last), and release with
 * handoff gives the count directly to the first waiter (s->ticket = 1),
 * so no newcomer can take it in between; the releaser then yields so
 * that the waiter runs at once.
 *
 * The race between a releaser and a goroutine about to sleep: the
 * acquirer counts itself in nwait, then tries the word once more, all
 * under the root's lock; the releaser increments the word, then reads
 * nwait.  Both are sequentially consistent atomics, so either the
 * acquirer sees the new count or the releaser sees the waiter.
 *
 * Notify lists (Go's notifyList, for sync.Cond) are at the end.
 *
 * Go: runtime/sema.go (semacquire1, semrelease1, semaRoot.queue,
 * dequeue, rotateLeft, rotateRight, notifyList*).
 */
#include "sema.h"

#include "chan.h"
#include "panic.h"

#define SEMTABSZ 251                    /* Go's semTabSize, a prime */

struct semaroot {
	struct spinlock lock;
	struct sudog *treap;            /* the tree of addresses */
	_Atomic uint32_t nwait;         /* waiters, readable without the lock */
} __attribute__((aligned(64)));         /* one root per cache line */

static struct semaroot semtable[SEMTABSZ] = {
	[0 ... SEMTABSZ - 1] = { .lock = SPINLOCK_INIT_RANK("semaroot", LOCK_RANK_SEMAROOT) },
};

static struct semaroot *semroot(uint32_t *addr)
{
	return &semtable[((uintptr_t)addr >> 3) % SEMTABSZ];
}

/* Take one from *addr if it is positive. */
static bool cansemacquire(uint32_t *addr)
{
	_Atomic uint32_t *a = (_Atomic uint32_t *)addr;
	uint32_t v = atomic_load(a);
	while (v != 0)
		if (atomic_compare_exchange_weak(a, &v, v - 1))
			return true;
	return false;
}

/* ---- The tree (prev: left child, next: right child) ---- */

/* Put y where x was under x's parent (or at the root). */
static void replace_child(struct semaroot *root, struct sudog *parent,
			  struct sudog *x, struct sudog *y)
{
	if (parent == NULL)
		root->treap = y;
	else if (parent->prev == x)
		parent->prev = y;
	else
		parent->next = y;
}

/*
 *      x                 y
 *     / \               / \
 *    a   y      =>     x   c
 *       / \           / \
 *      b   c         a   b
 */
static void rotate_left(struct semaroot *root, struct sudog *x)
{
	struct sudog *p = x->parent, *y = x->next, *b = y->prev;
	y->prev = x;
	x->parent = y;
	x->next = b;
	if (b != NULL)
		b->parent = x;
	y->parent = p;
	replace_child(root, p, x, y);
}

/* The mirror image of rotate_left. */
static void rotate_right(struct semaroot *root, struct sudog *y)
{
	struct sudog *p = y->parent, *x = y->prev, *b = x->next;
	x->next = y;
	y->parent = x;
	y->prev = b;
	if (b != NULL)
		b->parent = y;
	x->parent = p;
	replace_child(root, p, y, x);
}

/* Add s, waiting on addr, to the root's tree.  Lock held. */
static void sema_queue(struct semaroot *root, uint32_t *addr, struct sudog *s, bool lifo)
{
	s->g = getg();
	s->elem = addr;
	s->next = s->prev = s->parent = NULL;
	s->waitlink = s->waittail = NULL;
	struct sudog *last = NULL, **pt = &root->treap;
	for (struct sudog *t = *pt; t != NULL; t = *pt) {
		if (t->elem == addr) {
			if (!lifo) {
				/* Last in addr's FIFO. */
				if (t->waittail == NULL)
					t->waitlink = s;
				else
					t->waittail->waitlink = s;
				t->waittail = s;
				return;
			}
			/* First: s takes t's place in the tree, t heads s's list. */
			*pt = s;
			s->ticket = t->ticket;
			s->parent = t->parent;
			s->prev = t->prev;
			s->next = t->next;
			if (s->prev != NULL)
				s->prev->parent = s;
			if (s->next != NULL)
				s->next->parent = s;
			s->waitlink = t;
			s->waittail = t->waittail != NULL ? t->waittail : t;
			t->parent = t->prev = t->next = NULL;
			t->waittail = NULL;
			return;
		}
		last = t;
		pt = (uintptr_t)addr < (uintptr_t)t->elem ? &t->prev : &t->next;
	}
	/* A new address: a leaf, then up while its priority is smaller. */
	s->ticket = fastrand() | 1;
	s->parent = last;
	*pt = s;
	while (s->parent != NULL && s->parent->ticket > s->ticket) {
		if (s->parent->prev == s)
			rotate_right(root, s->parent);
		else
			rotate_left(root, s->parent);
	}
}

/* Take the first waiter on addr off the tree, or NULL.  Lock held. */
static struct sudog *sema_dequeue(struct semaroot *root, uint32_t *addr)
{
	struct sudog *s = root->treap;
	while (s != NULL && s->elem != addr)
		s = (uintptr_t)addr < (uintptr_t)s->elem ? s->prev : s->next;
	if (s == NULL)
		return NULL;
	struct sudog *t = s->waitlink;
	if (t != NULL) {
		/* The next waiter on addr takes s's place in the tree. */
		t->ticket = s->ticket;
		t->parent = s->parent;
		t->prev = s->prev;
		t->next = s->next;
		if (t->prev != NULL)
			t->prev->parent = t;
		if (t->next != NULL)
			t->next->parent = t;
		t->waittail = t->waitlink != NULL ? s->waittail : NULL;
		replace_child(root, s->parent, s, t);
	} else {
		/* The last waiter on addr: rotate it down to a leaf, cut it. */
		while (s->prev != NULL || s->next != NULL) {
			if (s->next == NULL ||
			    (s->prev != NULL && s->prev->ticket < s->next->ticket))
				rotate_right(root, s);
			else
				rotate_left(root, s);
		}
		replace_child(root, s->parent, s, NULL);
	}
	s->parent = s->prev = s->next = NULL;
	s->waitlink = s->waittail = NULL;
	s->ticket = 0;
	return s;
}

/* ---- Acquire and release ---- */

void semacquire(uint32_t *addr, bool lifo, enum wait_reason reason)
{
	if (cansemacquire(addr))
		return;
	uintptr_t flags = hal_irq_save();
	struct sudog *s = acquire_sudog();
	struct semaroot *root = semroot(addr);
	for (;;) {
		spin_lock_irqoff(&root->lock);
		atomic_fetch_add(&root->nwait, 1);      /* seen by semrelease */
		if (cansemacquire(addr)) {
			atomic_fetch_sub(&root->nwait, 1);
			spin_unlock_irqoff(&root->lock);
			break;
		}
		sema_queue(root, addr, s, lifo);
		goparkunlock(&root->lock, reason);
		/* Handed the count directly (ticket 1), or try again. */
		if (s->ticket != 0 || cansemacquire(addr))
			break;
	}
	s->elem = NULL;
	s->ticket = 0;
	release_sudog(s);
	hal_irq_restore(flags);
}

void semrelease(uint32_t *addr, bool handoff)
{
	struct semaroot *root = semroot(addr);
	atomic_fetch_add((_Atomic uint32_t *)addr, 1);
	if (atomic_load(&root->nwait) == 0)
		return;                         /* nobody to wake: no lock */
	uintptr_t flags = hal_irq_save();
	spin_lock_irqoff(&root->lock);
	if (atomic_load(&root->nwait) == 0) {
		spin_unlock_irqoff(&root->lock);
		hal_irq_restore(flags);
		return;
	}
	struct sudog *s = sema_dequeue(root, addr);
	if (s != NULL)
		atomic_fetch_sub(&root->nwait, 1);
	spin_unlock_irqoff(&root->lock);
	bool handed = false;
	if (s != NULL) {
		if (handoff && cansemacquire(addr)) {
			s->ticket = 1;          /* the count is the waiter's */
			handed = true;
		}
		goready_irqoff(s->g);
	}
	hal_irq_restore(flags);
	/* Let the waiter we handed the count to run now (Go's goyield). */
	if (handed && getm()->locks == 0)
		goyield();
}

/* ---- Spinning, for sync.Mutex ---- */

/*
 * sync.Mutex may spin (sync_runtime_canSpin): only a few rounds, only with
 * several harts and another p busy (someone who could release the lock),
 * and only when nothing else waits to run here.
 */
bool sync_runtime_canspin(int i)
{
	if (i >= 4 || hal_ncpu() <= 1)
		return false;
	int32_t busy = sched.gomaxprocs - atomic_load_explicit(&sched.npidle, memory_order_relaxed) -
		       atomic_load_explicit(&sched.nmspinning, memory_order_relaxed);
	if (busy <= 1)
		return false;
	struct p *pp = getm()->p;
	return pp != NULL && runqempty(pp);
}

void sync_runtime_dospin(void)
{
	for (int i = 0; i < 30; i++)            /* Go's procyield(30) */
		hal_cpu_relax();
}

/* ---- Notify lists: sync.Cond's queue (Go's notifyList) ---- */

/*
 * Every Wait takes a ticket (wait++); Signal wakes the holder of ticket
 * `notify` and advances it; Broadcast advances notify to wait.  A waiter
 * whose ticket is already below notify was signalled before it slept and
 * does not sleep at all - so a Signal between Cond.Wait's unlock and its
 * sleep is not lost.
 *
 * The list is guarded by the semaphore root its address hashes to (Go
 * gives each notifyList a lock of its own; borrowing the root's keeps
 * the struct all zeros when unused, so a zero sync_cond is ready).
 */
static inline bool ticket_less(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;            /* wrap-around safe */
}

uint32_t notifylist_add(struct notifylist *l)
{
	return atomic_fetch_add((_Atomic uint32_t *)&l->wait, 1);
}

void notifylist_wait(struct notifylist *l, uint32_t t, enum wait_reason reason)
{
	uintptr_t flags = hal_irq_save();
	spin_lock_irqoff(&semroot((uint32_t *)l)->lock);
	if (ticket_less(t, l->notify)) {
		spin_unlock_irqoff(&semroot((uint32_t *)l)->lock);
		hal_irq_restore(flags);
		return;
	}
	struct sudog *s = acquire_sudog();
	s->g = getg();
	s->ticket = t;
	s->waitlink = NULL;
	if (l->tail == NULL)
		l->head = s;
	else
		l->tail->waitlink = s;
	l->tail = s;
	goparkunlock(&semroot((uint32_t *)l)->lock, reason);
	s->ticket = 0;
	release_sudog(s);
	hal_irq_restore(flags);
}

void notifylist_notify_all(struct notifylist *l)
{
	if (atomic_load((_Atomic uint32_t *)&l->wait) == atomic_load((_Atomic uint32_t *)&l->notify))
		return;                         /* nobody waiting: no lock */
	uintptr_t flags = hal_irq_save();
	spin_lock_irqoff(&semroot((uint32_t *)l)->lock);
	struct sudog *s = l->head;
	l->head = l->tail = NULL;
	atomic_store((_Atomic uint32_t *)&l->notify, atomic_load((_Atomic uint32_t *)&l->wait));
	spin_unlock_irqoff(&semroot((uint32_t *)l)->lock);
	while (s != NULL) {
		struct sudog *next = s->waitlink;
		s->waitlink = NULL;
		goready_irqoff(s->g);
		s = next;
	}
	hal_irq_restore(flags);
}

void notifylist_notify_one(struct notifylist *l)
{
	if (atomic_load((_Atomic uint32_t *)&l->wait) == atomic_load((_Atomic uint32_t *)&l->notify))
		return;
	uintptr_t flags = hal_irq_save();
	spin_lock_irqoff(&semroot((uint32_t *)l)->lock);
	uint32_t t = l->notify;
	if (t == atomic_load((_Atomic uint32_t *)&l->wait)) {
		spin_unlock_irqoff(&semroot((uint32_t *)l)->lock);
		hal_irq_restore(flags);
		return;
	}
	atomic_store((_Atomic uint32_t *)&l->notify, t + 1);
	/*
	 * The holder of ticket t may not be on the list yet (between its
	 * add and its wait); then it will see notify > t and not sleep.
	 */
	for (struct sudog *p = NULL, *s = l->head; s != NULL; p = s, s = s->waitlink) {
		if (s->ticket != t)
			continue;
		struct sudog *n = s->waitlink;
		if (p != NULL)
			p->waitlink = n;
		else
			l->head = n;
		if (n == NULL)
			l->tail = p;
		spin_unlock_irqoff(&semroot((uint32_t *)l)->lock);
		s->waitlink = NULL;
		goready_irqoff(s->g);
		hal_irq_restore(flags);
		return;
	}
	spin_unlock_irqoff(&semroot((uint32_t *)l)->lock);
	hal_irq_restore(flags);
}
