/* --delay: a minimum gap between request starts to one host. Each caller
 * reserves the next free start slot for its host under a mutex, then sleeps
 * until it (cancellably), so starts are spaced by the delay however many
 * workers ask at once. Thread-safe. */
#ifndef FP_HOSTGATE_H
#define FP_HOSTGATE_H
#include <stdint.h>

struct fp_hostgate;
struct fp_cancel;

/* DELAY_MS > 0. FP_OK and *out, FP_EINVAL or FP_ENOMEM. */
int fp_hostgate_create(struct fp_hostgate **out, int64_t delay_ms);

/* Wait for URL's host's next start slot. A host is its fp_url_host_key()
 * ("host:port", default port filled in, case folded). FP_OK, or
 * FP_ECANCELED if TOK fired first (the slot is then wasted, which only
 * delays others). */
int fp_hostgate_wait(struct fp_hostgate *g, const char *url,
		     struct fp_cancel *tok);

/* NULL ok. */
void fp_hostgate_destroy(struct fp_hostgate *g);

#endif
