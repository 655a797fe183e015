/* World Bank Indicators API v2 emulation for the fixture server.
 *
 * The server core owns HTTP (libmicrohttpd), fault rules, latency and
 * statistics; this module only turns a request path and its query
 * parameters into a reply built from the fixture CSVs. It holds no HTTP
 * state, so the core can apply its fault rules to /v2 paths like any other.
 */
#ifndef FP_WBEMU_H
#define FP_WBEMU_H
#include <stddef.h>

struct wbemu;

/* A reply: body is malloc'd and owned by the caller (free it). */
struct wbemu_reply {
	int status;               /* HTTP status, e.g. 200 */
	const char *content_type; /* static string */
	char *body;
	size_t len;
};

/* Returns the value of query parameter KEY, or NULL if absent. */
typedef const char *wbemu_query_fn(void *ctx, const char *key);

/* Load the emulation data from DIR (tests/fixtures/worldbank). Returns 0 and
 * sets *out, or -1 with a message on stderr. Not thread-safe; call once. */
int wbemu_load(struct wbemu **out, const char *dir);

/* Free everything wbemu_load() made; NULL is fine. */
void wbemu_free(struct wbemu *emu);

/* Answer a request. PATH is the URL path after the "/v2" prefix (e.g.
 * "/country/ABW/indicator/NY.GDP.MKTP.CD"); QUERY looks up parameters.
 * Returns 0 and fills *out, or -1 on out-of-memory. Thread-safe: the data
 * are read-only after wbemu_load(). */
int wbemu_handle(const struct wbemu *emu, const char *path,
		 wbemu_query_fn *query, void *qctx, struct wbemu_reply *out);

#endif
