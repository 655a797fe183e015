/* The fixture HTTP server: libmicrohttpd glue, routing, fault rules,
 * latency, control endpoints (/_stats, /_rule, /_reset).
 *
 * One thread per connection (so handlers may sleep), keep-alive on,
 * listening on 127.0.0.1 only. Control requests are answered at once and
 * are not recorded; every other request is recorded, waits the configured
 * latency, takes the next action of its path's rule, then is routed:
 * /v2/... to the World Bank emulation (--worldbank), Gutenberg paths
 * (--gutenberg), then files under --root; anything else is a 404.
 */
#ifndef FSRV_SERVER_H
#define FSRV_SERVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

struct fsrv_config {
	const char *root;        /* --root DIR, or NULL */
	const char *gutenberg;   /* --gutenberg DIR, or NULL */
	const char *worldbank;   /* --worldbank DIR, or NULL */
	uint64_t latency_ms;     /* --latency MS */
	bool validators;         /* false with --no-validators */
	bool no_ranges;          /* --no-ranges: Range ignored, not offered */
	bool verbose;            /* MHD's error log on stderr */
	unsigned port;           /* 0: the OS chooses */
	size_t log_limit;        /* requests kept in the statistics log */
	bool meter;              /* --meter: bodies counted as they go out */
};

struct fsrv;

/* Start serving. CFG's strings must outlive the server; RULES (may hold
 * --rule rules) becomes the server's and is freed by fsrv_stop(), also
 * when the start fails. Returns 0 and sets *out, or -1 with a message in
 * err. Call with SIGINT/SIGTERM blocked: the server's threads inherit the
 * signal mask. */
int fsrv_start(struct fsrv **out, const struct fsrv_config *cfg,
	       struct fsrv_rules *rules, char *err, size_t errlen);

/* The TCP port the server listens on. */
unsigned fsrv_port(const struct fsrv *s);

/* Stop: end every sleep, close every connection, join every thread, free
 * everything. NULL is fine. */
void fsrv_stop(struct fsrv *s);

#endif
