/* Request statistics for the fixture server: a bounded log of requests in
 * arrival order, requests in flight and their peak, and TCP connections.
 *
 * Control requests (/_stats, /_rule, /_reset) are never recorded. A
 * connection gets its number ("conn", 1, 2, ...) when it carries its first
 * recorded request, so connections used only for control requests are not
 * counted; /_reset starts the numbering again (a connection kept open
 * across the reset gets a new number on its next request).
 * All functions are thread-safe (one mutex).
 */
#ifndef FSRV_STATS_H
#define FSRV_STATS_H
#include <stddef.h>
#include <stdint.h>

/* Per-connection state, owned by the caller (one per TCP connection,
 * zero-initialised). */
struct fsrv_conn {
	uint64_t gen;  /* statistics generation the number belongs to */
	unsigned num;  /* 0 = not numbered in that generation */
};

/* What is recorded about a request; NULL fields are logged as null. */
struct fsrv_req_info {
	const char *method, *path, *query;
	const char *range, *if_range, *if_modified_since, *if_none_match;
	const char *user_agent;
	/* Every request header, NAMES[i]: VALUES[i], in the order sent;
	 * logged as the object "headers" (names in lower case, repeated
	 * names joined with ", "). */
	const char *const *hdr_names, *const *hdr_values;
	size_t nhdrs;
};

/* Identifies a recorded request for the later calls. */
struct fsrv_ticket {
	uint64_t gen;
	size_t index;   /* SIZE_MAX: not in the log (log full) */
	int active;     /* counted in flight */
};

struct fsrv_stats;

/* A new collector keeping at most MAX_LOG requests in its log (later ones
 * are counted but not logged). NULL when out of memory. */
struct fsrv_stats *fsrv_stats_new(size_t max_log);

/* Free everything; NULL is fine. No request may use it any more. */
void fsrv_stats_free(struct fsrv_stats *s);

/* A TCP connection was accepted (counted as "accepted"). */
void fsrv_stats_accepted(struct fsrv_stats *s);

/* A request arrived on CONN: log INFO (the strings are copied), count it
 * in flight, fill *t. When out of memory the request is counted but not
 * logged. */
void fsrv_stats_begin(struct fsrv_stats *s, struct fsrv_conn *conn,
		      const struct fsrv_req_info *info, struct fsrv_ticket *t);

/* Record the status answered for the request (0 = connection reset). */
void fsrv_stats_status(struct fsrv_stats *s, const struct fsrv_ticket *t,
		       int status);

/* The request's response is complete (or abandoned): no longer in flight.
 * Safe to call more than once and on a ticket never begun (zeroed). */
void fsrv_stats_end(struct fsrv_stats *s, struct fsrv_ticket *t);

/* N body bytes went out now (--meter): counted in "sent_100ms", body
 * bytes per 100 ms since the collector was made (the clock of t_ms). */
void fsrv_stats_sent(struct fsrv_stats *s, uint64_t n);

/* Forget the log and the counters (the in-flight count stays: those
 * requests are still running; the peak restarts from it). */
void fsrv_stats_reset(struct fsrv_stats *s);

/* The statistics as a JSON document (malloc'd, caller frees), or NULL when
 * out of memory. */
char *fsrv_stats_json(struct fsrv_stats *s);

#endif
