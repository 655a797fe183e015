/* Design: one mutex guards the queue, the worker slots and the flags.
 * Workers wait on `work` for a dispatchable job; adders wait on `space`;
 * fp_sched_wait_idle() waits on `idle`. Tokens live in the worker slots and
 * are reset under the mutex when a job is taken, and fired under the mutex
 * by cancel, so a cancel can never hit the wrong job. Lock order: scheduler
 * mutex, then a token's mutex (fire), then whatever its wakers take. */
#include "sched.h"
#include "cancel.h"
#include "error.h"
#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct sched_job {
	struct fp_prioq_node node; /* first: a node pointer is a job pointer */
	uint64_t id;
	fp_sched_run_fn *run;
	fp_sched_drop_fn *drop;
	void *arg;
};

struct sched_slot {
	bool busy;
	uint64_t id;
	int level;
	struct fp_cancel tok;
};

struct fp_sched {
	pthread_mutex_t mu;
	pthread_cond_t work, space, idle;
	struct fp_prioq q;
	size_t capacity;
	bool paused, barrier, closed, cancelled;
	uint64_t next_id;
	unsigned nworkers, running;
	struct sched_slot *slots;
	int64_t deadline_ms;
	void *(*worker_init)(void *, unsigned);
	void (*worker_fini)(void *, void *);
	int (*gate)(void *, void *, void *, int);
	size_t parked; /* jobs the gate kept: count against the capacity */
	void *udata;
	struct fp_pool *pool;
};

static struct sched_job *sched_dispatchable(struct fp_sched *s)
{
	struct fp_prioq_node *n;
	unsigned i;

	if (s->paused)
		return NULL;
	n = fp_prioq_peek(&s->q);
	if (!n || !s->barrier)
		return (struct sched_job *)n;
	for (i = 0; i < s->nworkers; i++)
		if (s->slots[i].busy && s->slots[i].level < n->level)
			return NULL;
	return (struct sched_job *)n;
}

static void sched_worker(void *arg, unsigned index)
{
	struct fp_sched *s = arg;
	struct sched_slot *slot = &s->slots[index];
	void *wctx = s->worker_init ? s->worker_init(s->udata, index) : NULL;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct sched_job *job = sched_dispatchable(s);

		if (!job) {
			/* Parked jobs come back through requeue: wait for
			 * them, unless a cancel drops them. */
			if (s->closed && s->q.len == 0 &&
			    (s->parked == 0 || s->cancelled))
				break;
			pthread_cond_wait(&s->work, &s->mu);
			continue;
		}
		/* The job goes only with what the gate hands over (a request
		 * permit); a freed permit wakes us through fp_sched_kick().
		 * A job whose host has no room is kept by the gate, which
		 * gives it back through fp_sched_requeue(). */
		if (s->gate) {
			int g = s->gate(s->udata, wctx, job->arg,
					job->node.level);

			if (g == FP_SCHED_PARKED) {
				fp_prioq_remove(&s->q, &job->node);
				free(job);
				s->parked++;
				continue;
			}
			if (g != FP_SCHED_GO) {
				pthread_cond_wait(&s->work, &s->mu);
				continue;
			}
		}
		fp_prioq_remove(&s->q, &job->node);
		slot->busy = true;
		slot->id = job->id;
		slot->level = job->node.level;
		fp_cancel_reset(&slot->tok, s->deadline_ms);
		s->running++;
		pthread_cond_signal(&s->space);
		pthread_mutex_unlock(&s->mu);

		job->run(job->arg, &slot->tok, wctx);
		free(job);

		pthread_mutex_lock(&s->mu);
		slot->busy = false;
		s->running--;
		if (s->barrier)
			pthread_cond_broadcast(&s->work);
		if (s->running == 0)
			pthread_cond_broadcast(&s->idle);
	}
	/* Let the next worker see the exit condition too. */
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
	if (s->worker_fini)
		s->worker_fini(s->udata, wctx);
}

