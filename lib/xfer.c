#include "xfer.h"
#include "cancel.h"
#include "error.h"
#include "url.h"
#include "retry.h"
#include "share.h"
#include "timeutil.h"

#include <curl/curl.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Large reads cut the per-call overhead on big files. */
#define XFER_BUFFER_SIZE (256 * 1024)

struct fp_xfer {
	CURL *easy;
	CURLM *multi;
	struct fp_xfer_config cfg;
	char *user_agent, *cacert;
	char **headers;         /* cfg.headers, copied */
	char *proxy, *noproxy, *netrc_file;
	int rcvbuf;             /* SO_RCVBUF of new sockets, 0: the OS's */
	/* per attempt */
	const struct fp_xfer_req *req;
	const struct fp_sink *sink;
	struct fp_xfer_res *res;
	struct fp_cancel *tok;
	int begun;
	int too_big;
	int sink_err;
	int stopped;
	int bad_range;
	int stalled;
	int rl_cancelled;  /* the token fired while waiting for the budget */
	/* The head of the current reply is still arriving: a status line
	 * was seen, its terminating blank line not yet. */
	int in_head;
	/* Monotonic time anything (header or body bytes) last arrived: the
	 * stall clock. libcurl's LOW_SPEED check averages the speed over a
	 * window of several seconds, so a burst followed by silence is only
	 * seen long after --stall-timeout; this clock sees it on time. */
	int64_t last_rx_ms;
	char content_range[96];
};

/* Copy a header value (trimmed, at most DSTLEN-1 bytes) into DST. */
static void xfer_copy_value(char *dst, size_t dstlen, const char *v,
			    size_t len)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static int xfer_header_is(const char *line, size_t len, const char *name,
			  const char **value, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n))
		return 0;
	*value = line + n + 1;
	*vlen = len - n - 1;
	return 1;
}

/* Headers of every response arrive here, redirects and 1xx included; a
 * status line starts a new response, so only the final one's fields stay. */
static size_t xfer_on_header(char *line, size_t size, size_t n, void *p)
{
	struct fp_xfer *x = p;
	struct fp_xfer_res *r = x->res;
	size_t len = size * n;
	const char *v;
	size_t vlen;

	x->last_rx_ms = fp_now_ms();
	if (len > 5 && !strncmp(line, "HTTP/", 5)) {
		const char *sp = memchr(line, ' ', len);

		r->etag[0] = r->last_modified[0] = r->retry_after[0] = '\0';
		r->reason[0] = '\0';
		x->content_range[0] = '\0';
		r->content_length = -1;
		r->accept_ranges = 0;
		x->in_head = 1;
		if (sp) {
			const char *end = line + len;
			const char *rs = sp + 1;

			r->status = strtol(rs, NULL, 10);
			while (rs < end && *rs != ' ')
				rs++;
			if (rs < end)
				xfer_copy_value(r->reason, sizeof(r->reason),
						rs + 1, (size_t)(end - rs - 1));
		}
	} else if (len <= 2 && (line[0] == '\r' || line[0] == '\n')) {
		x->in_head = 0; /* the blank line ending a head */
	} else if (xfer_header_is(line, len, "etag", &v, &vlen)) {
		xfer_copy_value(r->etag, sizeof(r->etag), v, vlen);
	} else if (xfer_header_is(line, len, "last-modified", &v, &vlen)) {
		xfer_copy_value(r->last_modified, sizeof(r->last_modified), v,
				vlen);
	} else if (xfer_header_is(line, len, "retry-after", &v, &vlen)) {
		xfer_copy_value(r->retry_after, sizeof(r->retry_after), v,
				vlen);
	} else if (xfer_header_is(line, len, "content-range", &v, &vlen)) {
		xfer_copy_value(x->content_range, sizeof(x->content_range), v,
				vlen);
	} else if (xfer_header_is(line, len, "accept-ranges", &v, &vlen)) {
		char val[32];

		xfer_copy_value(val, sizeof(val), v, vlen);
		r->accept_ranges = !strcasecmp(val, "bytes");
	}
	return len;
}

/* A 206 must start exactly at the byte asked for. */
static int xfer_range_matches(const char *cr, int64_t from)
{
	long long start;

	if (strncasecmp(cr, "bytes ", 6))
		return 0;
	if (sscanf(cr + 6, "%lld-", &start) != 1)
		return 0;
	return start == from;
}

