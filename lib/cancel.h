/* Cancellation token: a C11 atomic flag plus an optional deadline on the
 * monotonic clock, and a list of wakers.
 *
 * Anyone may fire a token from any thread. Code that blocks on something
 * other than the token (a condition variable, a curl multi handle) registers
 * a waker, so that firing interrupts the wait at once instead of at the next
 * poll. The flag is set before the wakers run, so a waiter that checks the
 * flag after registering its waker can never miss a fire.
 *
 * Lock order: a waker runs with the token's mutex held and may take the
 * waited-on object's lock; never register or unregister a waker while holding
 * a lock that a waker of the same token takes.
 */
#ifndef FP_CANCEL_H
#define FP_CANCEL_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct fp_cancel_waker {
	void (*fn)(void *arg);
	void *arg;
	struct fp_cancel_waker *next; /* private */
};

/* Caller-allocated; the fields are private. */
struct fp_cancel {
	atomic_bool fired;
	_Atomic int64_t deadline_ms; /* monotonic ms; 0 = none */
	pthread_mutex_t mu;          /* guards the waker list */
	struct fp_cancel_waker *wakers;
};

/* Initialise an unfired token with no deadline. */
void fp_cancel_init(struct fp_cancel *c);

/* Release the token's resources. No waker may still be registered. */
void fp_cancel_destroy(struct fp_cancel *c);

/* Make a token reusable: clear the flag and set the deadline (0 = none).
 * Only when no other thread uses it and no waker is registered. */
void fp_cancel_reset(struct fp_cancel *c, int64_t deadline_ms);

/* Fire the token: set the flag, then run every registered waker. Idempotent
 * (later calls run the wakers again, which must be harmless). Thread-safe. */
void fp_cancel_fire(struct fp_cancel *c);

/* True once fired or once the deadline has passed. Thread-safe, lock-free. */
bool fp_cancel_is_set(struct fp_cancel *c);

/* True only if fp_cancel_fire() was called (the deadline is not checked). */
bool fp_cancel_was_fired(struct fp_cancel *c);

/* Set or move the deadline (monotonic ms, 0 = none). Thread-safe; does not
 * wake waiters: they compute their timeouts from fp_cancel_remaining_ms(). */
void fp_cancel_set_deadline(struct fp_cancel *c, int64_t deadline_ms);

/* Milliseconds until the deadline (0 if passed), or INT64_MAX if none. */
int64_t fp_cancel_remaining_ms(struct fp_cancel *c);

/* Register / unregister a caller-owned waker. After unregister returns, the
 * waker is not running and will not run again, so its arg may be freed.
 * Thread-safe. */
void fp_cancel_add_waker(struct fp_cancel *c, struct fp_cancel_waker *w);
void fp_cancel_remove_waker(struct fp_cancel *c, struct fp_cancel_waker *w);

/* Sleep MS milliseconds unless TOK (may be NULL) fires or reaches its
 * deadline first. FP_OK after a full sleep, FP_ECANCELED otherwise. */
int fp_cancel_sleep(struct fp_cancel *tok, int64_t ms);
#endif
