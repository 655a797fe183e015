#include "cancel.h"
#include "error.h"
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

struct cancel_sleeper {
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void cancel_sleep_wake(void *arg)
{
	struct cancel_sleeper *s = arg;

	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

int fp_cancel_sleep(struct fp_cancel *tok, int64_t ms)
{
	struct cancel_sleeper s;
	struct fp_cancel_waker w = { cancel_sleep_wake, &s, NULL };
	int64_t end = fp_now_ms() + ms;
	int rc = FP_OK;

	pthread_mutex_init(&s.mu, NULL);
	fp_cond_init_monotonic(&s.cv);
	if (tok)
		fp_cancel_add_waker(tok, &w);
	pthread_mutex_lock(&s.mu);
	for (;;) {
		struct timespec ts;
		int64_t until = end;

		if (tok && fp_cancel_is_set(tok)) {
			rc = FP_ECANCELED;
			break;
		}
		if (fp_now_ms() >= end)
			break;
		if (tok && fp_cancel_remaining_ms(tok) != INT64_MAX &&
		    fp_now_ms() + fp_cancel_remaining_ms(tok) + 1 < until)
			until = fp_now_ms() + fp_cancel_remaining_ms(tok) + 1;
		ts = fp_ms_to_ts(until);
		pthread_cond_timedwait(&s.cv, &s.mu, &ts);
	}
	pthread_mutex_unlock(&s.mu);
	if (tok)
		fp_cancel_remove_waker(tok, &w);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.mu);
	return rc;
}
