/* What every command does the same way around the engine: the engine set
 * up from the options, the -v trace, the progress line, the hook that lets
 * the signal thread cancel whatever runs now, the stop note and the exit
 * status. A command embeds struct fp_run as the first member of its own
 * run, so the engine's tick can be shared. */
#ifndef FP_CMD_RUN_H
#define FP_CMD_RUN_H
#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "exit.h"
#include "fetchpool.h"
#include "options.h"
#include "output.h"

/* Shared between the main thread and the signal thread. */
struct fp_runctl {
	pthread_mutex_t mu;
	struct fp_engine *engine; /* live engine, or NULL */
	atomic_int signo;         /* first SIGINT/SIGTERM, or 0 */
};

extern struct fp_runctl fp_runctl;

/* On the signal thread: record the first signal, cancel the live run. */
void fp_runctl_signal(int signo);

/* What the -v trace needs: where to print and how many attempts a job
 * may take (1 + --retries). */
struct fp_run_tracer {
	struct fp_out *out;
	unsigned max_attempts;
};

/* The part of a command's run that is the same for every command. */
struct fp_run {
	struct fp_opts *o;
	struct fp_out *out;
	struct fp_engine *engine;
	struct fp_run_tracer tracer;
};

/* The engine configuration every command shares, from the options: -j,
 * --deadline, --fail-fast, --delay, --retries, -v, the transfer options.
 * The command then sets its own parts (ops, ctx, queue, body cap, ...). */
void fp_run_engine_config(struct fp_run *r, struct fp_engine_config *c);

/* Start the progress line (counting UNIT: "files", "requests"), then the
 * engine, and let signals reach it. FP_OK or an fp_err (nothing left to
 * undo but fp_run_end()). */
int fp_run_start(struct fp_run *r, const struct fp_engine_config *c,
		 const char *unit);

/* The engine's tick for every command (CTX is a struct fp_run, or a
 * command run whose first member is one): feeds the progress line. */
int64_t fp_run_tick(void *ctx, const struct fp_engine_stats *st,
		    int64_t now);

/* After the engine's run: stop the signal hook and erase the progress
 * line (before the summary). The engine stays for its counters; the
 * command frees it. Idempotent. */
void fp_run_end(struct fp_run *r);

/* -v trace of every attempt (fp_fetch_trace_fn), on a worker thread. CTX
 * is a struct fp_run_tracer. One line per attempt:
 *   GET URL -> 200 OK, attempt 1/4: dns 0.001s connect 0.002s tls 0.000s
 *   first-byte 0.010s total 0.020s, 1234 bytes
 * ("no answer" instead of the status, and the cause in parentheses at the
 * end, when the attempt failed below HTTP), then, before a retry:
 *   retry URL in 1.5s: REASON */
void fp_run_trace(void *ctx, const struct fp_fetch_attempt *a);

/* mkdir -p PATH; what is made gets MODE (less the umask). 0, or -1 with
 * errno set. */
int fp_run_mkdirs(const char *path, mode_t mode);

/* Why the run ended early, for a summary line ("" if it did not):
 * "; deadline reached", "; stopped by --fail-fast", "; interrupted". */
const char *fp_run_stop_note(struct fp_run *r);

/* --shard K/N: whether the job named KEY (the URL or ID as written, the
 * country code for gdp) belongs to this shard: FNV-1a 64 of KEY modulo N
 * is K. Stable across runs, machines and versions. Always 1 without
 * --shard. */
int fp_run_shard_keeps(const struct fp_opts *o, const char *key);

/* Exit status for a finished run: signal first, then failures. */
int fp_run_exit_status(int any_failure);


#endif