/* The reply's Content-Length, or -1 when it sent none. */
static int64_t xfer_content_length(CURL *e)
{
	curl_off_t cl = -1;

	curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	return cl;
}

static int xfer_begin_body(struct fp_xfer *x)
{
	struct fp_xfer_res *r = x->res;
	long status = 0;
	int append = 0, rc;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		return 0; /* not a body we keep */
	if (status == 206) {
		if ((x->req->resume_from <= 0 && x->req->range_end <= 0) ||
		    !xfer_range_matches(x->content_range,
					x->req->resume_from)) {
			x->bad_range = 1;
			return FP_EPARSE;
		}
		append = x->req->resume_from > 0;
	}
	r->appended = append;
	r->content_length = xfer_content_length(x->easy);
	rc = x->sink->begin ? x->sink->begin(x->sink->ctx, append, r) : 0;
	if (rc == FP_SINK_STOP)
		x->stopped = 1;
	else if (rc)
		x->sink_err = rc;
	x->begun = 1;
	return rc;
}

static size_t xfer_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fp_xfer *x = arg;
	size_t len = size * n;
	int64_t before;
	int rc;

	x->last_rx_ms = fp_now_ms();
	/* The whole run's budget, also for bodies that are dropped: every
	 * received byte counts. While this waits, the socket is not read,
	 * so the server is slowed by TCP's own flow control. */
	if (x->cfg.ratelimit) {
		if (fp_ratelimit_take(x->cfg.ratelimit, len, x->tok)) {
			x->rl_cancelled = 1;
			return 0;
		}
		/* Waiting for the budget is not a stall. */
		x->last_rx_ms = fp_now_ms();
	}
	if (!x->begun) {
		if (xfer_begin_body(x))
			return 0;
		if (!x->begun)
			return len; /* an error page: dropped */
	}
	/* The limit is on the file: a resumed body counts what the part
	 * file already holds. */
	before = x->res->appended ? x->req->resume_from : 0;
	if (x->cfg.max_size > 0 &&
	    before + x->res->bytes + (int64_t)len > x->cfg.max_size) {
		x->too_big = 1;
		return 0;
	}
	rc = x->sink->write(x->sink->ctx, p, len);
	if (rc == FP_SINK_STOP) {
		/* The sink took what it wanted of these bytes; the rest of the
		 * body is not wanted. */
		x->stopped = 1;
		x->res->bytes += (int64_t)len;
		return 0;
	}
	if (rc) {
		x->sink_err = rc;
		return 0;
	}
	x->res->bytes += (int64_t)len;
	return len;
}

/* Polled by libcurl at least once a second; the multi wakeup covers the
 * rest of the latency. */
static int xfer_on_progress(void *p, curl_off_t dt, curl_off_t dn,
			    curl_off_t ut, curl_off_t un)
{
	struct fp_xfer *x = p;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return x->tok && fp_cancel_is_set(x->tok);
}

/* A small receive buffer when the rate is limited: what the kernel
 * buffers is received at once, out of the budget's sight. */
static int xfer_on_socket(void *p, curl_socket_t fd, curlsocktype purpose)
{
	struct fp_xfer *x = p;

	if (purpose == CURLSOCKTYPE_IPCXN && x->rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &x->rcvbuf,
			   sizeof(x->rcvbuf));
	return CURL_SOCKOPT_OK;
}

static char *xfer_strdup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

static void xfer_wake(void *arg)
{
	curl_multi_wakeup(arg);
}

