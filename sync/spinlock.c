/*
 * spinlock.c - see spinlock.h for the rules.
 */
#include "spinlock.h"

#include "hal/hal.h"
#include "runtime/panic.h"

struct spin_cpu spin_cpu[CONFIG_MAXCPU];

/*
 * The lock was taken: a cpu taking a lock it already holds would spin
 * forever (fatal, with the lock's name); otherwise spin reading the word
 * until it looks free, then try the swap again.
 */
void spin_lock_slow(struct spinlock *l, int me)
{
	if (CONFIG_DEBUG && l->owner == me)
		throw_name("spin_lock: lock already held by this cpu: ", l->name);
	for (;;) {
		while (atomic_load_explicit(&l->locked, memory_order_relaxed))
			hal_cpu_relax();
		if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) == 0)
			return;
	}
}

_Noreturn void spin_unlock_fail(struct spinlock *l)
{
	throw_name("spin_unlock: lock not held by this cpu: ", l->name);
}

uintptr_t spin_lock_irqsave(struct spinlock *l)
{
	uintptr_t s = hal_irq_save();
	spin_lock(l);
	return s;
}

void spin_unlock_irqrestore(struct spinlock *l, uintptr_t s)
{
	spin_unlock(l);
	hal_irq_restore(s);
}

int spin_held_by_me(struct spinlock *l)
{
	return atomic_load_explicit(&l->locked, memory_order_relaxed) &&
	       l->owner == hal_cpu_id();
}
