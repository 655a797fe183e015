/* Design: the semaphore counts permits; the handle cache is an array of
 * pointers under its own mutex, searched linearly (at most a few dozen
 * handles, each search far cheaper than the request it serves). Lock
 * order: never both at once. */
#include "slots.h"
#include "error.h"
#include "pool.h"
#include "sem.h"
#include "xfer.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot_handle {
	struct fp_xfer *x;
	bool busy;
	uint64_t last_use; /* tick of the last release: LRU among the free */
	char host[256];    /* host:port of its last request */
};

struct fp_slots {
	struct fp_sem *sem;
	struct fp_share *share;
	struct fp_xfer_config cfg;
	pthread_mutex_t mu;
	struct slot_handle **h;
	unsigned n, cap;
	uint64_t tick;
	unsigned permits;
	void (*on_free)(void *);
	void *on_free_arg;
};

int fp_slots_create(struct fp_slots **out, unsigned permits,
		    struct fp_share *sh, const struct fp_xfer_config *cfg)
{
	struct fp_slots *s;

	*out = NULL;
	if (permits == 0 || permits > FP_POOL_MAX)
		return FP_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return FP_ENOMEM;
	s->h = calloc(permits, sizeof(*s->h));
	if (!s->h || fp_sem_create(&s->sem, permits)) {
		free(s->h);
		free(s);
		return FP_ENOMEM;
	}
	s->cap = permits;
	s->permits = permits;
	s->share = sh;
	s->cfg = *cfg;
	pthread_mutex_init(&s->mu, NULL);
	*out = s;
	return FP_OK;
}

/* The free handle for HOST, else the free one idle longest, else NULL. */
static struct slot_handle *slots_pick(struct fp_slots *s, const char *host)
{
	struct slot_handle *lru = NULL;
	unsigned i;

	for (i = 0; i < s->n; i++) {
		struct slot_handle *h = s->h[i];

		if (h->busy)
			continue;
		if (host[0] && !strcmp(h->host, host))
			return h;
		if (!lru || h->last_use < lru->last_use)
			lru = h;
	}
	return lru;
}

static struct slot_handle *slots_make(struct fp_slots *s)
{
	struct slot_handle *h;

	if (s->n == s->cap) {
		/* More requests than permits: only without the semaphore. */
		struct slot_handle **n = realloc(s->h, 2 * s->cap * sizeof(*n));

		if (!n)
			return NULL;
		s->h = n;
		s->cap *= 2;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	if (fp_xfer_create(&h->x, s->share, &s->cfg)) {
		free(h);
		return NULL;
	}
	s->h[s->n++] = h;
	return h;
}

int fp_slots_acquire(struct fp_slots *s, struct fp_permit *p,
		     const char *host, struct fp_cancel *tok,
		     struct fp_xfer **x)
{
	struct slot_handle *h;
	int rc;

	*x = NULL;
	if (p && p->held) {
		p->held = false;
	} else {
		rc = fp_sem_acquire(s->sem, tok);
		if (rc)
			return FP_ECANCELED;
	}
	pthread_mutex_lock(&s->mu);
	h = slots_pick(s, host ? host : "");
	if (!h)
		h = slots_make(s);
	if (h)
		h->busy = true;
	pthread_mutex_unlock(&s->mu);
	if (!h) {
		fp_sem_release(s->sem);
		return FP_ENOMEM;
	}
	*x = h->x;
	return FP_OK;
}

void fp_slots_release(struct fp_slots *s, struct fp_xfer *x,
		      const char *host)
{
	unsigned i;

	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->n; i++) {
		struct slot_handle *h = s->h[i];

		if (h->x != x)
			continue;
		h->busy = false;
		h->last_use = ++s->tick;
		snprintf(h->host, sizeof(h->host), "%s", host ? host : "");
		break;
	}
	pthread_mutex_unlock(&s->mu);
	fp_sem_release(s->sem);
}

bool fp_slots_try_prepay(struct fp_slots *s)
{
	return fp_sem_try_acquire(s->sem) == FP_OK;
}

void fp_slots_refund(struct fp_slots *s, struct fp_permit *p)
{
	if (!p->held)
		return;
	p->held = false;
	fp_sem_release(s->sem);
}

void fp_slots_on_free(struct fp_slots *s, void (*fn)(void *), void *arg)
{
	s->on_free = fn;
	s->on_free_arg = arg;
}

void fp_slots_wake(struct fp_slots *s)
{
	if (s->on_free && fp_sem_held(s->sem) < s->permits)
		s->on_free(s->on_free_arg);
}

unsigned fp_slots_in_flight(struct fp_slots *s)
{
	return fp_sem_held(s->sem);
}

unsigned fp_slots_peak(struct fp_slots *s)
{
	return fp_sem_peak(s->sem);
}

unsigned fp_slots_handles(struct fp_slots *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->n;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void fp_slots_destroy(struct fp_slots *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		fp_xfer_destroy(s->h[i]->x);
		free(s->h[i]);
	}
	free(s->h);
	pthread_mutex_destroy(&s->mu);
	fp_sem_destroy(s->sem);
	free(s);
}
