/* Design: the channel carries struct fp_engine_job pointers, told apart by
 * kind: a finished job, a command's event (wrapped in an engine_event), or
 * the engine's one wake-up message. Threads that must never wait on the
 * main thread (the signal thread; the main thread itself) wake it with a
 * non-blocking send of the wake-up message: if the channel is full the
 * main thread is busy anyway and looks at the dropped list and the holds
 * after every message it takes. */
#include "engine.h"
#include "cancel.h"
#include "chan.h"
#include "error.h"
#include "hostgate.h"
#include "pool.h"
#include "sched.h"
#include "share.h"
#include "timeutil.h"
#include "url.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Events buffered between the workers and the main thread. */
#define ENGINE_EVENTS 1024

enum { ENGINE_DONE = -1, ENGINE_WAKE = -2, ENGINE_EVENT = -3 };

struct engine_event {
	struct fp_engine_job hdr; /* kind ENGINE_EVENT */
	int kind;
	void *data;
};

struct fp_engine {
	struct fp_engine_config cfg;
	struct fp_share *share;
	struct fp_slots *slots;
	struct fp_hostgate *gate;
	struct fp_sched *sched;
	struct fp_chan *events;
	struct fp_fetch_env env;
	struct fp_engine_worker *workers;
	unsigned nworkers;
	int64_t deadline_at; /* monotonic ms; 0: none */
	_Atomic int64_t rx;
	atomic_uint_fast64_t submitted;
	atomic_uint_fast64_t finished; /* jobs whose run op has returned */
	int64_t batch_ms;   /* quiet outcomes are taken at least this often */

	pthread_mutex_t mu; /* guards what follows */
	struct fp_engine_job *dropped, **dropped_tail;
	enum fp_stop stop;
	unsigned holds;

	atomic_bool wake_pending;
	struct fp_engine_job wake;

	/* main thread only */
	uint64_t delivered;
	uint64_t counts[FP_JOB_NSTATUS];
	bool joined;
};

/* How long an outcome may wait for the main thread, unless the config
 * says (see engine_run_job). */
#define ENGINE_BATCH_MS 10

static void engine_wake(struct fp_engine *e)
{
	if (atomic_exchange(&e->wake_pending, true))
		return;
	if (fp_chan_try_send(e->events, &e->wake) != FP_OK)
		atomic_store(&e->wake_pending, false);
}

/* ---- worker side ----------------------------------------------------- */

static void *engine_worker_init(void *udata, unsigned index)
{
	struct fp_engine *e = udata;

	return &e->workers[index];
}

static int engine_gate(void *udata, void *wctx, void *arg, int level)
{
	struct fp_engine *e = udata;
	struct fp_engine_worker *w = wctx;
	struct fp_engine_job *j = arg;

	/* Past the deadline nothing starts: the main thread is about to
	 * cancel, and a job it drops was never started. */
	if (e->deadline_at && fp_now_ms() >= e->deadline_at)
		return FP_SCHED_WAIT;
	return fp_slots_gate(e->slots, j->host, j, level, &w->permit);
}

static void engine_kick(void *arg)
{
	fp_sched_kick(arg);
}

static void engine_run_job(void *arg, struct fp_cancel *tok, void *wctx)
{
	struct fp_engine_job *j = arg;
	struct fp_engine_worker *w = wctx;
	struct fp_engine *e = w->engine;
	uint_fast64_t done;
	int rc;

	/* The gate handed a permit over with the job (w->permit). */
	e->cfg.ops->run(e->cfg.ctx, j, w, tok);
	fp_slots_refund(e->slots, &w->permit);
	fp_buf_reset(&w->body);
	j->kind = ENGINE_DONE;
	/* The main thread takes outcomes in batches (it polls every
	 * batch_ms): a wake-up per job would cost two context
	 * switches per small file. The last job wakes it at once, and so
	 * does every job under --fail-fast, whose failure must stop the
	 * rest now. */
	done = atomic_fetch_add(&e->finished, 1) + 1;
	if (!e->cfg.fail_fast && done < atomic_load(&e->submitted))
		rc = fp_chan_send_quiet(e->events, j);
	else
		rc = fp_chan_send(e->events, j);
	if (rc)
		abort(); /* closed only after every job is delivered */
}

