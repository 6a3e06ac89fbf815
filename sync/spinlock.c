/*
 * spinlock.c - see spinlock.h for the rules.
 */
#include "spinlock.h"

#include "hal/hal.h"
#include "runtime/panic.h"

uint64_t spin_lock_count[CONFIG_MAXCPU];
int spin_held[CONFIG_MAXCPU];

void spin_lock(struct spinlock *l)
{
	if (CONFIG_DEBUG && l->owner == hal_cpu_id() &&
	    atomic_load_explicit(&l->locked, memory_order_relaxed))
		throw_name("spin_lock: lock already held by this cpu: ", l->name);
	for (;;) {
		if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) == 0)
			break;
		while (atomic_load_explicit(&l->locked, memory_order_relaxed))
			hal_cpu_relax();
	}
	l->owner = hal_cpu_id();
	spin_lock_count[l->owner]++;
	spin_held[l->owner]++;
}

void spin_unlock(struct spinlock *l)
{
	if (CONFIG_DEBUG && (l->owner != hal_cpu_id() ||
			     !atomic_load_explicit(&l->locked, memory_order_relaxed)))
		throw_name("spin_unlock: lock not held by this cpu: ", l->name);
	spin_held[l->owner]--;
	l->owner = -1;
	atomic_store_explicit(&l->locked, 0, memory_order_release);
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
