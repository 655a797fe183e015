/* One job's fetch with retries: the policy layer over fp_xfer.
 *
 * fp_fetch_file() downloads a URL to NAME in the output directory through
 * NAME.part (resumed when present, conditional when NAME exists) and
 * publishes it only when whole and, if asked, matching its SHA-256.
 * fp_fetch_mem() fetches a URL into a capped memory buffer (API bodies).
 *
 * Both hold one request slot (a permit and a transfer handle, slots.h)
 * exactly while a request is in flight, never while waiting to retry or
 * for the host's --delay; both classify failures through retry.h and count
 * attempts. They run on a worker thread with that worker's permit (which
 * may hold a permit handed over with the job); the environment is shared
 * and read-only (the state file locks itself). */
#ifndef FP_FETCH_H
#define FP_FETCH_H
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "xfer.h"

struct fp_slots;
struct fp_permit;
struct fp_cancel;
struct fp_statefile;
struct fp_hostgate;

/* Called after every attempt (for -v); on a worker thread. */
struct fp_fetch_attempt {
	const char *url; /* redacted when it held credentials */
	unsigned attempt;
	const struct fp_xfer_res *res;
	int64_t wait_ms; /* the wait before the next attempt, or -1 if none */
	const char *why; /* the reason for that wait, or NULL */
};
typedef void fp_fetch_trace_fn(void *ctx, const struct fp_fetch_attempt *a);

struct fp_fetch_env {
	struct fp_slots *slots;      /* bounds requests in flight */
	int dirfd;                   /* output directory (files only) */
	int durable;                 /* --fsync */
	unsigned retries;            /* extra attempts for transient failures */
	struct fp_statefile *state;  /* validators between runs, or NULL */
	struct fp_hostgate *gate;    /* --delay per host, or NULL */
	fp_fetch_trace_fn *trace;    /* or NULL */
	void *trace_ctx;
	_Atomic int64_t *rx_bytes;   /* body bytes as they arrive, or NULL */
};

enum fp_fetch_status {
	FP_FETCH_OK,
	FP_FETCH_UP_TO_DATE,
	FP_FETCH_FAILED,
	FP_FETCH_CANCELLED,
};

/* Most URLs one job may list (mirrors, fallback names). */
#define FP_FETCH_MAX_URLS 16

struct fp_fetch_result {
	enum fp_fetch_status status;
	unsigned url_index; /* which of the job's URLs answered last */
	int permanent;      /* FAILED: not worth retrying (for --fail-fast) */
	long http_status;   /* last HTTP status seen, 0 if none */
	int64_t bytes;      /* body bytes received over all attempts */
	unsigned attempts;
	char error[1024];   /* FAILED/CANCELLED: the reason */
};

struct fp_fetch_file_req {
	const char *url;
	const char *display_url; /* for messages (credentials removed) */
	/* Several URLs of the same file, tried in order (nurls > 0; then url
	 * and display_url are not used; at most FP_FETCH_MAX_URLS): after a
	 * failure a job moves on to the next URL at once, and comes back to
	 * the first after a backoff; each URL gets (retries + 1) attempts, and
	 * one that answered 404 or 410 none more. A .part moves between URLs
	 * under its If-Range validator: a URL whose file differs sends it
	 * whole (never a splice). */
	const char *const *urls, *const *display_urls;
	size_t nurls;
	/* The URLs are other names of the file on one server (Gutenberg's
	 * fallback names), not mirrors: only a 404 or 410 moves on; other
	 * failures are retried on the same URL. */
	bool other_names;
	const char *name;        /* final file name in env->dirfd */
	/* Ranged parts fetched at once (split.h): a body of known length,
	 * at least 2 x MIN_SPLIT_SIZE, from a server that accepts ranges and
	 * gives a validator, goes as up to SPLIT (1..FP_SPLIT_MAX) ranges.
	 * 0 or 1: one request. */
	unsigned split;
	int64_t min_split_size;
	const unsigned char *sha256; /* 32 bytes to verify, or NULL */
	/* This job's extra request headers (list key header=), checked
	 * with fp_header_problem(), or none; they replace -H headers of
	 * the same name. */
	const char *const *headers;
	size_t nheaders;
	/* Called once, on the worker, when the first 2xx body of the job
	 * starts (not for 304 or errors); may be NULL. */
	void (*on_body)(void *ctx);
	void *on_body_ctx;
	/* Optional: what to publish instead of the raw body. Called on the
	 * worker once the body is whole (and matches sha256), with RAW_FD
	 * open on NAME.part and OUT_FD on a new NAME.strip.tmp; it writes
	 * OUT_FD and returns FP_OK, or an fp_err with ERR filled (the job
	 * then fails permanently, NAME.part stays). NAME.part keeps the raw
	 * body until then, so resume, validators and sha256 apply to the
	 * raw bytes; NAME.strip.tmp then becomes NAME (its time the body's
	 * Last-Modified, like any published file) and NAME.part is removed.
	 * NULL: NAME.part itself becomes NAME. */
	int (*transform)(void *ctx, int raw_fd, int out_fd, char *err,
			 size_t errlen);
	void *transform_ctx;
};

/* Download to disk. Always fills *out. Thread-safe given distinct
 * PERMITs and distinct names. */
void fp_fetch_file(const struct fp_fetch_env *env, struct fp_permit *permit,
		   const struct fp_fetch_file_req *req, struct fp_cancel *tok,
		   struct fp_fetch_result *out);

/* Fetch into BODY (initialised by the caller with its cap; reset on each
 * attempt). Only a 200 answer is a success; the body is NUL-terminated. */
void fp_fetch_mem(const struct fp_fetch_env *env, struct fp_permit *permit,
		  const char *url, struct fp_buf *body, struct fp_cancel *tok,
		  struct fp_fetch_result *out);

/* fp_fetch_mem() over N mirrors of one resource (URLS, at most
 * FP_FETCH_MAX_URLS), as fp_fetch_file_req's urls. */
void fp_fetch_mem_any(const struct fp_fetch_env *env,
		      struct fp_permit *permit, const char *const *urls,
		      size_t n, struct fp_buf *body, struct fp_cancel *tok,
		      struct fp_fetch_result *out);

#endif
