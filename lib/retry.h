/* Retry policy: the one place that decides whether a failure is worth
 * another attempt and how long to wait before it (doc/DESIGN.md,
 * "Retries and failure classes").
 *
 * Transient failures are the ones a later attempt can plausibly cure:
 * the network, an overloaded server, a timeout. Everything else is
 * permanent and retrying it would only delay the report and load the
 * server. Waits use exponential backoff with full jitter (base 0.5 s, cap
 * 30 s), so that many workers failing together do not retry in lock step;
 * a server's Retry-After, when it parses, is honoured as given (capped at
 * 120 s) instead of the backoff.
 *
 * Every function here is pure or works on caller-owned state only, so all
 * are thread-safe as long as each thread uses its own rng state. */
#ifndef FP_RETRY_H
#define FP_RETRY_H

#include <curl/curl.h>
#include <stdint.h>
#include <time.h>

/* Backoff parameters (milliseconds). */
#define FP_RETRY_BASE_MS 500
#define FP_RETRY_CAP_MS 30000
/* The longest Retry-After honoured; longer requests are cut to this. */
#define FP_RETRY_AFTER_CAP_MS 120000

/* 1 when an HTTP status is worth retrying: 408, 425, 429, 500, 502, 503,
 * 504. Any other status (including 501 and every other 4xx) gives 0. */
int fp_retry_http_transient(long status);

/* 1 when a libcurl result is worth retrying (connect and DNS failures,
 * connection resets and truncated replies, timeouts, HTTP/2 and HTTP/3
 * stream errors); 0 for everything else,
 * notably TLS verification failures, bad URLs, unsupported protocols,
 * redirect loops, write errors (local disk or --max-size) and
 * CURLE_ABORTED_BY_CALLBACK: only the caller knows whether an abort was a
 * cancellation (permanent) or its own stall detector (transient). The
 * reasoning for each code is in retry.c. CURLE_OK gives 0.
 * Same as fp_retry_curl_transient_os(rc, 0): a TLS handshake failure
 * (CURLE_SSL_CONNECT_ERROR) without a known socket error is permanent. */
int fp_retry_curl_transient(CURLcode rc);

/* The same, knowing the socket error of the attempt (CURLINFO_OS_ERRNO,
 * 0 when none). It only matters for CURLE_SSL_CONNECT_ERROR: a handshake
 * cut by a socket error (ECONNRESET...) is transient; one the peer
 * answered with something that is not TLS (an https:// URL on a plain
 * HTTP port) is permanent, it would fail the same way every time. */
int fp_retry_curl_transient_os(CURLcode rc, long os_errno);

/* Seed a per-caller random state for fp_retry_backoff_ms(). Any seed is
 * fine, including 0; give each worker a different one (for instance its
 * index mixed with the clock). */
void fp_retry_rng_seed(uint64_t *rng, uint64_t seed);

/* Next pseudo-random 64-bit value from *rng (splitmix64). Not for
 * cryptography. */
uint64_t fp_retry_rng_next(uint64_t *rng);

/* Full-jitter backoff before retry number `attempt` (1 for the first
 * retry, 2 for the second, ...): uniform in
 * [0, min(FP_RETRY_CAP_MS, FP_RETRY_BASE_MS * 2^(attempt-1))] ms, bounds
 * included. attempt 0 is treated as 1. Never overflows, whatever attempt
 * is. rng is advanced; it must not be shared between threads without the
 * caller's own locking. */
int64_t fp_retry_backoff_ms(unsigned attempt, uint64_t *rng);

/* Parse a Retry-After header value (RFC 9110 section 10.2.3): either
 * delta-seconds or an HTTP-date, surrounding blanks allowed. On success
 * returns 0 and sets *ms to the wait in milliseconds: a date in the past
 * (or now) gives 0; anything above FP_RETRY_AFTER_CAP_MS is capped; huge
 * digit strings saturate rather than overflow. Returns FP_EPARSE for NULL,
 * empty, negative, fractional or otherwise malformed values (*ms is left
 * untouched), and the caller then falls back to the backoff. `now` is the
 * current wall-clock time (time(NULL)); it is a parameter so that tests
 * are deterministic. Reads value only up to its terminating NUL. */
int fp_retry_after_parse(const char *value, time_t now, int64_t *ms);

/* The wait before retry number `attempt`: the Retry-After value when
 * retry_after (the raw header value, or NULL when absent) parses, else
 * fp_retry_backoff_ms(attempt, rng).
 *
 * Policy: Retry-After is honoured exactly, not max(backoff, Retry-After).
 * The server knows its own load; when it names a time it is ready, waiting
 * longer only delays the batch, and a server that says "0" has asked for an
 * immediate retry. The number of retries stays bounded by --retries either
 * way, and the 120 s cap stops a hostile value from stalling the run. */
int64_t fp_retry_wait_ms(unsigned attempt, uint64_t *rng,
			 const char *retry_after, time_t now);

#endif
