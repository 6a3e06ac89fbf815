/*
 * sema.h - the runtime's semaphores and notify lists (sema.c), for the
 * sync package (sync/mutex.c and its neighbours).
 */
#ifndef GOHART_SEMA_H
#define GOHART_SEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "gohart_sync.h"
#include "proc.h"

/* Wait until *addr > 0, then decrement it.  lifo: go first in line. */
void semacquire(uint32_t *addr, bool lifo, enum wait_reason reason);
/* Increment *addr and wake a waiter; handoff: the waiter gets the count
 * directly and runs next. */
void semrelease(uint32_t *addr, bool handoff);

#define notifylist sync_notifylist
uint32_t notifylist_add(struct notifylist *l);
void notifylist_wait(struct notifylist *l, uint32_t ticket, enum wait_reason reason);
void notifylist_notify_one(struct notifylist *l);
void notifylist_notify_all(struct notifylist *l);

/* For sync.Mutex's spinning (sema.c): may the i-th spin go on? */
bool sync_runtime_canspin(int i);
void sync_runtime_dospin(void);

#endif
