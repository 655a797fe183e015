#include "sem.h"
#include "cancel.h"
#include "error.h"
#include "timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct fp_sem {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned units, held, peak, waiting;
	bool closed;
};

int fp_sem_create(struct fp_sem **out, unsigned units)
{
	struct fp_sem *s;

	*out = NULL;
	if (units == 0)
		return FP_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return FP_ENOMEM;
	if (pthread_mutex_init(&s->mu, NULL)) {
		free(s);
		return FP_ENOMEM;
	}
	if (fp_cond_init_monotonic(&s->cv)) {
		pthread_mutex_destroy(&s->mu);
		free(s);
		return FP_ENOMEM;
	}
	s->units = units;
	*out = s;
	return FP_OK;
}

/* Waker: a fired token must interrupt the wait. Taking the mutex orders the
 * broadcast after the waiter's check of the flag. */
static void sem_wake(void *arg)
{
	struct fp_sem *s = arg;

	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

int fp_sem_acquire(struct fp_sem *s, struct fp_cancel *tok)
{
	struct fp_cancel_waker w = { sem_wake, s, NULL };
	int rc = FP_OK;

	if (tok)
		fp_cancel_add_waker(tok, &w);
	pthread_mutex_lock(&s->mu);
	s->waiting++;
	for (;;) {
		if (s->closed) {
			rc = FP_ECLOSED;
			break;
		}
		if (tok && fp_cancel_is_set(tok)) {
			rc = FP_ECANCELED;
			break;
		}
		if (s->held < s->units)
			break;
		if (tok && fp_cancel_remaining_ms(tok) != INT64_MAX) {
			struct timespec ts = fp_deadline_ts(
				fp_cancel_remaining_ms(tok) + 1);

			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		} else {
			pthread_cond_wait(&s->cv, &s->mu);
		}
	}
	s->waiting--;
	if (rc == FP_OK) {
		if (++s->held > s->peak)
			s->peak = s->held;
	} else if (s->held < s->units) {
		/* We may have consumed a release's signal: pass it on. */
		pthread_cond_signal(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	if (tok)
		fp_cancel_remove_waker(tok, &w);
	return rc;
}

int fp_sem_try_acquire(struct fp_sem *s)
{
	int rc = FP_EBUSY;

	pthread_mutex_lock(&s->mu);
	if (s->closed) {
		rc = FP_ECLOSED;
	} else if (s->held < s->units) {
		if (++s->held > s->peak)
			s->peak = s->held;
		rc = FP_OK;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void fp_sem_release(struct fp_sem *s)
{
	pthread_mutex_lock(&s->mu);
	if (s->held == 0)
		abort(); /* a release without an acquire: a broken invariant */
	s->held--;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void fp_sem_close(struct fp_sem *s)
{
	pthread_mutex_lock(&s->mu);
	s->closed = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

unsigned fp_sem_held(struct fp_sem *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->held;
	pthread_mutex_unlock(&s->mu);
	return n;
}

unsigned fp_sem_peak(struct fp_sem *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->peak;
	pthread_mutex_unlock(&s->mu);
	return n;
}

unsigned fp_sem_waiting(struct fp_sem *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->waiting;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void fp_sem_destroy(struct fp_sem *s)
{
	if (!s)
		return;
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