/* On the cancelling thread, which may be the main one: never the
 * channel. */
static void engine_drop_job(void *arg)
{
	struct fp_engine_job *j = arg;
	struct fp_engine *e = j->engine;

	j->dropped = true;
	j->next = NULL;
	pthread_mutex_lock(&e->mu);
	*e->dropped_tail = j;
	e->dropped_tail = &j->next;
	pthread_mutex_unlock(&e->mu);
}

static void engine_drop_parked(void *job, void *arg)
{
	struct fp_engine *e = arg;

	engine_drop_job(job);
	engine_wake(e);
}

/* A parked job's host has room again (any thread, no lock held). */
static void engine_unpark(void *job, int level, void *arg)
{
	struct fp_engine *e = arg;

	if (fp_sched_requeue(e->sched, level, engine_run_job, engine_drop_job,
			     job) == FP_OK)
		return;
	engine_drop_parked(job, e); /* cancelled meanwhile */
}

/* ---- set-up ---------------------------------------------------------- */

int fp_engine_create(struct fp_engine **out,
		     const struct fp_engine_config *cfg)
{
	struct fp_sched_config sc = { 0 };
	struct fp_engine *e;
	unsigned i;
	int rc = FP_ENOMEM;

	*out = NULL;
	if (!cfg->ops || !cfg->ops->run || !cfg->ops->done ||
	    cfg->max_conc == 0 || cfg->max_conc > FP_POOL_MAX / 2)
		return FP_EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return FP_ENOMEM;
	e->cfg = *cfg;
	e->nworkers = cfg->workers ? cfg->workers : 2 * cfg->max_conc;
	pthread_mutex_init(&e->mu, NULL);
	e->dropped_tail = &e->dropped;
	e->wake.kind = ENGINE_WAKE;
	atomic_init(&e->rx, 0);
	atomic_init(&e->submitted, 0);
	atomic_init(&e->finished, 0);
	e->batch_ms = cfg->batch_ms > 0 ? cfg->batch_ms : ENGINE_BATCH_MS;
	atomic_init(&e->wake_pending, false);
	e->workers = calloc(e->nworkers, sizeof(*e->workers));
	if (!e->workers)
		goto fail;
	if (fp_share_create(&e->share) ||
	    fp_slots_create(&e->slots, cfg->max_conc, cfg->max_per_host,
			    e->share, &cfg->xfer) ||
	    fp_chan_create(&e->events, ENGINE_EVENTS, NULL))
		goto fail;
	if (cfg->delay_ms > 0 &&
	    fp_hostgate_create(&e->gate, cfg->delay_ms))
		goto fail;
	e->env.slots = e->slots;
	e->env.dirfd = cfg->dirfd;
	e->env.durable = cfg->durable;
	e->env.retries = cfg->retries;
	e->env.state = cfg->state;
	e->env.gate = e->gate;
	e->env.trace = cfg->trace;
	e->env.trace_ctx = cfg->trace_ctx;
	e->env.rx_bytes = &e->rx;
	for (i = 0; i < e->nworkers; i++) {
		e->workers[i].env = &e->env;
		e->workers[i].index = i;
		e->workers[i].engine = e;
		fp_buf_init(&e->workers[i].body, cfg->body_cap);
	}
	e->deadline_at = cfg->deadline_ms ? fp_now_ms() + cfg->deadline_ms
					  : 0;
	sc.workers = e->nworkers;
	sc.capacity = cfg->queue_cap ? cfg->queue_cap : 1;
	sc.flags = cfg->paused ? FP_SCHED_PAUSED : 0;
	sc.deadline_ms = e->deadline_at;
	sc.worker_init = engine_worker_init;
	sc.gate = engine_gate;
	sc.udata = e;
	rc = fp_sched_create(&e->sched, &sc);
	if (rc)
		goto fail;
	fp_slots_on_free(e->slots, engine_kick, e->sched);
	fp_slots_on_unpark(e->slots, engine_unpark, e);
	*out = e;
	return FP_OK;
fail:
	e->joined = true;
	fp_engine_destroy(e);
	return rc ? rc : FP_ENOMEM;
}