static void sched_free(struct fp_sched *s)
{
	unsigned i;

	for (i = 0; i < s->nworkers; i++)
		fp_cancel_destroy(&s->slots[i].tok);
	free(s->slots);
	pthread_cond_destroy(&s->idle);
	pthread_cond_destroy(&s->space);
	pthread_cond_destroy(&s->work);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

int fp_sched_create(struct fp_sched **out, const struct fp_sched_config *cfg)
{
	struct fp_sched *s;
	unsigned i;
	int rc;

	*out = NULL;
	if (cfg->workers == 0 || cfg->workers > FP_SCHED_MAX_WORKERS ||
	    cfg->capacity == 0)
		return FP_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return FP_ENOMEM;
	s->slots = calloc(cfg->workers, sizeof(*s->slots));
	if (!s->slots) {
		free(s);
		return FP_ENOMEM;
	}
	s->nworkers = cfg->workers;
	for (i = 0; i < s->nworkers; i++)
		fp_cancel_init(&s->slots[i].tok);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->space, NULL);
	pthread_cond_init(&s->idle, NULL);
	fp_prioq_init(&s->q);
	s->capacity = cfg->capacity;
	s->paused = cfg->flags & FP_SCHED_PAUSED;
	s->barrier = cfg->flags & FP_SCHED_LEVEL_BARRIER;
	s->deadline_ms = cfg->deadline_ms;
	s->worker_init = cfg->worker_init;
	s->worker_fini = cfg->worker_fini;
	s->gate = cfg->gate;
	s->udata = cfg->udata;
	s->next_id = 1;

	rc = fp_pool_start(&s->pool, s->nworkers, sched_worker, s);
	if (rc) {
		sched_free(s);
		return rc;
	}
	*out = s;
	return FP_OK;
}

int fp_sched_add(struct fp_sched *s, int level, fp_sched_run_fn *run,
		 fp_sched_drop_fn *drop, void *arg, uint64_t *id)
{
	struct sched_job *job;

	if (level < 1 || level > FP_PRIO_LEVELS || !run)
		return FP_EINVAL;
	job = malloc(sizeof(*job));
	if (!job)
		return FP_ENOMEM;
	job->run = run;
	job->drop = drop;
	job->arg = arg;

	pthread_mutex_lock(&s->mu);
	while (!s->closed && s->q.len + s->parked >= s->capacity)
		pthread_cond_wait(&s->space, &s->mu);
	if (s->closed) {
		pthread_mutex_unlock(&s->mu);
		free(job);
		return FP_ECLOSED;
	}
	job->id = s->next_id++;
	fp_prioq_push(&s->q, &job->node, level);
	if (id)
		*id = job->id;
	/* While paused no worker may take it, and fp_sched_start() wakes
	 * them all: a signal here would only wake one to sleep again (once
	 * per job of the preload, each time with the mutex contended). */
	if (!s->paused) {
		if (s->barrier)
			pthread_cond_broadcast(&s->work);
		else
			pthread_cond_signal(&s->work);
	}
	pthread_mutex_unlock(&s->mu);
	return FP_OK;
}

int fp_sched_requeue(struct fp_sched *s, int level, fp_sched_run_fn *run,
		     fp_sched_drop_fn *drop, void *arg)
{
	struct sched_job *job = malloc(sizeof(*job));

	if (!job)
		return FP_ENOMEM;
	job->run = run;
	job->drop = drop;
	job->arg = arg;
	pthread_mutex_lock(&s->mu);
	if (s->parked)
		s->parked--;
	if (s->cancelled) {
		pthread_mutex_unlock(&s->mu);
		free(job);
		return FP_ECLOSED;
	}
	job->id = s->next_id++;
	fp_prioq_push_front(&s->q, &job->node, level);
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->mu);
	return FP_OK;
}

void fp_sched_kick(struct fp_sched *s)
{
	pthread_mutex_lock(&s->mu);
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->mu);
}

void fp_sched_start(struct fp_sched *s)
{
	pthread_mutex_lock(&s->mu);
	s->paused = false;
	pthread_cond_broadcast(&s->work);
	pthread_mutex_unlock(&s->mu);
}

/* The queued job with ID, or NULL. Linear: cancel and reschedule are rare
 * and the queue is bounded. Called with the mutex held. */
static struct sched_job *sched_find_queued(struct fp_sched *s, uint64_t id)
{
	int i;

	for (i = 0; i < FP_PRIO_LEVELS; i++) {
		struct fp_prioq_node *n;

		for (n = s->q.head[i]; n; n = n->next)
			if (((struct sched_job *)n)->id == id)
				return (struct sched_job *)n;
	}
	return NULL;
}

