/* Scheduler: a bounded, priority-ordered job queue in front of a pool of
 * worker threads.
 *
 * Jobs have 5 priority levels (1 highest, FP_PRIO_DEFAULT = 3) and run FIFO
 * within a level. Each running job gets a cancellation token; cancelling a
 * queued job removes it (its drop callback runs), cancelling a running job
 * fires its token and the job is expected to return soon.
 *
 * Lifetime: create -> add... -> close (graceful: queued jobs still run) or
 * cancel_all (immediate: queued jobs dropped, running tokens fired) -> join
 * -> destroy. fp_sched_shutdown() is cancel_all + join. No thread outlives
 * join.
 *
 * Callbacks: run() is called on a worker thread without any scheduler lock
 * held and may call fp_sched_add/cancel/reschedule (not join/shutdown).
 * drop() runs on the thread that removed the job, also without locks.
 *
 * All functions are thread-safe unless noted. */
#ifndef FP_SCHED_H
#define FP_SCHED_H
#include <stddef.h>
#include <stdint.h>

#include "prioq.h"

struct fp_sched;
struct fp_cancel;

typedef void fp_sched_run_fn(void *arg, struct fp_cancel *tok, void *wctx);
typedef void fp_sched_drop_fn(void *arg);

enum fp_sched_flags {
	/* Queue jobs but dispatch none until fp_sched_start() or close. */
	FP_SCHED_PAUSED = 1 << 0,
	/* A level's jobs start only when no job of a higher level runs, so
	 * each level finishes before the next begins. */
	FP_SCHED_LEVEL_BARRIER = 1 << 1,
};

#define FP_SCHED_MAX_WORKERS FP_POOL_MAX

struct fp_sched_config {
	unsigned workers;  /* 1..FP_SCHED_MAX_WORKERS */
	size_t capacity;   /* most queued jobs; fp_sched_add blocks beyond */
	unsigned flags;    /* enum fp_sched_flags */
	int64_t deadline_ms; /* monotonic deadline for every token; 0 none */
	/* Per-worker context, made on the worker thread before its first job
	 * and released after its last (both may be NULL). */
	void *(*worker_init)(void *udata, unsigned index);
	void (*worker_fini)(void *udata, void *wctx);
	/* Optional: called under the scheduler's lock when the worker with
	 * context WCTX is about to take the job ARG queued at LEVEL:
	 * FP_SCHED_GO lets it go (whatever the gate took, a request permit,
	 * goes with it); FP_SCHED_WAIT leaves it queued and the worker waits
	 * for fp_sched_kick(); FP_SCHED_PARKED means the gate kept the job
	 * (its host has no room): the scheduler forgets it, still counts it
	 * against the capacity and keeps its workers for it, and looks at
	 * the next job. The gate gives it back with fp_sched_requeue(). Must
	 * not block or call the scheduler. */
	int (*gate)(void *udata, void *wctx, void *arg, int level);
	void *udata;
};

enum { FP_SCHED_WAIT = 0, FP_SCHED_GO = 1, FP_SCHED_PARKED = 2 };

/* Create the scheduler and start its workers. FP_OK and *out, or
 * FP_EINVAL, FP_ENOMEM, FP_ETHREAD (*out NULL). */
int fp_sched_create(struct fp_sched **out, const struct fp_sched_config *cfg);

/* Queue a job at LEVEL (1..5). Blocks while the queue is full. FP_OK and
 * *id (may be NULL; ids start at 1 and are never reused), FP_EINVAL for a
 * bad level, or FP_ECLOSED after close/cancel_all; on failure the job was
 * not taken and neither callback will run. DROP may be NULL. */
int fp_sched_add(struct fp_sched *s, int level, fp_sched_run_fn *run,
		 fp_sched_drop_fn *drop, void *arg, uint64_t *id);

/* Give back a job the gate parked, at the head of LEVEL (where it was).
 * Never blocks. FP_OK, FP_ENOMEM, or FP_ECLOSED after cancel_all (the job
 * stays the caller's: it never ran). */
int fp_sched_requeue(struct fp_sched *s, int level, fp_sched_run_fn *run,
		     fp_sched_drop_fn *drop, void *arg);

/* The gate has one more thing to hand over (a permit was given back):
 * wake one waiting worker to ask it again. */
void fp_sched_kick(struct fp_sched *s);

/* Let a FP_SCHED_PAUSED scheduler dispatch. Idempotent. */
void fp_sched_start(struct fp_sched *s);

/* Cancel job ID. FP_OK: it was queued, is removed, and its drop callback
 * has run. FP_EBUSY: it is running; its token has fired. FP_ENOENT: unknown
 * or already finished. */
int fp_sched_cancel(struct fp_sched *s, uint64_t id);

/* Move queued job ID to the tail of LEVEL. FP_OK, FP_EBUSY (running),
 * FP_ENOENT, or FP_EINVAL (bad level). */
int fp_sched_reschedule(struct fp_sched *s, uint64_t id, int level);

/* Graceful end of input: further adds fail, queued jobs still run, then
 * the workers exit. Also starts a paused scheduler. Idempotent. */
void fp_sched_close(struct fp_sched *s);

/* Immediate stop: close, drop every queued job (drop callbacks run on this
 * thread), fire the tokens of running jobs. Idempotent. */
void fp_sched_cancel_all(struct fp_sched *s);

/* Block until nothing is queued or running (jobs may still be added). */
void fp_sched_wait_idle(struct fp_sched *s);

/* Counts right now (snapshots). */
size_t fp_sched_queued(struct fp_sched *s);
unsigned fp_sched_running(struct fp_sched *s);

/* Join every worker. Call once, after close or cancel_all, from a thread
 * outside the scheduler; it returns when every job has finished. */
void fp_sched_join(struct fp_sched *s);

/* cancel_all + join. */
void fp_sched_shutdown(struct fp_sched *s);

/* Free a joined scheduler. NULL is fine. */
void fp_sched_destroy(struct fp_sched *s);

#endif