int fp_xfer_create(struct fp_xfer **out, struct fp_share *sh,
		   const struct fp_xfer_config *cfg)
{
	struct fp_xfer *x = calloc(1, sizeof(*x));
	size_t i, bufsize = XFER_BUFFER_SIZE;
	int oom = 0;
	CURL *e;

	*out = NULL;
	if (!x)
		return FP_ENOMEM;
	x->cfg = *cfg;
	x->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "fetchpool");
	x->cacert = xfer_strdup_or_null(cfg->cacert, &oom);
	x->proxy = xfer_strdup_or_null(cfg->proxy, &oom);
	x->noproxy = xfer_strdup_or_null(cfg->noproxy, &oom);
	x->netrc_file = xfer_strdup_or_null(cfg->netrc_file, &oom);
	x->headers = calloc(cfg->nheaders + 1, sizeof(*x->headers));
	for (i = 0; x->headers && i < cfg->nheaders; i++)
		x->headers[i] = xfer_strdup_or_null(cfg->headers[i], &oom);
	x->cfg.headers = (const char *const *)x->headers;
	x->easy = curl_easy_init();
	x->multi = curl_multi_init();
	if (!x->user_agent || oom || !x->headers || !x->easy || !x->multi) {
		fp_xfer_destroy(x);
		return FP_ENOMEM;
	}
	/* Kept connections are per multi handle: by default four. */
	curl_multi_setopt(x->multi, CURLMOPT_MAXCONNECTS,
			  (long)(cfg->max_connects ? cfg->max_connects
						   : FP_XFER_MAX_CONNECTS));
	e = x->easy;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, x->user_agent);
	if (cfg->ratelimit) {
		/* One read is a tenth of a second's budget, so no transfer
		 * holds the shared budget for long; the socket buffer is a
		 * read or two, so the server feels the limit. */
		bufsize = fp_ratelimit_chunk(cfg->ratelimit->rate, bufsize);
		x->rcvbuf = (int)bufsize; /* the kernel doubles it */
		curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, xfer_on_socket);
		curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, x);
	}
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, (long)bufsize);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	if (cfg->timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
	if (cfg->connect_timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
				 (long)cfg->connect_timeout_ms);
	if (cfg->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (x->cacert)
		curl_easy_setopt(e, CURLOPT_CAINFO, x->cacert);
	if (cfg->max_size > 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
				 (curl_off_t)cfg->max_size);
	/* Without --proxy, CURLOPT_PROXY stays unset: libcurl then honours
	 * the proxy environment variables as curl does. */
	if (x->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, x->proxy);
	if (x->noproxy)
		curl_easy_setopt(e, CURLOPT_NOPROXY, x->noproxy);
	if (x->netrc_file) {
		curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		curl_easy_setopt(e, CURLOPT_NETRC_FILE, x->netrc_file);
	}
	if (sh)
		curl_easy_setopt(e, CURLOPT_SHARE, fp_share_handle(sh));
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, xfer_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, xfer_on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	*out = x;
	return FP_OK;
}

static double xfer_secs(CURL *e, CURLINFO what)
{
	curl_off_t us = 0;

	curl_easy_getinfo(e, what, &us);
	return (double)us / 1e6;
}

/* Drive the easy handle to completion through the private multi handle.
 * The loop ends early when the token fires (*cancelled) or when nothing
 * has arrived for the stall timeout (x->stalled). */
static CURLcode xfer_drive(struct fp_xfer *x, int *cancelled)
{
	CURLcode result = CURLE_OK;
	int64_t stall = x->cfg.stall_timeout_ms;
	int running = 1;
	CURLMsg *msg;
	int left;

	*cancelled = 0;
	x->last_rx_ms = fp_now_ms();
	curl_multi_add_handle(x->multi, x->easy);
	for (;;) {
		int64_t wait = 1000;

		if (curl_multi_perform(x->multi, &running) != CURLM_OK) {
			result = CURLE_OUT_OF_MEMORY;
			break;
		}
		if (!running)
			break;
		if (stall > 0) {
			int64_t idle = fp_now_ms() - x->last_rx_ms;

			if (idle >= stall) {
				x->stalled = 1;
				break;
			}
			if (stall - idle < wait)
				wait = stall - idle;
		}
		if (x->tok) {
			if (fp_cancel_is_set(x->tok)) {
				*cancelled = 1;
				break;
			}
			if (fp_cancel_remaining_ms(x->tok) < wait)
				wait = fp_cancel_remaining_ms(x->tok) + 1;
		}
		curl_multi_poll(x->multi, NULL, 0, (int)wait, NULL);
	}
	while ((msg = curl_multi_info_read(x->multi, &left)))
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == x->easy)
			result = msg->data.result;
	curl_multi_remove_handle(x->multi, x->easy);
	if (*cancelled || x->stalled)
		result = CURLE_ABORTED_BY_CALLBACK;
	return result;
}

/* libcurl refuses a header line (or, since 8.6, a whole head) over
 * 100 KB by failing the transfer with CURLE_OUT_OF_MEMORY (later
 * CURLE_TOO_LARGE) and an empty error buffer: the user would read "Out
 * of memory". A reply head that started (status line seen) and never
 * ended, with no body yet, is what that code means here. */