static struct sched_slot *sched_find_running(struct fp_sched *s, uint64_t id)
{
	unsigned i;

	for (i = 0; i < s->nworkers; i++)
		if (s->slots[i].busy && s->slots[i].id == id)
			return &s->slots[i];
	return NULL;
}

/* After the queue shrank: wake adders, and idle waiters if all is done. */
static void sched_queue_shrank(struct fp_sched *s)
{
	pthread_cond_broadcast(&s->space);
	pthread_cond_broadcast(&s->work);
	if (s->running == 0 && s->q.len == 0)
		pthread_cond_broadcast(&s->idle);
}

int fp_sched_cancel(struct fp_sched *s, uint64_t id)
{
	struct sched_job *job;
	struct sched_slot *slot;

	pthread_mutex_lock(&s->mu);
	job = sched_find_queued(s, id);
	if (job) {
		fp_prioq_remove(&s->q, &job->node);
		sched_queue_shrank(s);
		pthread_mutex_unlock(&s->mu);
		if (job->drop)
			job->drop(job->arg);
		free(job);
		return FP_OK;
	}
	slot = sched_find_running(s, id);
	if (slot)
		fp_cancel_fire(&slot->tok);
	pthread_mutex_unlock(&s->mu);
	return slot ? FP_EBUSY : FP_ENOENT;
}

int fp_sched_reschedule(struct fp_sched *s, uint64_t id, int level)
{
	struct sched_job *job;
	int rc;

	if (level < 1 || level > FP_PRIO_LEVELS)
		return FP_EINVAL;
	pthread_mutex_lock(&s->mu);
	job = sched_find_queued(s, id);
	if (job) {
		fp_prioq_move(&s->q, &job->node, level);
		pthread_cond_broadcast(&s->work);
		rc = FP_OK;
	} else {
		rc = sched_find_running(s, id) ? FP_EBUSY : FP_ENOENT;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void fp_sched_close(struct fp_sched *s)
{
	pthread_mutex_lock(&s->mu);
	s->closed = true;
	s->paused = false;
	pthread_cond_broadcast(&s->work);
	pthread_cond_broadcast(&s->space);
	pthread_mutex_unlock(&s->mu);
}

void fp_sched_cancel_all(struct fp_sched *s)
{
	struct fp_prioq dropped;
	struct fp_prioq_node *n;
	unsigned i;

	fp_prioq_init(&dropped);
	pthread_mutex_lock(&s->mu);
	s->closed = true;
	s->cancelled = true;
	s->paused = false;
	while ((n = fp_prioq_peek(&s->q))) {
		fp_prioq_remove(&s->q, n);
		fp_prioq_push(&dropped, n, n->level);
	}
	for (i = 0; i < s->nworkers; i++)
		if (s->slots[i].busy)
			fp_cancel_fire(&s->slots[i].tok);
	sched_queue_shrank(s);
	pthread_mutex_unlock(&s->mu);

	/* Drop in priority order, outside the lock. */
	while ((n = fp_prioq_peek(&dropped))) {
		struct sched_job *job = (struct sched_job *)n;

		fp_prioq_remove(&dropped, n);
		if (job->drop)
			job->drop(job->arg);
		free(job);
	}
}

void fp_sched_wait_idle(struct fp_sched *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->running > 0 || (s->q.len > 0 && !s->paused))
		pthread_cond_wait(&s->idle, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

size_t fp_sched_queued(struct fp_sched *s)
{
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = s->q.len;
	pthread_mutex_unlock(&s->mu);
	return n;
}

unsigned fp_sched_running(struct fp_sched *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->running;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void fp_sched_join(struct fp_sched *s)
{
	fp_pool_join(s->pool);
	s->pool = NULL;
}

void fp_sched_shutdown(struct fp_sched *s)
{
	fp_sched_cancel_all(s);
	fp_sched_join(s);
}

void fp_sched_destroy(struct fp_sched *s)
{
	struct fp_prioq_node *n;

	if (!s)
		return;
	while ((n = fp_prioq_peek(&s->q))) {
		struct sched_job *job = (struct sched_job *)n;

		fp_prioq_remove(&s->q, n);
		if (job->drop)
			job->drop(job->arg);
		free(job);
	}
	sched_free(s);
}
