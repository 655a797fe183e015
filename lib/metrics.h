/* Run metrics for monitoring, `--metrics FILE`: the Prometheus text
 * exposition format, as node_exporter's textfile collector reads it
 * (FILE in its directory, named *.prom). Every series carries the label
 * command="books" or "gdp":
 *
 *   fetchpool_jobs{command,status}        gauge: jobs of the last run by
 *                                         final status (ok, up_to_date,
 *                                         failed, cancelled, invalid)
 *   fetchpool_bytes_total                 counter: body bytes received
 *   fetchpool_requests_total              counter: HTTP requests of the
 *                                         jobs, retries included
 *   fetchpool_retries_total               counter: requests after a job's
 *                                         first
 *   fetchpool_run_duration_seconds        gauge
 *   fetchpool_last_run_timestamp_seconds  gauge: when the run ended (Unix)
 *   fetchpool_last_run_exit_code          gauge
 *
 * The counters count one run (the file is replaced by the next): a rate
 * over them is meaningless, their values and the timestamp are not.
 * Requests, retries and bytes are those of the --report totals.
 *
 * Thread safety: a struct fp_metrics belongs to one thread. */
#ifndef FP_METRICS_H
#define FP_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"

struct fp_fetch_result;

struct fp_metrics {
	const char *command;             /* label value: "books", "gdp" */
	uint64_t jobs[FP_JOB_NSTATUS];   /* by enum fp_job_status */
	int64_t bytes;
	uint64_t requests, retries;
	int64_t started_ms;              /* monotonic, fp_now_ms() */
	int64_t duration_ms;             /* set by fp_metrics_finish() */
	double timestamp;                /* Unix seconds, ditto */
	int exit_code;
};

/* Zero m and start its clock. command is borrowed (a static string). */
void fp_metrics_start(struct fp_metrics *m, const char *command);

/* Count one finished job's requests, retries and bytes. */
void fp_metrics_add_result(struct fp_metrics *m,
			   const struct fp_fetch_result *res);

/* After the engine's run: its jobs per status (e NULL: none ran). */
void fp_metrics_take_jobs(struct fp_metrics *m, struct fp_engine *e);

/* At the end: the duration, the wall-clock time and the exit code. */
void fp_metrics_finish(struct fp_metrics *m, int exit_code);

/* Print m in the text format to f. Returns FP_OK or FP_EIO. */
int fp_metrics_print(const struct fp_metrics *m, FILE *f);

/* Write m to path atomically: a hidden temporary file in the same
 * directory (".NAME.XXXXXX", which the collector's *.prom glob skips),
 * mode 0644 so that the collector's user can read it, fsynced when
 * durable, renamed to path. Returns FP_OK, or FP_EIO with errno set (path
 * untouched, the temporary file removed); FP_ENOMEM. */
int fp_metrics_write(const struct fp_metrics *m, const char *path,
		     int durable);

#endif