static int xfer_head_too_large(const struct fp_xfer *x, CURLcode rc)
{
	if (!x->in_head || x->begun)
		return 0;
#if LIBCURL_VERSION_NUM >= 0x080600 /* 8.6.0 */
	if (rc == CURLE_TOO_LARGE)
		return 1;
#endif
	return rc == CURLE_OUT_OF_MEMORY;
}

static void xfer_classify(struct fp_xfer *x, CURLcode rc, int cancelled)
{
	struct fp_xfer_res *r = x->res;

	r->curl_code = rc;
	r->sink_err = x->sink_err;
	if (cancelled || x->rl_cancelled ||
	    (rc == CURLE_ABORTED_BY_CALLBACK && x->tok &&
	     fp_cancel_is_set(x->tok))) {
		r->outcome = FP_XFER_CANCELLED;
		snprintf(r->error, sizeof(r->error), "cancelled");
	} else if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		r->outcome = FP_XFER_TOO_BIG;
		snprintf(r->error, sizeof(r->error),
			 "body larger than %" PRId64 " bytes",
			 x->cfg.max_size);
	} else if (x->stopped) {
		r->outcome = FP_XFER_DONE;
		r->stopped = 1;
		r->error[0] = '\0';
	} else if (x->sink_err) {
		r->outcome = FP_XFER_SINK;
		snprintf(r->error, sizeof(r->error), "%s",
			 fp_strerror(x->sink_err));
	} else if (x->stalled) {
		r->outcome = FP_XFER_NETWORK;
		snprintf(r->error, sizeof(r->error),
			 "stalled: nothing received for %.1f s",
			 (double)x->cfg.stall_timeout_ms / 1000.0);
	} else if (x->bad_range) {
		r->outcome = FP_XFER_NETWORK;
		snprintf(r->error, sizeof(r->error),
			 "206 reply does not continue at byte %" PRId64,
			 x->req->resume_from);
	} else if (rc == CURLE_OK) {
		r->outcome = FP_XFER_DONE;
		r->error[0] = '\0';
	} else if (xfer_head_too_large(x, rc)) {
		r->outcome = FP_XFER_REFUSED;
		snprintf(r->error, sizeof(r->error),
			 "reply header too large (over 100 KB)");
	} else {
		r->outcome = fp_retry_curl_transient_os(rc, r->os_errno)
				     ? FP_XFER_NETWORK
				     : FP_XFER_REFUSED;
		if (!r->error[0])
			snprintf(r->error, sizeof(r->error), "%s",
				 curl_easy_strerror(rc));
	}
}

/* libcurl's text for a redirect to another scheme ("Protocol "file" not
 * supported") does not say that a redirect was refused, nor where to. */
static void xfer_refused_redirect(CURL *e, struct fp_xfer_res *res)
{
	long redirects = 0;
	char *where = NULL, *shown;

	curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &where);
	if (redirects <= 0 || !where)
		return;
	shown = fp_url_redact(where); /* a Location may carry a password */
	snprintf(res->error, sizeof(res->error),
		 "redirect to '%.200s' refused: only http and https are "
		 "allowed", shown ? shown : "?");
	free(shown);
}

/* The -H headers, then the request's own; one of the request's replaces
 * a -H header of the same name. libcurl's own headers (User-Agent,
 * Accept, ...) are replaced by one of the same name, or removed by
 * "Name:". */
static struct curl_slist *xfer_extra_headers(struct fp_xfer *x,
					     const struct fp_xfer_req *req,
					     struct curl_slist *hdrs)
{
	struct curl_slist *more;
	size_t i, j;

	for (i = 0; i < x->cfg.nheaders; i++) {
		for (j = 0; j < req->nheaders; j++)
			if (fp_header_same_name(x->cfg.headers[i],
						req->headers[j]))
				break;
		if (j < req->nheaders)
			continue;
		more = curl_slist_append(hdrs, x->cfg.headers[i]);
		if (more)
			hdrs = more;
	}
	for (j = 0; j < req->nheaders; j++) {
		more = curl_slist_append(hdrs, req->headers[j]);
		if (more)
			hdrs = more;
	}
	return hdrs;
}

