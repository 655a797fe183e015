#include "cancel.h"
#include "timeutil.h"

#include <stdlib.h>

void fp_cancel_init(struct fp_cancel *c)
{
	atomic_init(&c->fired, false);
	atomic_init(&c->deadline_ms, 0);
	if (pthread_mutex_init(&c->mu, NULL))
		abort();
	c->wakers = NULL;
}

void fp_cancel_destroy(struct fp_cancel *c)
{
	pthread_mutex_destroy(&c->mu);
}

void fp_cancel_reset(struct fp_cancel *c, int64_t deadline_ms)
{
	atomic_store(&c->fired, false);
	atomic_store(&c->deadline_ms, deadline_ms);
}

void fp_cancel_fire(struct fp_cancel *c)
{
	struct fp_cancel_waker *w;

	atomic_store(&c->fired, true);
	pthread_mutex_lock(&c->mu);
	for (w = c->wakers; w; w = w->next)
		w->fn(w->arg);
	pthread_mutex_unlock(&c->mu);
}

bool fp_cancel_was_fired(struct fp_cancel *c)
{
	return atomic_load(&c->fired);
}

bool fp_cancel_is_set(struct fp_cancel *c)
{
	int64_t dl;

	if (atomic_load(&c->fired))
		return true;
	dl = atomic_load(&c->deadline_ms);
	return dl && fp_now_ms() >= dl;
}

void fp_cancel_set_deadline(struct fp_cancel *c, int64_t deadline_ms)
{
	atomic_store(&c->deadline_ms, deadline_ms);
}

int64_t fp_cancel_remaining_ms(struct fp_cancel *c)
{
	int64_t dl = atomic_load(&c->deadline_ms), now;

	if (!dl)
		return INT64_MAX;
	now = fp_now_ms();
	return dl > now ? dl - now : 0;
}

void fp_cancel_add_waker(struct fp_cancel *c, struct fp_cancel_waker *w)
{
	pthread_mutex_lock(&c->mu);
	w->next = c->wakers;
	c->wakers = w;
	pthread_mutex_unlock(&c->mu);
}

void fp_cancel_remove_waker(struct fp_cancel *c, struct fp_cancel_waker *w)
{
	struct fp_cancel_waker **pp;

	pthread_mutex_lock(&c->mu);
	for (pp = &c->wakers; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
}
