/* Clocks. Deadlines and timed waits use CLOCK_MONOTONIC so that a jump of
 * the wall clock (NTP, an operator) moves no timeout. */
#ifndef FP_TIMEUTIL_H
#define FP_TIMEUTIL_H
#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Monotonic time in milliseconds / nanoseconds since an arbitrary origin. */
int64_t fp_now_ms(void);
int64_t fp_now_ns(void);

/* Wall-clock time in milliseconds since the epoch (for reports only). */
int64_t fp_wall_ms(void);

/* Absolute CLOCK_MONOTONIC timespec for "now + ms"; for timed waits on a
 * condition variable made by fp_cond_init_monotonic(). */
struct timespec fp_deadline_ts(int64_t ms_from_now);

/* Monotonic absolute timespec for a monotonic time in ms. */
struct timespec fp_ms_to_ts(int64_t mono_ms);

/* Initialise a condition variable whose timed waits use CLOCK_MONOTONIC.
 * Returns 0 or an errno value. */
int fp_cond_init_monotonic(pthread_cond_t *cond);

/* Parse an HTTP-date (RFC 9110 IMF-fixdate, plus the obsolete RFC 850 and
 * asctime forms). Returns 0 and sets *out (seconds since the epoch, UTC), or
 * FP_EPARSE. Pure function, thread-safe. */
int fp_http_date_parse(const char *s, time_t *out);

/* Format t as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") into buf,
 * which must hold at least 30 bytes. Returns buf. */
char *fp_http_date_format(time_t t, char *buf, size_t len);

/* Format t (UTC) as ISO 8601 "2026-11-21T10:00:00Z"; buf >= 21 bytes. */
char *fp_iso8601_format(time_t t, char *buf, size_t len);

#endif
