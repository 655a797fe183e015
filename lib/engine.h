/* The batch engine every command runs on.
 *
 *   producer(s) --submit--> [scheduler: 5 levels] --> workers (about 2 x -j)
 *                                                       | request slots (-j)
 *                                                       v
 *   main thread: fp_engine_run() <-- [event channel, bounded] <-- workers
 *
 * A command supplies "run one job" (on a worker thread) and "a job is
 * done" / "an event arrived" (on the thread in fp_engine_run()). The engine
 * owns the scheduler, the worker pool, the request slots, the share handle,
 * the --delay gate, the event channel, the deadline, --fail-fast, cancel-all
 * (also from the signal thread), progress ticks and the counters of jobs by
 * status. See doc/DESIGN.md, "The engine".
 *
 * Jobs: a command embeds a struct fp_engine_job in its own job and submits
 * it. After the job's run() returns, the engine delivers it to done() on
 * the main thread; a job removed from the queue by a cancellation is
 * delivered to done() too, with fp_engine_job_dropped() true. Dropped jobs
 * never pass through the bounded channel (its only reader may be the
 * thread that cancels): they wait on a list, and the main thread takes them
 * after the events before them. Every submitted job reaches done() exactly
 * once.
 *
 * The run ends when no job is outstanding and nothing holds the engine
 * open: a producer that submits from its own thread takes a hold first and
 * releases it when its input ends.
 *
 * Lifetime: create -> (submit, hold/release, post)* -> run -> destroy. */
#ifndef FP_ENGINE_H
#define FP_ENGINE_H
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "fetch.h"
#include "slots.h"
#include "xfer.h"

struct fp_engine;
struct fp_cancel;
struct fp_statefile;

/* How a job ended, as counted for the summary and the exit status. */
enum fp_job_status {
	FP_JOB_OK,
	FP_JOB_UP_TO_DATE,
	FP_JOB_FAILED,
	FP_JOB_CANCELLED,
	FP_JOB_INVALID,
	FP_JOB_NSTATUS
};

/* Why a run stopped early. */
enum fp_stop {
	FP_STOP_NONE,
	FP_STOP_SIGNAL,
	FP_STOP_DEADLINE,
	FP_STOP_FAIL_FAST,
};

/* Embedded in a command's job; the fields are the engine's. */
struct fp_engine_job {
	/* Set by the command before submit: the URL of the job's first
	 * request (its host gets --max-per-host and 429 pauses), or NULL. */
	const char *url;
	/* The engine's. */
	struct fp_engine *engine;
	struct fp_engine_job *next;
	char *host;
	int kind, level;
	bool dropped;
};

static inline bool fp_engine_job_dropped(const struct fp_engine_job *j)
{
	return j->dropped;
}

/* What a worker lends the job it runs. */
struct fp_engine_worker {
	const struct fp_fetch_env *env; /* pass to fp_fetch_file/mem */
	struct fp_permit permit;        /* pass to fp_fetch_file/mem */
	struct fp_buf body;             /* capped scratch body, reset after */
	unsigned index;
	struct fp_engine *engine;       /* private */
};

/* A snapshot for the progress line. */
struct fp_engine_stats {
	uint64_t done;       /* jobs delivered to done() */
	uint64_t submitted;  /* jobs submitted so far */
	bool total_known;    /* no hold: submitted is final */
	int64_t rx_bytes;    /* body bytes received so far */
	unsigned in_flight;  /* requests on the wire now */
};

struct fp_engine_ops {
	/* Worker thread: do the job. TOK fires on cancellation. */
	void (*run)(void *ctx, struct fp_engine_job *j,
		    struct fp_engine_worker *w, struct fp_cancel *tok);
	/* Main thread: the job ran or was dropped; its memory is the
	 * command's again. Returns the status to count; FATAL (set it to
	 * true) makes a FP_JOB_FAILED stop the run under --fail-fast. */
	enum fp_job_status (*done)(void *ctx, struct fp_engine_job *j,
				   bool *fatal);
	/* Main thread: an event posted with fp_engine_post(). */
	void (*event)(void *ctx, int kind, void *data);
	/* Main thread, may be NULL: called after events and when its last
	 * answer (a monotonic ms) is due; returns the next time it wants
	 * to be called, or -1. For progress lines. */
	int64_t (*tick)(void *ctx, const struct fp_engine_stats *st,
			int64_t now);
};

struct fp_engine_config {
	unsigned max_conc;     /* request slots: -j (1..1024) */
	unsigned max_per_host; /* requests in flight to one host; 0: -j */
	unsigned workers;      /* 0: 2 x max_conc */
	size_t queue_cap;      /* jobs queued before submit blocks */
	bool paused;           /* dispatch nothing before fp_engine_start */
	int64_t deadline_ms;   /* relative to create; 0: none */
	bool fail_fast;
	/* How long an outcome may wait before the main thread takes it (it
	 * takes them in batches); 0: 10 ms. */
	int64_t batch_ms;
	int64_t delay_ms;      /* --delay per host; 0: none */
	unsigned retries;
	int dirfd;             /* output directory, or -1 */
	bool durable;          /* --fsync */
	struct fp_statefile *state;   /* or NULL */
	fp_fetch_trace_fn *trace;     /* -v, or NULL */
	void *trace_ctx;
	struct fp_xfer_config xfer;
	size_t body_cap;       /* each worker's scratch body */
	const struct fp_engine_ops *ops;
	void *ctx;
};

/* Start the workers. FP_OK and *out, or an fp_err (*out NULL). */
int fp_engine_create(struct fp_engine **out,
		     const struct fp_engine_config *cfg);

/* Queue J at LEVEL (1..5); blocks while the queue is full. Any thread,
 * also done() and event(). FP_OK, or FP_ECLOSED after a cancellation (J
 * stays the caller's and will not reach done()). */
int fp_engine_submit(struct fp_engine *e, int level,
		     struct fp_engine_job *j);

/* Let a paused engine dispatch (a short input is queued whole first, so
 * that it runs in exact priority order). Idempotent. */
void fp_engine_start(struct fp_engine *e);

/* Keep the run open while a producer may still submit / let it end. */
void fp_engine_hold(struct fp_engine *e);
void fp_engine_release(struct fp_engine *e);

/* Post an event (KIND >= 0) to event() on the main thread. Any thread but
 * the main one; blocks while the channel is full. */
void fp_engine_post(struct fp_engine *e, int kind, void *data);

/* Count an outcome that is not a job (an invalid input line). Main
 * thread. */
void fp_engine_count(struct fp_engine *e, enum fp_job_status st);

/* Stop: drop every queued job, cancel the running ones, refuse further
 * submits. The first reason is kept. Any thread, also a signal thread. */
void fp_engine_cancel(struct fp_engine *e, enum fp_stop why);

/* Deliver events until every job is done and nothing holds the engine,
 * then join the workers. Call once, on the main thread. */
void fp_engine_run(struct fp_engine *e);

/* After the run. */
enum fp_stop fp_engine_stop_reason(struct fp_engine *e);
uint64_t fp_engine_count_of(struct fp_engine *e, enum fp_job_status st);

/* Free. The engine must have run, or never have had a job submitted. */
void fp_engine_destroy(struct fp_engine *e);

#endif
