/* Shutdown flag and interruptible sleeps. */
#include "stop.h"

#include <errno.h>
#include <time.h>

int64_t fsrv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int fsrv_stop_init(struct fsrv_stop *st)
{
	pthread_condattr_t attr;
	int rc;

	st->stopping = false;
	rc = pthread_mutex_init(&st->lock, NULL);
	if (rc)
		return rc;
	rc = pthread_condattr_init(&attr);
	if (!rc) {
		rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		if (!rc)
			rc = pthread_cond_init(&st->cond, &attr);
		pthread_condattr_destroy(&attr);
	}
	if (rc)
		pthread_mutex_destroy(&st->lock);
	return rc;
}

void fsrv_stop_destroy(struct fsrv_stop *st)
{
	pthread_cond_destroy(&st->cond);
	pthread_mutex_destroy(&st->lock);
}

void fsrv_stop_trigger(struct fsrv_stop *st)
{
	pthread_mutex_lock(&st->lock);
	st->stopping = true;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

bool fsrv_stopping(struct fsrv_stop *st)
{
	bool s;

	pthread_mutex_lock(&st->lock);
	s = st->stopping;
	pthread_mutex_unlock(&st->lock);
	return s;
}

bool fsrv_sleep_until_ns(struct fsrv_stop *st, int64_t until_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(until_ns / 1000000000),
		.tv_nsec = (long)(until_ns % 1000000000),
	};
	bool done;

	pthread_mutex_lock(&st->lock);
	/* Loop: wake-ups may be spurious; only the clock or shutdown ends
	 * the sleep. */
	while (!st->stopping && fsrv_now_ns() < until_ns)
		if (pthread_cond_timedwait(&st->cond, &st->lock, &ts) ==
		    ETIMEDOUT)
			break;
	done = !st->stopping;
	pthread_mutex_unlock(&st->lock);
	return done;
}

bool fsrv_sleep_ms(struct fsrv_stop *st, uint64_t ms)
{
	return fsrv_sleep_until_ns(st, fsrv_now_ns() + (int64_t)ms * 1000000);
}
