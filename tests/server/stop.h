/* Shutdown flag and interruptible sleeps.
 *
 * Handlers sleep for latency, delay, stall and drip while holding a
 * connection thread; MHD_stop_daemon() joins those threads, so every such
 * sleep must end as soon as shutdown begins. All sleeps wait on one
 * condition variable (monotonic clock) that fsrv_stop_trigger() broadcasts.
 */
#ifndef FSRV_STOP_H
#define FSRV_STOP_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct fsrv_stop {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping; /* under lock */
};

/* Initialise; returns 0 or an errno value. Not thread-safe. */
int fsrv_stop_init(struct fsrv_stop *st);

/* Destroy; no thread may be sleeping. */
void fsrv_stop_destroy(struct fsrv_stop *st);

/* Begin shutdown: every current and future sleep returns at once.
 * Thread-safe. */
void fsrv_stop_trigger(struct fsrv_stop *st);

/* True once shutdown began. Thread-safe. */
bool fsrv_stopping(struct fsrv_stop *st);

/* Sleep MS milliseconds. Returns true if the whole time passed, false if
 * shutdown cut it short. Thread-safe. */
bool fsrv_sleep_ms(struct fsrv_stop *st, uint64_t ms);

/* Sleep until the monotonic time UNTIL_NS (see fsrv_now_ns()). Same
 * results as fsrv_sleep_ms(). */
bool fsrv_sleep_until_ns(struct fsrv_stop *st, int64_t until_ns);

/* Monotonic clock in nanoseconds. */
int64_t fsrv_now_ns(void);

#endif
