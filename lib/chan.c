/* Design: one mutex and three condition variables. Every wait sits in a loop
 * that re-tests both its predicate and `closed` under the mutex, and close
 * broadcasts all three, so no waiter can sleep through a close.
 *
 * A buffered channel is a ring of `cap` slots. A rendezvous channel uses one
 * slot plus two counters: `put_seq` numbers the items placed in the slot and
 * `take_seq` counts those taken, so a sender knows its own item was taken
 * (take_seq >= its number) even if another sender has refilled the slot. */
#include "chan.h"
#include "error.h"
#include "timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct fp_chan {
	pthread_mutex_t mu;
	pthread_cond_t not_empty; /* receivers wait here */
	pthread_cond_t not_full;  /* senders wait here for room */
	pthread_cond_t taken;     /* rendezvous senders wait for their taker */
	void **ring;
	size_t cap;  /* slots in ring (1 for a rendezvous channel) */
	size_t head; /* next slot to receive */
	size_t len;  /* items buffered */
	bool rendezvous;
	bool closed;
	uint64_t put_seq, take_seq;
	size_t waiting_send, waiting_recv;
	void (*free_item)(void *);
};

int fp_chan_create(struct fp_chan **out, size_t capacity,
		   void (*free_item)(void *item))
{
	struct fp_chan *ch = calloc(1, sizeof(*ch));

	*out = NULL;
	if (!ch)
		return FP_ENOMEM;
	ch->rendezvous = capacity == 0;
	ch->cap = ch->rendezvous ? 1 : capacity;
	ch->ring = calloc(ch->cap, sizeof(*ch->ring));
	if (!ch->ring)
		goto fail_ring;
	if (pthread_mutex_init(&ch->mu, NULL))
		goto fail_mu;
	if (fp_cond_init_monotonic(&ch->not_empty))
		goto fail_ne;
	if (pthread_cond_init(&ch->not_full, NULL))
		goto fail_nf;
	if (pthread_cond_init(&ch->taken, NULL))
		goto fail_tk;
	ch->free_item = free_item;
	*out = ch;
	return FP_OK;

fail_tk:
	pthread_cond_destroy(&ch->not_full);
fail_nf:
	pthread_cond_destroy(&ch->not_empty);
fail_ne:
	pthread_mutex_destroy(&ch->mu);
fail_mu:
	free(ch->ring);
fail_ring:
	free(ch);
	return FP_ENOMEM;
}

static void chan_push(struct fp_chan *ch, void *item, bool wake)
{
	ch->ring[(ch->head + ch->len) % ch->cap] = item;
	ch->len++;
	if (wake)
		pthread_cond_signal(&ch->not_empty);
}

static void *chan_pop(struct fp_chan *ch)
{
	void *item = ch->ring[ch->head];

	ch->head = (ch->head + 1) % ch->cap;
	ch->len--;
	if (ch->rendezvous) {
		ch->take_seq++;
		pthread_cond_broadcast(&ch->taken);
	}
	pthread_cond_signal(&ch->not_full);
	return item;
}

static int chan_send(struct fp_chan *ch, void *item, bool quiet)
{
	uint64_t mine;
	int rc = FP_OK;

	pthread_mutex_lock(&ch->mu);
	ch->waiting_send++;
	while (!ch->closed && ch->len == ch->cap)
		pthread_cond_wait(&ch->not_full, &ch->mu);
	if (ch->closed) {
		rc = FP_ECLOSED;
		goto out;
	}
	/* A quiet item wakes nobody until the ring is half full: the
	 * receiver polls. */
	chan_push(ch, item,
		  !quiet || ch->rendezvous || (ch->len + 1) * 2 >= ch->cap);
	if (!ch->rendezvous)
		goto out;

	mine = ++ch->put_seq;
	while (!ch->closed && ch->take_seq < mine)
		pthread_cond_wait(&ch->taken, &ch->mu);
	if (ch->take_seq < mine) {
		/* Closed before anyone took it: the item is still in the slot
		 * (nobody else could fill a full slot), so take it back. */
		ch->len = 0;
		pthread_cond_signal(&ch->not_full);
		rc = FP_ECLOSED;
	}
out:
	ch->waiting_send--;
	pthread_mutex_unlock(&ch->mu);
	return rc;
}