int fp_engine_submit(struct fp_engine *e, int level,
		     struct fp_engine_job *j)
{
	int rc;

	j->engine = e;
	j->next = NULL;
	j->dropped = false;
	j->level = level;
	j->host = j->url ? fp_url_host_key(j->url) : NULL;
	atomic_fetch_add(&e->submitted, 1);
	rc = fp_sched_add(e->sched, level, engine_run_job, engine_drop_job, j,
			  NULL);
	if (rc) {
		atomic_fetch_sub(&e->submitted, 1);
		free(j->host);
		j->host = NULL;
	}
	return rc;
}

void fp_engine_start(struct fp_engine *e)
{
	fp_sched_start(e->sched);
}

void fp_engine_hold(struct fp_engine *e)
{
	pthread_mutex_lock(&e->mu);
	e->holds++;
	pthread_mutex_unlock(&e->mu);
}

void fp_engine_release(struct fp_engine *e)
{
	pthread_mutex_lock(&e->mu);
	e->holds--;
	pthread_mutex_unlock(&e->mu);
	engine_wake(e);
}

void fp_engine_post(struct fp_engine *e, int kind, void *data)
{
	struct engine_event *ev = malloc(sizeof(*ev));

	if (!ev)
		abort(); /* a lost event would lose an outcome */
	ev->hdr.kind = ENGINE_EVENT;
	ev->kind = kind;
	ev->data = data;
	if (fp_chan_send(e->events, &ev->hdr))
		abort(); /* closed only after the run */
}

void fp_engine_count(struct fp_engine *e, enum fp_job_status st)
{
	e->counts[st]++;
}

void fp_engine_cancel(struct fp_engine *e, enum fp_stop why)
{
	pthread_mutex_lock(&e->mu);
	if (e->stop == FP_STOP_NONE)
		e->stop = why;
	pthread_mutex_unlock(&e->mu);
	fp_sched_cancel_all(e->sched);
	fp_slots_drop_parked(e->slots, engine_drop_parked, e);
	engine_wake(e);
}

/* ---- the main thread ------------------------------------------------- */

static void engine_deliver(struct fp_engine *e, struct fp_engine_job *j)
{
	bool fatal = false;
	enum fp_job_status st;

	free(j->host);
	j->host = NULL;
	st = e->cfg.ops->done(e->cfg.ctx, j, &fatal);

	e->delivered++;
	e->counts[st]++;
	if (st == FP_JOB_FAILED && fatal && e->cfg.fail_fast)
		fp_engine_cancel(e, FP_STOP_FAIL_FAST);
}

/* Deliver the jobs dropped so far; true when the run is over. */
static bool engine_settle(struct fp_engine *e)
{
	struct fp_engine_job *j;
	bool over;

	for (;;) {
		pthread_mutex_lock(&e->mu);
		j = e->dropped;
		if (j) {
			e->dropped = j->next;
			if (!e->dropped)
				e->dropped_tail = &e->dropped;
		}
		over = !j && e->holds == 0 &&
		       e->delivered == atomic_load(&e->submitted);
		pthread_mutex_unlock(&e->mu);
		if (!j)
			return over;
		engine_deliver(e, j);
	}
}

static void engine_stats(struct fp_engine *e, struct fp_engine_stats *st)
{
	pthread_mutex_lock(&e->mu);
	st->total_known = e->holds == 0;
	pthread_mutex_unlock(&e->mu);
	st->done = e->delivered;
	st->submitted = atomic_load(&e->submitted);
	st->rx_bytes = atomic_load_explicit(&e->rx, memory_order_relaxed);
	st->in_flight = fp_slots_in_flight(e->slots);
}