int fp_xfer_perform(struct fp_xfer *x, const struct fp_xfer_req *req,
		    const struct fp_sink *sink, struct fp_cancel *tok,
		    struct fp_xfer_res *res)
{
	struct fp_cancel_waker w = { xfer_wake, x->multi, NULL };
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	char range[32];
	CURL *e = x->easy;
	CURLcode rc;
	int cancelled;
	time_t t;

	memset(res, 0, sizeof(*res));
	res->mtime = -1;
	res->content_length = -1;
	x->req = req;
	x->sink = sink;
	x->res = res;
	x->tok = tok;
	x->begun = x->too_big = x->sink_err = x->bad_range = x->stalled = 0;
	x->stopped = 0;
	x->rl_cancelled = 0;
	x->in_head = 0;
	x->content_range[0] = '\0';

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
	/* CURLOPT_RANGE, not RESUME_FROM: a server that ignores the range and
	 * answers 200 must restart the file, not fail the transfer. */
	if (req->range_end > 0) {
		snprintf(range, sizeof(range), "%" PRId64 "-%" PRId64,
			 req->resume_from, req->range_end);
		curl_easy_setopt(e, CURLOPT_RANGE, range);
	} else if (req->resume_from > 0) {
		snprintf(range, sizeof(range), "%" PRId64 "-", req->resume_from);
		curl_easy_setopt(e, CURLOPT_RANGE, range);
	} else {
		curl_easy_setopt(e, CURLOPT_RANGE, NULL);
	}
	if (req->if_modified_since > 0) {
		curl_easy_setopt(e, CURLOPT_TIMECONDITION,
				 (long)CURL_TIMECOND_IFMODSINCE);
		curl_easy_setopt(e, CURLOPT_TIMEVALUE_LARGE,
				 (curl_off_t)req->if_modified_since);
	} else {
		curl_easy_setopt(e, CURLOPT_TIMECONDITION,
				 (long)CURL_TIMECOND_NONE);
	}
	if (req->if_none_match && *req->if_none_match) {
		char h[300];

		snprintf(h, sizeof(h), "If-None-Match: %s", req->if_none_match);
		hdrs = curl_slist_append(hdrs, h);
	}
	if ((req->resume_from > 0 || req->range_end > 0) && req->if_range &&
	    *req->if_range) {
		char h[300];

		snprintf(h, sizeof(h), "If-Range: %s", req->if_range);
		hdrs = curl_slist_append(hdrs, h);
	}
	hdrs = xfer_extra_headers(x, req, hdrs);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);

	if (tok)
		fp_cancel_add_waker(tok, &w);
	rc = xfer_drive(x, &cancelled);
	if (tok)
		fp_cancel_remove_waker(tok, &w);

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &res->connects);
	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &res->os_errno);
	res->content_length = xfer_content_length(e);
	res->t_dns = xfer_secs(e, CURLINFO_NAMELOOKUP_TIME_T);
	res->t_connect = xfer_secs(e, CURLINFO_CONNECT_TIME_T);
	res->t_tls = xfer_secs(e, CURLINFO_APPCONNECT_TIME_T);
	res->t_first = xfer_secs(e, CURLINFO_STARTTRANSFER_TIME_T);
	res->t_total = xfer_secs(e, CURLINFO_TOTAL_TIME_T);
	if (res->last_modified[0] &&
	    fp_http_date_parse(res->last_modified, &t) == FP_OK)
		res->mtime = t;
	if (errbuf[0])
		snprintf(res->error, sizeof(res->error), "%s", errbuf);
	if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		xfer_refused_redirect(e, res);

	/* A 2xx answer with an empty body never reached the write callback. */
	if (rc == CURLE_OK && !x->begun && res->status >= 200 &&
	    res->status <= 299 && xfer_begin_body(x))
		rc = CURLE_WRITE_ERROR;

	xfer_classify(x, rc, cancelled);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(hdrs);
	x->req = NULL;
	x->sink = NULL;
	x->res = NULL;
	x->tok = NULL;
	return res->outcome == FP_XFER_DONE ? FP_OK : FP_EIO;
}

void fp_xfer_destroy(struct fp_xfer *x)
{
	size_t i;

	if (!x)
		return;
	if (x->multi)
		curl_multi_cleanup(x->multi);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	free(x->user_agent);
	free(x->cacert);
	free(x->proxy);
	free(x->noproxy);
	free(x->netrc_file);
	for (i = 0; x->headers && i < x->cfg.nheaders; i++)
		free(x->headers[i]);
	free(x->headers);
	free(x);
}