int fp_chan_send(struct fp_chan *ch, void *item)
{
	return chan_send(ch, item, false);
}

int fp_chan_send_quiet(struct fp_chan *ch, void *item)
{
	return chan_send(ch, item, true);
}

int fp_chan_try_send(struct fp_chan *ch, void *item)
{
	int rc = FP_OK;

	pthread_mutex_lock(&ch->mu);
	if (ch->closed)
		rc = FP_ECLOSED;
	else if (ch->rendezvous || ch->len == ch->cap)
		rc = FP_EBUSY;
	else
		chan_push(ch, item, true);
	pthread_mutex_unlock(&ch->mu);
	return rc;
}

static int chan_recv(struct fp_chan *ch, void **item, int64_t deadline_ms)
{
	struct timespec ts = fp_ms_to_ts(deadline_ms);
	int rc = FP_OK;

	pthread_mutex_lock(&ch->mu);
	ch->waiting_recv++;
	while (!ch->closed && ch->len == 0) {
		if (deadline_ms < 0) {
			pthread_cond_wait(&ch->not_empty, &ch->mu);
		} else if (pthread_cond_timedwait(&ch->not_empty, &ch->mu,
						  &ts) == ETIMEDOUT) {
			if (ch->len == 0 && !ch->closed)
				rc = FP_ETIMEDOUT;
			break;
		}
	}
	if (rc == FP_OK) {
		if (ch->len > 0)
			*item = chan_pop(ch);
		else
			rc = FP_ECLOSED;
	}
	ch->waiting_recv--;
	pthread_mutex_unlock(&ch->mu);
	return rc;
}

int fp_chan_recv(struct fp_chan *ch, void **item)
{
	return chan_recv(ch, item, -1);
}

int fp_chan_recv_until(struct fp_chan *ch, void **item, int64_t deadline_ms)
{
	return chan_recv(ch, item, deadline_ms < 0 ? 0 : deadline_ms);
}

void fp_chan_close(struct fp_chan *ch)
{
	pthread_mutex_lock(&ch->mu);
	ch->closed = true;
	pthread_cond_broadcast(&ch->not_empty);
	pthread_cond_broadcast(&ch->not_full);
	pthread_cond_broadcast(&ch->taken);
	pthread_mutex_unlock(&ch->mu);
}

size_t fp_chan_len(struct fp_chan *ch)
{
	size_t n;

	pthread_mutex_lock(&ch->mu);
	n = ch->len;
	pthread_mutex_unlock(&ch->mu);
	return n;
}

size_t fp_chan_waiting_senders(struct fp_chan *ch)
{
	size_t n;

	pthread_mutex_lock(&ch->mu);
	n = ch->waiting_send;
	pthread_mutex_unlock(&ch->mu);
	return n;
}

size_t fp_chan_waiting_receivers(struct fp_chan *ch)
{
	size_t n;

	pthread_mutex_lock(&ch->mu);
	n = ch->waiting_recv;
	pthread_mutex_unlock(&ch->mu);
	return n;
}

void fp_chan_destroy(struct fp_chan *ch)
{
	if (!ch)
		return;
	while (ch->len > 0) {
		void *item = ch->ring[ch->head];

		ch->head = (ch->head + 1) % ch->cap;
		ch->len--;
		if (ch->free_item)
			ch->free_item(item);
	}
	pthread_cond_destroy(&ch->taken);
	pthread_cond_destroy(&ch->not_full);
	pthread_cond_destroy(&ch->not_empty);
	pthread_mutex_destroy(&ch->mu);
	free(ch->ring);
	free(ch);
}