static int64_t engine_tick(struct fp_engine *e, int64_t now)
{
	struct fp_engine_stats st;

	if (!e->cfg.ops->tick)
		return -1;
	engine_stats(e, &st);
	return e->cfg.ops->tick(e->cfg.ctx, &st, now);
}

static void engine_take(struct fp_engine *e, struct fp_engine_job *m)
{
	struct engine_event *ev;

	switch (m->kind) {
	case ENGINE_DONE:
		engine_deliver(e, m);
		break;
	case ENGINE_WAKE:
		atomic_store(&e->wake_pending, false);
		break;
	case ENGINE_EVENT:
		ev = (struct engine_event *)m;
		if (e->cfg.ops->event)
			e->cfg.ops->event(e->cfg.ctx, ev->kind, ev->data);
		free(ev);
		break;
	}
}

void fp_engine_run(struct fp_engine *e)
{
	int64_t deadline = e->deadline_at ? e->deadline_at : -1;
	int64_t tick = engine_tick(e, fp_now_ms());

	for (;;) {
		int64_t until = deadline;
		/* Jobs parked behind a host's 429 pause come back here. */
		int64_t unpause = fp_slots_unpause_due(e->slots, fp_now_ms());
		void *item;
		int rc;

		if (unpause >= 0 && (until < 0 || unpause < until))
			until = unpause;
		/* Over only once the events before the last release are
		 * taken too: a producer posts them, then lets go. */
		if (engine_settle(e))
			until = 0;
		else if (tick >= 0 && (until < 0 || tick < until))
			until = tick;
		/* Outcomes sent quietly are taken at least this often. */
		if (until != 0) {
			int64_t poll = fp_now_ms() + e->batch_ms;

			if (until < 0 || poll < until)
				until = poll;
		}
		if (until >= 0)
			rc = fp_chan_recv_until(e->events, &item, until);
		else
			rc = fp_chan_recv(e->events, &item);
		if (rc == FP_OK)
			engine_take(e, item);
		else if (rc != FP_ETIMEDOUT || until == 0)
			break; /* nothing left (closed: cannot happen) */
		if (deadline >= 0 && fp_now_ms() >= deadline) {
			fp_engine_cancel(e, FP_STOP_DEADLINE);
			deadline = -1;
		}
		if (tick >= 0)
			tick = engine_tick(e, fp_now_ms());
	}
	fp_sched_close(e->sched);
	fp_sched_join(e->sched);
	e->joined = true;
	/* The workers' tokens carry the same deadline, so the jobs may all
	 * have ended on it before this thread's timer fired. */
	pthread_mutex_lock(&e->mu);
	if (e->stop == FP_STOP_NONE && e->deadline_at &&
	    e->counts[FP_JOB_CANCELLED] && fp_now_ms() >= e->deadline_at)
		e->stop = FP_STOP_DEADLINE;
	pthread_mutex_unlock(&e->mu);
}

enum fp_stop fp_engine_stop_reason(struct fp_engine *e)
{
	enum fp_stop why;

	pthread_mutex_lock(&e->mu);
	why = e->stop;
	pthread_mutex_unlock(&e->mu);
	return why;
}

uint64_t fp_engine_count_of(struct fp_engine *e, enum fp_job_status st)
{
	return e->counts[st];
}



void fp_engine_destroy(struct fp_engine *e)
{
	unsigned i;

	if (!e)
		return;
	if (e->sched) {
		if (!e->joined)
			fp_sched_shutdown(e->sched);
		fp_sched_destroy(e->sched);
	}
	for (i = 0; e->workers && i < e->nworkers; i++)
		fp_buf_free(&e->workers[i].body);
	free(e->workers);
	fp_chan_destroy(e->events);
	fp_hostgate_destroy(e->gate);
	fp_slots_destroy(e->slots);
	fp_share_destroy(e->share);
	pthread_mutex_destroy(&e->mu);
	free(e);
}
