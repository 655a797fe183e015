#include "retry.h"
#include "error.h"
#include "timeutil.h"

#include <string.h>

int fp_retry_http_transient(long status)
{
	switch (status) {
	case 408: /* Request Timeout: the server gave up waiting for us. */
	case 425: /* Too Early: replay protection, retry is the remedy. */
	case 429: /* Too Many Requests: back off, then try again. */
	case 500: /* Internal Server Error: often a passing fault. */
	case 502: /* Bad Gateway: an upstream hiccup. */
	case 503: /* Service Unavailable: overload or maintenance. */
	case 504: /* Gateway Timeout: an upstream timeout. */
		return 1;
	default:
		return 0;
	}
}

int fp_retry_curl_transient(CURLcode rc)
{
	return fp_retry_curl_transient_os(rc, 0);
}

int fp_retry_curl_transient_os(CURLcode rc, long os_errno)
{
	switch (rc) {
	/* Name resolution can fail for a moment (resolver restart, flaky
	 * network); a wrong host name costs only the bounded retries. */
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	/* Refused or unreachable: a server restarting, a full backlog. */
	case CURLE_COULDNT_CONNECT:
	/* The connection dropped mid-transfer: reset, truncated body, an
	 * empty reply from a server that closed a kept-alive connection. */
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	/* --timeout, --connect-timeout and the low-speed stall limit all end
	 * here; a slow moment on the network or the server. */
	case CURLE_OPERATION_TIMEDOUT:
	/* An HTTP/2 or HTTP/3 stream or session reset (GOAWAY, RST_STREAM):
	 * the same request on a fresh stream usually succeeds. */
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
#if LIBCURL_VERSION_NUM >= 0x074500 /* 7.69.0 */
	case CURLE_QUIC_CONNECT_ERROR:
#endif
	/* The connection pool had nothing usable this instant. */
	case CURLE_NO_CONNECTION_AVAILABLE:
		return 1;

	/* A failed TLS handshake is transient only when the network cut it
	 * short: the socket reported an error (a reset by a busy terminator,
	 * ECONNRESET). Without one the peer answered, and not with TLS (a
	 * plain HTTP port, a protocol or cipher mismatch): the same bytes
	 * come back on every attempt, so asking again only delays the
	 * report. A certificate that fails verification is a different
	 * code, CURLE_PEER_FAILED_VERIFICATION, and stays permanent below. */
	case CURLE_SSL_CONNECT_ERROR:
		return os_errno != 0;

	/* Permanent, on purpose:
	 * - CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
	 *   CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR,
	 *   CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS: the
	 *   same certificate fails the same way; retrying an untrusted peer
	 *   would look like persistence against a man in the middle.
	 * - CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: the request can
	 *   never be made (this includes redirects to other schemes).
	 * - CURLE_TOO_MANY_REDIRECTS: a redirect loop stays a loop.
	 * - CURLE_WRITE_ERROR, CURLE_FILESIZE_EXCEEDED: our side refused the
	 *   body (disk full, --max-size); the server is not at fault.
	 * - CURLE_ABORTED_BY_CALLBACK: cancellation; a caller that aborts for
	 *   a stall classifies that itself.
	 * - CURLE_HTTP_RETURNED_ERROR: the status decides, through
	 *   fp_retry_http_transient().
	 * - CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING,
	 *   CURLE_RANGE_ERROR: the server speaks something we cannot use.
	 * - CURLE_OUT_OF_MEMORY and API misuse codes: local, not network. */
	default:
		return 0;
	}
}

void fp_retry_rng_seed(uint64_t *rng, uint64_t seed)
{
	*rng = seed;
}

/* splitmix64 (Steele, Lea, Flood 2014): every state, 0 included, is a
 * valid seed, and one addition plus a finaliser is plenty for jitter. */
uint64_t fp_retry_rng_next(uint64_t *rng)
{
	uint64_t z = (*rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

int64_t fp_retry_backoff_ms(unsigned attempt, uint64_t *rng)
{
	int64_t ceiling = FP_RETRY_BASE_MS;
	unsigned i;

	if (attempt == 0)
		attempt = 1;
	/* Double step by step and stop at the cap: no shift can overflow
	 * however large attempt is, and the loop ends after a few rounds. */
	for (i = 1; i < attempt && ceiling < FP_RETRY_CAP_MS; i++)
		ceiling *= 2;
	if (ceiling > FP_RETRY_CAP_MS)
		ceiling = FP_RETRY_CAP_MS;
	/* The modulo bias of a 64-bit value over at most 30001 is ~1e-15. */
	return (int64_t)(fp_retry_rng_next(rng) % (uint64_t)(ceiling + 1));
}

static int retry_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Longest value worth handing to the date parser: an IMF-fixdate is 29
 * bytes, the RFC 850 form at most 33 with a long weekday name. */
#define RETRY_DATE_MAX 64

int fp_retry_after_parse(const char *value, time_t now, int64_t *ms)
{
	const char *start, *end, *p;
	char date[RETRY_DATE_MAX + 1];
	time_t when;
	size_t len;
	int64_t secs;
	uint64_t diff;

	if (!value)
		return FP_EPARSE;
	start = value;
	while (retry_is_blank(*start))
		start++;
	end = start + strlen(start);
	while (end > start && retry_is_blank(end[-1]))
		end--;
	if (start == end)
		return FP_EPARSE;

	if (*start >= '0' && *start <= '9') {
		/* delta-seconds = 1*DIGIT; saturate instead of overflowing,
		 * since anything past the cap means the cap. No HTTP-date
		 * starts with a digit, so "1.5" or "10s" are simply bad. */
		secs = 0;
		for (p = start; p < end; p++) {
			if (*p < '0' || *p > '9')
				return FP_EPARSE;
			if (secs <= FP_RETRY_AFTER_CAP_MS / 1000)
				secs = secs * 10 + (*p - '0');
		}
		if (secs > FP_RETRY_AFTER_CAP_MS / 1000)
			*ms = FP_RETRY_AFTER_CAP_MS;
		else
			*ms = secs * 1000;
		return FP_OK;
	}

	len = (size_t)(end - start);
	if (len > RETRY_DATE_MAX)
		return FP_EPARSE;
	memcpy(date, start, len);
	date[len] = '\0';
	if (fp_http_date_parse(date, &when) != FP_OK)
		return FP_EPARSE;
	if (when <= now) {
		*ms = 0;
		return FP_OK;
	}
	/* when > now, so the unsigned difference is exact whatever the
	 * two are; compare in seconds before multiplying. */
	diff = (uint64_t)when - (uint64_t)now;
	if (diff > FP_RETRY_AFTER_CAP_MS / 1000)
		*ms = FP_RETRY_AFTER_CAP_MS;
	else
		*ms = (int64_t)diff * 1000;
	return FP_OK;
}

int64_t fp_retry_wait_ms(unsigned attempt, uint64_t *rng,
			 const char *retry_after, time_t now)
{
	int64_t ms;

	if (retry_after &&
	    fp_retry_after_parse(retry_after, now, &ms) == FP_OK)
		return ms;
	return fp_retry_backoff_ms(attempt, rng);
}
