/* The whole-run byte budget (see ratelimit.h). */
#include "ratelimit.h"
#include "cancel.h"
#include "error.h"
#include "timeutil.h"

#define RL_NS 1000000000LL

void fp_ratelimit_init(struct fp_ratelimit *rl, int64_t rate)
{
	pthread_mutex_init(&rl->mu, NULL);
	rl->rate = rate > 0 ? rate : 1;
	rl->tat_ns = 0;
}

void fp_ratelimit_destroy(struct fp_ratelimit *rl)
{
	if (rl)
		pthread_mutex_destroy(&rl->mu);
}

int64_t fp_ratelimit_reserve(struct fp_ratelimit *rl, size_t n,
			     int64_t now_ns)
{
	const int64_t burst = FP_RATELIMIT_BURST_MS * 1000000LL;
	int64_t cost, due;

	/* n is at most a read buffer: n * 1e9 stays far below 2^63. */
	cost = (int64_t)n * RL_NS / rl->rate;
	pthread_mutex_lock(&rl->mu);
	/* An idle budget is gone: the schedule restarts now, and only
	 * the burst may run ahead of it. */
	if (rl->tat_ns < now_ns)
		rl->tat_ns = now_ns;
	rl->tat_ns += cost;
	due = rl->tat_ns - burst;
	pthread_mutex_unlock(&rl->mu);
	return due;
}

int fp_ratelimit_take(struct fp_ratelimit *rl, size_t n,
		      struct fp_cancel *tok)
{
	int64_t now, due;

	if (!rl || n == 0)
		return FP_OK;
	now = fp_now_ns();
	due = fp_ratelimit_reserve(rl, n, now);
	if (due <= now)
		return tok && fp_cancel_is_set(tok) ? FP_ECANCELED : FP_OK;
	/* Round up: waking a little late keeps the average under RATE. */
	return fp_cancel_sleep(tok, (due - now + 999999) / 1000000);
}

size_t fp_ratelimit_chunk(int64_t rate, size_t max)
{
	int64_t c = rate / 10;

	if (c < 1024)
		c = 1024;
	if ((uint64_t)c > max)
		c = (int64_t)max;
	return (size_t)c;
}
