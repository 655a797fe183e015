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

/* The transfer options for a worker's fp_xfer. */
void fp_run_xfer_config(const struct fp_opts *o, struct fp_xfer_config *c);

/* -v trace of every attempt (fp_fetch_trace_fn). CTX is a struct fp_out. */
void fp_run_trace(void *ctx, const struct fp_fetch_attempt *a);

/* Exit status for a finished run: signal first, then failures. */
int fp_run_exit_status(int any_failure);

int fp_cmd_books(struct fp_opts *o, struct fp_out *out);
int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out);

#endif
