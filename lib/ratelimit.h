/* One budget of received bytes per second for a whole run (--limit-rate),
 * shared by every transfer: a virtual clock (GCRA). Each taker reserves
 * its bytes on the one schedule, under a mutex, then waits outside it
 * until its reservation is due, so N transfers together get RATE, not
 * N x RATE, and in the order they asked.
 *
 * The schedule lets a taker run at most FP_RATELIMIT_BURST_MS ahead of
 * it; an idle budget does not pile up (the clock never lags "now"), so a
 * pause is not followed by a long burst.
 *
 * The caller allocates the struct (it may be static: fp_ratelimit_init()
 * makes it usable, fp_ratelimit_destroy() releases the mutex). Every
 * other call is thread-safe. Lock order: the limiter's mutex is a leaf
 * (nothing is called while holding it). */
#ifndef FP_RATELIMIT_H
#define FP_RATELIMIT_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct fp_cancel;

/* How far a taker may run ahead of the schedule. */
#define FP_RATELIMIT_BURST_MS 50

struct fp_ratelimit {
	pthread_mutex_t mu;
	int64_t rate;     /* bytes per second, > 0 */
	int64_t tat_ns;   /* monotonic time the budget is spent up to */
};

/* RATE bytes per second (> 0). Cannot fail. */
void fp_ratelimit_init(struct fp_ratelimit *rl, int64_t rate);

/* Release what init made. No thread may be using RL. NULL ok. */
void fp_ratelimit_destroy(struct fp_ratelimit *rl);

/* Reserve N bytes at monotonic time NOW_NS; returns the monotonic time
 * (ns) at which the caller may go on (<= NOW_NS: at once). The waiting is
 * the caller's: fp_ratelimit_take() does both. */
int64_t fp_ratelimit_reserve(struct fp_ratelimit *rl, size_t n,
			     int64_t now_ns);

/* Reserve N bytes and sleep until they are due, unless TOK (may be NULL)
 * fires or reaches its deadline first: then FP_ECANCELED at once, else
 * FP_OK. RL NULL: no limit, FP_OK at once. */
int fp_ratelimit_take(struct fp_ratelimit *rl, size_t n,
		      struct fp_cancel *tok);

/* The read size that suits RATE: a tenth of a second's budget, at least
 * 1 KiB (libcurl's smallest buffer) and at most MAX. */
size_t fp_ratelimit_chunk(int64_t rate, size_t max);

#endif
