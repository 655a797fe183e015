/* The fixture HTTP server: MHD glue, routing, fault rules, control. */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "body.h"
#include "files.h"
#include "gutenberg.h"
#include "httpdate.h"
#include "stats.h"
#include "stop.h"
#include "wbemu.h"

/* Enough for benchmarks with hundreds of parallel connections. */
#define SRV_CONNECTION_LIMIT 4096u
#define SRV_BACKLOG 1024u
#define SRV_CONN_MEMORY (64u * 1024u)

struct fsrv {
	struct fsrv_config cfg;
	struct fsrv_rules *rules;
	struct fsrv_stats *stats;
	struct wbemu *wb;
	struct fsrv_stop stop;
	bool stop_ready;
	struct MHD_Daemon *d;
	unsigned port;
};

/* One request, made by the URI log callback (so it exists for every
 * request MHD starts) and freed by the completion callback. Only the
 * connection's own thread touches it. */
struct srv_req {
	char *raw;              /* request-target as sent, or NULL */
	bool started;           /* the access handler has seen it */
	bool control;           /* /_... path: not recorded, no latency */
	struct fsrv_ticket ticket;
	struct fsrv_action act; /* the rule action this request took */
};

static const char *srv_hdr(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* ---- responses ---------------------------------------------------- */

static enum MHD_Result srv_queue(struct fsrv *s, struct MHD_Connection *c,
				 struct srv_req *r, unsigned status,
				 struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (!resp) /* out of memory: drop the connection */
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER,
				"fixture-server");
	if (!r->control)
		fsrv_stats_status(s->stats, &r->ticket, (int)status);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A response from a printf-style text body, paced by PACE (may be NULL). */
static struct MHD_Response *srv_text(struct fsrv *s,
				     const struct fsrv_pace *pace,
				     const char *ctype, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct MHD_Response *srv_text(struct fsrv *s,
				     const struct fsrv_pace *pace,
				     const char *ctype, const char *fmt, ...)
{
	struct MHD_Response *resp;
	va_list ap;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	resp = fsrv_body_mem(buf, (size_t)n, pace, &s->stop);
	if (resp)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					ctype);
	return resp;
}

static enum MHD_Result srv_plain(struct fsrv *s, struct MHD_Connection *c,
				 struct srv_req *r, unsigned status,
				 const char *msg)
{
	return srv_queue(s, c, r, status,
			 srv_text(s, NULL, "text/plain; charset=utf-8", "%s\n",
				  msg));
}

static enum MHD_Result srv_404(struct fsrv *s, struct MHD_Connection *c,
			       struct srv_req *r, const char *url,
			       const struct fsrv_pace *pace)
{
	struct MHD_Response *resp = NULL;
	size_t len;
	char *html = fsrv_gutenberg_404(url, &len);

	if (html)
		resp = fsrv_body_mem(html, len, pace, &s->stop);
	if (resp)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					"text/html; charset=iso-8859-1");
	return srv_queue(s, c, r, MHD_HTTP_NOT_FOUND, resp);
}

