/* The JSON run report, `--report FILE` (doc/DESIGN.md, "Report"):
 *
 *   {"version":1,"started":"2026-01-02T03:04:05Z","jobs":[
 *   {"line":1,"source":...,"url":...,"title":...,"path":...,
 *    "status":"ok","http_status":200,"bytes":N,"attempts":1,
 *    "elapsed_ms":N,"error":null},
 *   ...
 *   ],"elapsed_ms":N,"finished":"...","totals":{"jobs":N,"ok":N,
 *   "up_to_date":N,"failed":N,"cancelled":N,"invalid":N,"bytes":N,
 *   "attempts":N,"retries":N}}
 *
 * Memory stays bounded however many jobs there are: each job is printed
 * (by cJSON, one object per line) and appended to FILE.tmp as it
 * completes, and only the totals are kept. fp_report_finish() appends the
 * closing members, fsyncs and renames FILE.tmp to FILE, so FILE appears
 * whole or not at all; a report freed without finishing removes FILE.tmp.
 *
 * Strings are sanitised before printing: invalid UTF-8 becomes U+FFFD and
 * control characters are escaped by cJSON, so the report is valid JSON
 * (and valid UTF-8) whatever titles, URLs and error texts hold.
 *
 * Thread safety: fp_report_add() may be called from any number of threads
 * at once (the JSON is built outside the lock; the append is under a
 * mutex). open, finish and free belong to one thread, and no add may run
 * concurrently with or after finish/free. */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include <stdint.h>

enum fp_report_status {
	FP_REPORT_OK,         /* "ok": downloaded */
	FP_REPORT_UP_TO_DATE, /* "up_to_date": 304, file untouched */
	FP_REPORT_FAILED,     /* "failed" */
	FP_REPORT_CANCELLED,  /* "cancelled": deadline, fail-fast, signal */
	FP_REPORT_INVALID,    /* "invalid": an input line that was skipped */
	FP_REPORT_STATUS_COUNT
};

/* One finished job, as the caller knows it. Strings are borrowed for the
 * duration of fp_report_add() only; NULL becomes JSON null. Numbers that
 * are not known: line <= 0 and http_status <= 0 become null. */
struct fp_report_job {
	long line;           /* line in the list file */
	const char *source;  /* the URL or ebook ID as written */
	const char *url;     /* what was requested */
	const char *title;
	const char *path;    /* where the file went (or would have) */
	enum fp_report_status status;
	long http_status;    /* last HTTP status */
	int64_t bytes;       /* body bytes received (this run) */
	unsigned attempts;   /* requests made, retries included */
	int64_t elapsed_ms;
	const char *error;   /* NULL when none */
};

struct fp_report;

/* Start a report for FILE: creates FILE.tmp (a stale one, or a symlink
 * planted there, is removed first; the new one is created exclusively,
 * mode 0644 before umask) and writes the header with "started" = now.
 * Returns FP_OK and *out; FP_EINVAL for a NULL or empty path; FP_EIO with
 * errno set when FILE.tmp cannot be created (missing directory, no
 * permission): the CLI reports that before fetching anything; FP_ENOMEM.
 * *out is NULL on failure. FILE itself is not touched until finish. */
int fp_report_open(struct fp_report **out, const char *path);

/* Append one job. Returns FP_OK; FP_EINVAL for a bad status or after
 * finish; FP_ENOMEM; FP_EIO when writing failed (sticky: the error is
 * reported again by fp_report_finish(), which then does not publish).
 * Thread-safe. */
int fp_report_add(struct fp_report *r, const struct fp_report_job *job);

/* Close the jobs array, add elapsed_ms, finished and totals, flush, fsync
 * and rename FILE.tmp to FILE (replacing an older report). Returns FP_OK;
 * FP_EINVAL when already finished; FP_EIO with errno set if any write,
 * the fsync or the rename failed, in which case FILE.tmp is removed and
 * FILE left as it was. Call fp_report_free() afterwards in every case. */
int fp_report_finish(struct fp_report *r);

/* Free the report. If it was not finished successfully, FILE.tmp is
 * removed (an aborted run leaves no half report behind). NULL is fine. */
void fp_report_free(struct fp_report *r);

/* Count of jobs added with the given status so far (0 for a bad status).
 * Thread-safe. */
uint64_t fp_report_count(struct fp_report *r, enum fp_report_status st);

/* "ok", "up_to_date", "failed", "cancelled", "invalid"; NULL for a value
 * out of range. */
const char *fp_report_status_name(enum fp_report_status st);

#endif
