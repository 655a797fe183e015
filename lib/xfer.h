/* One HTTP attempt on a reused libcurl easy handle.
 *
 * Each worker owns one fp_xfer for its whole life: the easy handle keeps its
 * connection alive between requests (N workers open about N connections to
 * a host), and the worker drives it through a private multi handle so that
 * a cancellation wakes it at once (curl_multi_wakeup) instead of at the next
 * progress callback. An fp_xfer is used by one thread at a time.
 *
 * Only http and https are allowed, for the first request and for redirects
 * (at most 10). The body of a 2xx answer goes to a sink; other bodies are
 * dropped. */
#ifndef FP_XFER_H
#define FP_XFER_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Most connections one transfer handle keeps open to reuse (one per
 * host). */
#define FP_XFER_MAX_CONNECTS 8

/* The config points at a shared budget; its users set one up. */
#include "ratelimit.h"

struct fp_xfer;
struct fp_share;
struct fp_cancel;

struct fp_xfer_config {
	const char *user_agent;
	int64_t timeout_ms;         /* whole attempt; 0 = none */
	int64_t connect_timeout_ms; /* TCP + TLS */
	int64_t stall_timeout_ms;   /* abort when nothing arrives this long */
	int insecure;           /* skip TLS verification */
	const char *cacert;     /* CA bundle or NULL for the system's */
	int64_t max_size;       /* largest body accepted; 0 = unlimited */
	/* Extra request headers for every request ("Name: value", checked
	 * with fp_header_problem()); a request's own header of the same
	 * name replaces one of these. */
	const char *const *headers;
	size_t nheaders;
	/* CURLOPT_PROXY / CURLOPT_NOPROXY, or NULL: then libcurl reads
	 * http_proxy, https_proxy, HTTPS_PROXY, ALL_PROXY, no_proxy and
	 * NO_PROXY itself, as curl does. */
	const char *proxy, *noproxy;
	/* Credentials from this netrc file (CURLOPT_NETRC_FILE, optional
	 * use), or NULL for none. Its permissions are the caller's to
	 * check. */
	const char *netrc_file;
	/* The run's budget of received bytes (--limit-rate), shared by
	 * every handle, or NULL. Waiting for it is not a stall; it is
	 * cancellable. */
	struct fp_ratelimit *ratelimit;
	/* Connections kept open for reuse (one per host), 1 ..
	 * FP_XFER_MAX_CONNECTS; 0: FP_XFER_MAX_CONNECTS. */
	unsigned max_connects;
};

struct fp_xfer_res;

/* Where a 2xx body goes. begin() is called once before the first byte,
 * with APPEND set when a 206 continues at the requested offset and clear
 * when the body starts at byte 0 (also for a 200 answer to a range request:
 * the sink must then start over), and RES holding the reply's head so far
 * (status, validators, content_length, accept_ranges). Both
 * return 0 or an fp_err; an error ends the attempt with the sink's failure.
 * FP_SINK_STOP instead ends it as a success with RES->stopped set: the
 * sink has what it wanted (the rest of the body is not read, and the
 * connection is closed). */
#define FP_SINK_STOP 1
struct fp_sink {
	int (*begin)(void *ctx, int append, const struct fp_xfer_res *res);
	int (*write)(void *ctx, const void *p, size_t len);
	void *ctx;
};

struct fp_xfer_req {
	const char *url;
	int64_t resume_from;       /* > 0: request bytes from this offset */
	int64_t range_end;         /* > 0: and up to this byte (inclusive) */
	const char *if_range;      /* validator guarding the resume, or NULL */
	time_t if_modified_since;  /* > 0: conditional on this time */
	const char *if_none_match; /* ETag for If-None-Match, or NULL */
	const char *const *headers; /* this request's extra headers */
	size_t nheaders;
};

enum fp_xfer_outcome {
	FP_XFER_DONE,      /* a whole HTTP answer arrived: see status */
	FP_XFER_NETWORK,   /* connect, DNS, reset, timeout, stall, truncation */
	FP_XFER_REFUSED,   /* bad URL, scheme, redirect, TLS: not worth retrying */
	FP_XFER_TOO_BIG,   /* body larger than max_size */
	FP_XFER_SINK,      /* the sink failed (disk full, I/O error) */
	FP_XFER_CANCELLED, /* the token fired or its deadline passed */
};

struct fp_xfer_res {
	enum fp_xfer_outcome outcome;
	int curl_code;      /* CURLcode of the attempt */
	int sink_err;       /* fp_err the sink returned, for FP_XFER_SINK */
	long status;        /* final HTTP status, 0 if none */
	char reason[64];    /* its reason phrase, e.g. "Not Found" */
	char error[320];    /* readable cause when outcome != DONE */
	char etag[256];     /* validators of the final answer ("" if none) */
	char last_modified[64];
	char retry_after[64];
	time_t mtime;       /* Last-Modified parsed, or -1 */
	int64_t content_length; /* -1 if unknown */
	int accept_ranges;      /* "Accept-Ranges: bytes" was sent */
	int stopped;            /* the sink stopped the body (FP_SINK_STOP) */
	int64_t bytes;      /* body bytes handed to the sink */
	int appended;       /* the body continued a resume (206) */
	long connects;      /* new connections this attempt opened */
	long os_errno;      /* socket errno of a failed attempt, 0 if none */
	double t_dns, t_connect, t_tls, t_first, t_total; /* seconds */
};

/* Make a transfer handle for one worker. SH may be NULL. The config is
 * copied (strings and the header list too; the rate limiter is shared,
 * not copied, and must outlive the handle). FP_OK and *out, or
 * FP_ENOMEM. */
int fp_xfer_create(struct fp_xfer **out, struct fp_share *sh,
		   const struct fp_xfer_config *cfg);

/* Perform one attempt. Always fills *res; returns FP_OK when outcome is
 * FP_XFER_DONE (whatever the HTTP status), else a negative fp_err. TOK may
 * be NULL; when it fires or its deadline passes the attempt ends within
 * milliseconds with FP_XFER_CANCELLED. */
int fp_xfer_perform(struct fp_xfer *x, const struct fp_xfer_req *req,
		    const struct fp_sink *sink, struct fp_cancel *tok,
		    struct fp_xfer_res *res);

/* Free the handle (closes its connections). NULL ok. */
void fp_xfer_destroy(struct fp_xfer *x);

#endif
