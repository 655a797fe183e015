/* What the subcommands share: the transfer set-up made from the options,
 * and the hook that lets the signal thread cancel whatever runs now. */
#ifndef FP_CMD_RUN_H
#define FP_CMD_RUN_H
#include <pthread.h>
#include <stdatomic.h>

#include "fetchpool.h"
#include "options.h"
#include "output.h"

/* Why a run stopped early. */
enum fp_stop {
	FP_STOP_NONE,
	FP_STOP_SIGNAL,
	FP_STOP_DEADLINE,
	FP_STOP_FAIL_FAST,
};

/* Shared between the main thread and the signal thread. */
struct fp_runctl {
	pthread_mutex_t mu;
	struct fp_sched *sched; /* live scheduler, or NULL */
	atomic_int signo;       /* first SIGINT/SIGTERM, or 0 */
};

extern struct fp_runctl fp_runctl;

/* Register / unregister the scheduler the signal thread should cancel. A
 * signal that arrived before registration cancels at registration. */
void fp_runctl_attach(struct fp_sched *s);
void fp_runctl_detach(void);

/* What each worker of either command owns for its life: its transfer
 * handle (which keeps its connection) and a capped body buffer. */
struct fp_run_worker {
	struct fp_xfer *x;
	struct fp_buf body;
};

/* NULL when out of memory (the worker then fails its jobs). */
struct fp_run_worker *fp_run_worker_new(struct fp_share *sh,
					const struct fp_xfer_config *c,
					size_t body_cap);
void fp_run_worker_free(struct fp_run_worker *w);

/* The transfer options for a worker's fp_xfer. */
void fp_run_xfer_config(const struct fp_opts *o, struct fp_xfer_config *c);

/* What the -v trace needs: where to print and how many attempts a job
 * may take (1 + --retries). */
struct fp_run_tracer {
	struct fp_out *out;
	unsigned max_attempts;
};

void fp_run_tracer_init(struct fp_run_tracer *t, const struct fp_opts *o,
			struct fp_out *out);

/* -v trace of every attempt (fp_fetch_trace_fn), on a worker thread. CTX
 * is a struct fp_run_tracer. One line per attempt:
 *   GET URL -> 200 OK, attempt 1/4: dns 0.001s connect 0.002s tls 0.000s
 *   first-byte 0.010s total 0.020s, 1234 bytes
 * ("no answer" instead of the status, and the cause in parentheses at the
 * end, when the attempt failed below HTTP), then, before a retry:
 *   retry URL in 1.5s: REASON */
void fp_run_trace(void *ctx, const struct fp_fetch_attempt *a);

/* Start progress output for a run that counts UNIT ("files", "requests")
 * with requests in flight bounded by SEM: picks the mode from the options,
 * stderr and the environment (TERM, NO_COLOR) and sets out->progress (NULL
 * when off). Call before any worker starts. FP_OK or FP_ENOMEM. */
int fp_run_progress_start(const struct fp_opts *o, struct fp_out *out,
			  struct fp_sem *sem, const char *unit);

/* Erase the status line and free it; call after every worker is joined. */
void fp_run_progress_stop(struct fp_out *out);

/* --shard K/N: whether the job named KEY (the URL or ID as written, the
 * country code for gdp) belongs to this shard: FNV-1a 64 of KEY modulo N
 * is K. Stable across runs, machines and versions. Always 1 without
 * --shard. */
int fp_run_shard_keeps(const struct fp_opts *o, const char *key);

/* Exit status for a finished run: signal first, then failures. */
int fp_run_exit_status(int any_failure);

int fp_cmd_books(struct fp_opts *o, struct fp_out *out);
int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out);

#endif