/* Host header if it looks like host[:port], else our own address. */
static char *srv_abs_url(struct fsrv *s, struct MHD_Connection *c,
			 const char *path)
{
	const char *host = srv_hdr(c, MHD_HTTP_HEADER_HOST);
	char *url;

	if (!host || !*host ||
	    host[strspn(host, "abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
		host = NULL;
	if (host ? asprintf(&url, "http://%s%s", host, path) < 0
		 : asprintf(&url, "http://127.0.0.1:%u%s", s->port, path) < 0)
		return NULL;
	return url;
}

static enum MHD_Result srv_redirect(struct fsrv *s, struct MHD_Connection *c,
				    struct srv_req *r, const char *location)
{
	struct MHD_Response *resp =
		srv_text(s, NULL, "text/html; charset=iso-8859-1",
			 "<html><body><h1>Found</h1></body></html>\n");

	if (resp &&
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
				    location) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return srv_queue(s, c, r, MHD_HTTP_FOUND, resp);
}

/* ---- static files ------------------------------------------------- */

/* Serve DIR + PATH; URL (the request path) is what a 404 page names. */
static enum MHD_Result srv_file(struct fsrv *s, struct MHD_Connection *c,
				struct srv_req *r, const char *url,
				const char *dir, const char *path,
				const char *ctype, bool get,
				const struct fsrv_pace *pace)
{
	struct MHD_Response *resp;
	struct fsrv_file f;
	struct fsrv_plan plan;
	char crange[96];
	int rc = fsrv_file_open(dir, path, &f);

	if (rc == -2)
		return srv_plain(s, c, r, MHD_HTTP_BAD_REQUEST,
				 "400 Bad Request: '..' in path");
	if (rc != 0)
		return srv_404(s, c, r, url, pace);

	struct fsrv_conditions cond = {
		.is_get = get,
		.validators = s->cfg.validators,
		.now = time(NULL),
		.range = s->cfg.no_ranges ? NULL
					  : srv_hdr(c, MHD_HTTP_HEADER_RANGE),
		.if_range = srv_hdr(c, MHD_HTTP_HEADER_IF_RANGE),
		.if_modified_since =
			srv_hdr(c, MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
		.if_none_match = srv_hdr(c, MHD_HTTP_HEADER_IF_NONE_MATCH),
	};
	fsrv_file_plan(&f, &cond, &plan);

	crange[0] = '\0';
	switch (plan.status) {
	case 304:
		close(f.fd);
		resp = fsrv_body_mem(NULL, 0, NULL, &s->stop);
		break;
	case 416:
		close(f.fd);
		snprintf(crange, sizeof crange, "bytes */%llu",
			 (unsigned long long)f.size);
		resp = srv_text(s, NULL, "text/plain; charset=utf-8",
				"416 Range Not Satisfiable\n");
		break;
	case 206:
		snprintf(crange, sizeof crange, "bytes %llu-%llu/%llu",
			 (unsigned long long)plan.first,
			 (unsigned long long)(plan.first + plan.len - 1),
			 (unsigned long long)f.size);
		/* fall through */
	default:
		resp = fsrv_body_fd(f.fd, plan.first, plan.len, pace,
				    &s->stop);
		if (resp)
			MHD_add_response_header(
				resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				ctype ? ctype
				      : f.index ? "text/html; charset=utf-8"
						: fsrv_mime_type(path));
		break;
	}
	if (resp) {
		if (!s->cfg.no_ranges)
			MHD_add_response_header(
				resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
		if (crange[0])
			MHD_add_response_header(
				resp, MHD_HTTP_HEADER_CONTENT_RANGE, crange);
		if (s->cfg.validators) {
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG,
						f.etag);
			MHD_add_response_header(resp,
						MHD_HTTP_HEADER_LAST_MODIFIED,
						f.last_modified);
		}
	}
	return srv_queue(s, c, r, (unsigned)plan.status, resp);
}

static enum MHD_Result srv_gutenberg(struct fsrv *s, struct MHD_Connection *c,
				     struct srv_req *r, const char *url,
				     bool get, const struct fsrv_pace *pace,
				     bool *handled)
{
	char rel[64], target[64];
	const char *ctype;
	enum MHD_Result ret;

	*handled = true;
	switch (fsrv_gutenberg_route(url, rel, sizeof rel, &ctype)) {
	case FSRV_GB_FILE:
		return srv_file(s, c, r, url, s->cfg.gutenberg, rel, ctype,
				get, pace);
	case FSRV_GB_REDIRECT: {
		/* Like the real site, redirect only for books it has. */
		struct fsrv_file f;

		if (fsrv_gutenberg_route(rel, target, sizeof target, &ctype) !=
			    FSRV_GB_FILE ||
		    fsrv_file_open(s->cfg.gutenberg, target, &f) != 0)
			return srv_404(s, c, r, url, pace);
		close(f.fd);
		char *loc = srv_abs_url(s, c, rel);
		if (!loc)
			return MHD_NO;
		ret = srv_redirect(s, c, r, loc);
		free(loc);
		return ret;
	}
	case FSRV_GB_NONE:
		break;
	}
	*handled = false;
	return MHD_NO;
}

/* ---- World Bank --------------------------------------------------- */

static const char *srv_query(void *ctx, const char *key)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result srv_worldbank(struct fsrv *s, struct MHD_Connection *c,
				     struct srv_req *r, const char *url,
				     const struct fsrv_pace *pace)
{
	struct wbemu_reply rep = { 0 };
	struct MHD_Response *resp;

	if (wbemu_handle(s->wb, url + 3, srv_query, c, &rep) != 0)
		return srv_plain(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "500 World Bank emulation failed");
	if (rep.status < 100 || rep.status > 599) {
		free(rep.body);
		return srv_plain(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 "500 World Bank emulation: bad status");
	}
	resp = fsrv_body_mem(rep.body, rep.len, pace, &s->stop);
	if (resp)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					rep.content_type ? rep.content_type
							 : "application/json");
	return srv_queue(s, c, r, (unsigned)rep.status, resp);
}

/* ---- requests ----------------------------------------------------- */

static enum MHD_Result srv_route(struct fsrv *s, struct MHD_Connection *c,
				 struct srv_req *r, const char *url,
				 const char *method,
				 const struct fsrv_pace *pace)
{
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	bool handled;
	enum MHD_Result ret;

	if (!get && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		struct MHD_Response *resp =
			srv_text(s, NULL, "text/plain; charset=utf-8",
				 "405 Method Not Allowed\n");
		if (resp)
			MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
						"GET, HEAD");
		return srv_queue(s, c, r, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
	}
	if (s->wb && strncmp(url, "/v2/", 4) == 0)
		return srv_worldbank(s, c, r, url, pace);
	if (s->cfg.gutenberg) {
		ret = srv_gutenberg(s, c, r, url, get, pace, &handled);
		if (handled)
			return ret;
	}
	if (s->cfg.root)
		return srv_file(s, c, r, url, s->cfg.root, url, NULL, get,
				pace);
	return srv_404(s, c, r, url, pace);
}

static enum MHD_Result srv_status_action(struct fsrv *s,
					 struct MHD_Connection *c,
					 struct srv_req *r)
{
	const struct fsrv_action *a = &r->act;
	const char *reason = MHD_get_reason_phrase_for(a->status);
	struct MHD_Response *resp =
		srv_text(s, NULL, "text/plain; charset=utf-8", "%u %s\n",
			 a->status, reason && *reason ? reason : "Status");
	char ra[FSRV_HTTPDATE_LEN];

	if (resp && a->ra != FSRV_RA_NONE) {
		if (a->ra == FSRV_RA_SECONDS)
			snprintf(ra, sizeof ra, "%llu",
				 (unsigned long long)a->retry_after);
		else
			fsrv_httpdate_format(time(NULL) +
						     (time_t)a->retry_after,
					     ra, sizeof ra);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	return srv_queue(s, c, r, a->status, resp);
}

static void srv_sent(void *ctx, uint64_t n)
{
	fsrv_stats_sent(ctx, n);
}

static enum MHD_Result srv_serve(struct fsrv *s, struct MHD_Connection *c,
				 struct srv_req *r, const char *url,
				 const char *method)
{
	struct fsrv_pace pace = { 0 };
	struct MHD_Response *resp;

	if (s->cfg.meter) {
		pace.on_sent = srv_sent;
		pace.sent_ctx = s->stats;
	}
	/* A false sleep means shutdown: drop the connection at once. */
	if (s->cfg.latency_ms && !fsrv_sleep_ms(&s->stop, s->cfg.latency_ms))
		return MHD_NO;
	switch (r->act.kind) {
	case FSRV_ACT_OK:
		break;
	case FSRV_ACT_DELAY:
		if (!fsrv_sleep_ms(&s->stop, r->act.arg))
			return MHD_NO;
		break;
	case FSRV_ACT_RESET:
		return MHD_NO; /* MHD closes the socket, sends nothing */
	case FSRV_ACT_STATUS:
		return srv_status_action(s, c, r);
	case FSRV_ACT_REDIRECT:
		return srv_redirect(s, c, r, r->act.url);
	case FSRV_ACT_ENDLESS:
		resp = fsrv_body_endless(&s->stop);
		if (resp)
			MHD_add_response_header(resp,
						MHD_HTTP_HEADER_CONTENT_TYPE,
						"text/plain; charset=utf-8");
		return srv_queue(s, c, r, MHD_HTTP_OK, resp);
	case FSRV_ACT_TRUNCATE:
		pace.truncate = true;
		pace.truncate_at = r->act.arg;
		break;
	case FSRV_ACT_STALL:
		pace.stall = true;
		pace.stall_ms = r->act.arg;
		break;
	case FSRV_ACT_DRIP:
		pace.drip_bps = r->act.arg;
		break;
	}
	return srv_route(s, c, r, url, method, &pace);
}

/* ---- control ------------------------------------------------------ */

static int srv_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Value of KEY in the raw query Q, form-decoded (%XX, '+' is a blank),
 * malloc'd; NULL if absent. An unencoded "actions=503+ra=1" still works:
 * the action parser takes a blank for the '+'. */
static char *srv_query_raw(const char *q, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = q; p && *p;) {
		size_t n = strcspn(p, "&");

		if (n >= kl && strncmp(p, key, kl) == 0 &&
		    (n == kl || p[kl] == '=')) {
			const char *v = p + kl + (n > kl);
			size_t vl = n - kl - (n > kl);
			char *out = malloc(vl + 1), *o = out;

			if (!out)
				return NULL;
			for (size_t i = 0; i < vl; i++) {
				int h, l;

				if (v[i] == '%' && i + 2 < vl &&
				    (h = srv_hex(v[i + 1])) >= 0 &&
				    (l = srv_hex(v[i + 2])) >= 0) {
					*o++ = (char)(h * 16 + l);
					i += 2;
				} else {
					*o++ = v[i] == '+' ? ' ' : v[i];
				}
			}
			*o = '\0';
			return out;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return NULL;
}

static enum MHD_Result srv_control(struct fsrv *s, struct MHD_Connection *c,
				   struct srv_req *r, const char *url)
{
	if (strcmp(url, "/_stats") == 0) {
		char *json = fsrv_stats_json(s->stats);
		struct MHD_Response *resp = NULL;

		if (json)
			resp = fsrv_body_mem(json, strlen(json), NULL,
					     &s->stop);
		if (resp)
			MHD_add_response_header(resp,
						MHD_HTTP_HEADER_CONTENT_TYPE,
						"application/json");
		return srv_queue(s, c, r, MHD_HTTP_OK, resp);
	}
	if (strcmp(url, "/_reset") == 0) {
		fsrv_stats_reset(s->stats);
		fsrv_rules_clear(s->rules);
		return srv_plain(s, c, r, MHD_HTTP_OK, "ok");
	}
	if (strcmp(url, "/_rule") == 0) {
		const char *q = r->raw ? strchr(r->raw, '?') : NULL;
		char *path = srv_query_raw(q ? q + 1 : NULL, "path");
		char *acts = srv_query_raw(q ? q + 1 : NULL, "actions");
		char err[300];
		enum MHD_Result ret;

		if (!path || !acts)
			ret = srv_plain(s, c, r, MHD_HTTP_BAD_REQUEST,
					"usage: /_rule?path=PATH"
					"&actions=ACTIONS");
		else if (fsrv_rules_set(s->rules, path, acts, err,
					sizeof err) != 0)
			ret = srv_plain(s, c, r, MHD_HTTP_BAD_REQUEST, err);
		else
			ret = srv_plain(s, c, r, MHD_HTTP_OK, "ok");
		free(path);
		free(acts);
		return ret;
	}
	return srv_plain(s, c, r, MHD_HTTP_NOT_FOUND,
			 "unknown control path (/_stats, /_rule, /_reset)");
}

/* ---- MHD callbacks ------------------------------------------------ */

static void *srv_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct srv_req *r = calloc(1, sizeof *r);

	(void)cls;
	(void)c;
	if (r && uri)
		r->raw = strdup(uri);
	return r;
}

/* Arrival of a recorded request: log it, count it, take its action. */
/* Every request header, for the "headers" object of /_stats. */
struct srv_hdrs {
	const char *names[64], *values[64];
	size_t n;
};

static enum MHD_Result srv_hdr_one(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct srv_hdrs *h = cls;

	(void)kind;
	if (h->n < sizeof h->names / sizeof h->names[0]) {
		h->names[h->n] = key;
		h->values[h->n++] = value;
	}
	return MHD_YES;
}

static void srv_begin(struct fsrv *s, struct MHD_Connection *c,
		      struct srv_req *r, const char *url, const char *method)
{
	struct srv_hdrs hdrs = { .n = 0 };
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct fsrv_conn spare = { 0 };
	struct fsrv_conn *conn =
		ci && ci->socket_context ? ci->socket_context : &spare;
	char *path = NULL;
	const char *query = NULL;

	if (r->raw) {
		size_t n = strcspn(r->raw, "?");

		path = strndup(r->raw, n);
		if (r->raw[n] == '?')
			query = r->raw + n + 1;
	}
	struct fsrv_req_info info = {
		.method = method,
		.path = path ? path : url,
		.query = query,
		.range = s->cfg.no_ranges ? NULL
					  : srv_hdr(c, MHD_HTTP_HEADER_RANGE),
		.if_range = srv_hdr(c, MHD_HTTP_HEADER_IF_RANGE),
		.if_modified_since =
			srv_hdr(c, MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
		.if_none_match = srv_hdr(c, MHD_HTTP_HEADER_IF_NONE_MATCH),
		.user_agent = srv_hdr(c, MHD_HTTP_HEADER_USER_AGENT),
		.hdr_names = hdrs.names,
		.hdr_values = hdrs.values,
	};

	MHD_get_connection_values(c, MHD_HEADER_KIND, srv_hdr_one, &hdrs);
	info.nhdrs = hdrs.n;
	fsrv_stats_begin(s->stats, conn, &info, &r->ticket);
	/* Out of memory copying the action: serve normally. */
	if (fsrv_rules_take(s->rules, url, path, &r->act) < 0)
		r->act.kind = FSRV_ACT_OK;
	free(path);
}

static enum MHD_Result srv_handle(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct fsrv *s = cls;
	struct srv_req *r = *req_cls;

	(void)version;
	(void)upload_data;
	if (!r) /* the URI log callback ran out of memory */
		return MHD_NO;
	if (!r->started) {
		/* First call: headers are in. Answer on a later call, after
		 * any request body has been read and thrown away. */
		r->started = true;
		r->control = strncmp(url, "/_", 2) == 0;
		if (!r->control)
			srv_begin(s, c, r, url, method);
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->control)
		return srv_control(s, c, r, url);
	return srv_serve(s, c, r, url, method);
}

static void srv_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct fsrv *s = cls;
	struct srv_req *r = *req_cls;

	(void)c;
	(void)toe;
	if (!r)
		return;
	fsrv_stats_end(s->stats, &r->ticket);
	fsrv_action_clear(&r->act);
	free(r->raw);
	free(r);
	*req_cls = NULL;
}

/* --meter: a small fixed send buffer. On loopback the kernel lets a send
 * buffer grow to megabytes, which would swallow a whole test file the
 * moment it is written: the server would see every body end at once,
 * however slowly the client reads. With SRV_METER_SNDBUF the bytes
 * counted as sent are within that much of what the client has taken. */
#define SRV_METER_SNDBUF (16 * 1024)

static void srv_meter_socket(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	int size = SRV_METER_SNDBUF;

	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &size,
			   sizeof size);
}

static void srv_notify_conn(void *cls, struct MHD_Connection *c,
			    void **socket_context,
			    enum MHD_ConnectionNotificationCode toe)
{
	struct fsrv *s = cls;

	(void)c;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		fsrv_stats_accepted(s->stats);
		if (s->cfg.meter)
			srv_meter_socket(c);
		*socket_context = calloc(1, sizeof(struct fsrv_conn));
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		free(*socket_context);
		*socket_context = NULL;
	}
}

/* ---- lifetime ----------------------------------------------------- */

int fsrv_start(struct fsrv **out, const struct fsrv_config *cfg,
	       struct fsrv_rules *rules, char *err, size_t errlen)
{
	struct fsrv *s = calloc(1, sizeof *s);
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *di;
	unsigned flags;

	*out = NULL;
	if (!s) {
		fsrv_rules_free(rules);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->cfg = *cfg;
	s->rules = rules;
	s->stats = fsrv_stats_new(cfg->log_limit);
	if (!s->rules || !s->stats) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (fsrv_stop_init(&s->stop) != 0) {
		snprintf(err, errlen, "cannot make a condition variable");
		goto fail;
	}
	s->stop_ready = true;
	if (cfg->worldbank && wbemu_load(&s->wb, cfg->worldbank) != 0) {
		snprintf(err, errlen, "cannot load World Bank data from %s",
			 cfg->worldbank);
		goto fail;
	}

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A thread per connection, so latency, stall and drip can simply
	 * sleep in the handler or the content reader. */
	flags = MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	if (cfg->verbose)
		flags |= MHD_USE_ERROR_LOG;
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, srv_handle, s, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&sa, MHD_OPTION_URI_LOG_CALLBACK,
		srv_uri_log, s, MHD_OPTION_NOTIFY_COMPLETED, srv_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, srv_notify_conn, s,
		MHD_OPTION_CONNECTION_LIMIT, SRV_CONNECTION_LIMIT,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, SRV_BACKLOG,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONN_MEMORY,
		MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen,
			 "cannot start the HTTP daemon on 127.0.0.1:%u",
			 cfg->port);
		goto fail;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	if (s->port == 0) {
		snprintf(err, errlen, "cannot tell the listening port");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	fsrv_stop(s);
	return -1;
}

unsigned fsrv_port(const struct fsrv *s)
{
	return s->port;
}

void fsrv_stop(struct fsrv *s)
{
	if (!s)
		return;
	if (s->stop_ready)
		fsrv_stop_trigger(&s->stop);
	if (s->d)
		MHD_stop_daemon(s->d);
	if (s->stop_ready)
		fsrv_stop_destroy(&s->stop);
	wbemu_free(s->wb);
	fsrv_rules_free(s->rules);
	fsrv_stats_free(s->stats);
	free(s);
}
