/* Retry policy: classification, backoff bounds and jitter, Retry-After. */
#include "runner.h"

#include "error.h"
#include "retry.h"
#include "timeutil.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

START_TEST(http_transient_set)
{
	static const long yes[] = {408, 425, 429, 500, 502, 503, 504};
	static const long no[] = {0,   100, 200, 204, 206, 301, 304, 400,
				  401, 403, 404, 410, 416, 451, 501, 505,
				  599, -1,  LONG_MAX, LONG_MIN};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(fp_retry_http_transient(yes[i]) == 1, "%ld",
			      yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(fp_retry_http_transient(no[i]) == 0, "%ld",
			      no[i]);
}
END_TEST

START_TEST(curl_transient_set)
{
	static const CURLcode yes[] = {
		CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
		CURLE_COULDNT_CONNECT,      CURLE_OPERATION_TIMEDOUT,
		CURLE_RECV_ERROR,           CURLE_SEND_ERROR,
		CURLE_GOT_NOTHING,          CURLE_PARTIAL_FILE,
		CURLE_HTTP2,                CURLE_HTTP2_STREAM,
	};
	static const CURLcode no[] = {
		CURLE_OK,
		CURLE_PEER_FAILED_VERIFICATION,
		CURLE_SSL_CACERT_BADFILE,
		CURLE_SSL_CERTPROBLEM,
		CURLE_URL_MALFORMAT,
		CURLE_UNSUPPORTED_PROTOCOL,
		CURLE_TOO_MANY_REDIRECTS,
		CURLE_WRITE_ERROR,
		CURLE_FILESIZE_EXCEEDED,
		CURLE_ABORTED_BY_CALLBACK,
		CURLE_HTTP_RETURNED_ERROR,
		CURLE_OUT_OF_MEMORY,
		CURLE_BAD_CONTENT_ENCODING,
		/* without a socket error: the peer answered, not in TLS */
		CURLE_SSL_CONNECT_ERROR,
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(fp_retry_curl_transient(yes[i]) == 1, "%s",
			      curl_easy_strerror(yes[i]));
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(fp_retry_curl_transient(no[i]) == 0, "%s",
			      curl_easy_strerror(no[i]));
}
END_TEST

START_TEST(curl_transient_tls_needs_socket_error)
{
	/* An https:// URL on a plain HTTP port: the handshake fails the same
	 * way every time, no socket error. Permanent. */
	ck_assert_int_eq(fp_retry_curl_transient_os(CURLE_SSL_CONNECT_ERROR, 0),
			 0);
	ck_assert_int_eq(fp_retry_curl_transient(CURLE_SSL_CONNECT_ERROR), 0);
	/* A handshake cut by a reset or a timeout: worth another try. */
	ck_assert_int_eq(fp_retry_curl_transient_os(CURLE_SSL_CONNECT_ERROR,
						    ECONNRESET),
			 1);
	ck_assert_int_eq(fp_retry_curl_transient_os(CURLE_SSL_CONNECT_ERROR,
						    EPIPE),
			 1);
	/* The socket error changes nothing for other codes. */
	ck_assert_int_eq(fp_retry_curl_transient_os(CURLE_RECV_ERROR, 0), 1);
	ck_assert_int_eq(fp_retry_curl_transient_os(
				 CURLE_PEER_FAILED_VERIFICATION, ECONNRESET),
			 0);
	ck_assert_int_eq(fp_retry_curl_transient_os(CURLE_URL_MALFORMAT,
						    ECONNRESET),
			 0);
}
END_TEST

START_TEST(wait_without_retry_after_is_jittered)
{
	/* The wait the fetch loop sleeps (no Retry-After): never all zero,
	 * always within [0, ceiling], and the largest draw grows with the
	 * attempt number until the cap. */
	static const int64_t ceil_ms[] = { 500, 1000, 2000, 4000, 8000,
					   16000, 30000, 30000 };
	int64_t prev_max = 0;
	uint64_t rng;
	size_t a;
	int i;

	fp_retry_rng_seed(&rng, 99);
	for (a = 0; a < sizeof(ceil_ms) / sizeof(ceil_ms[0]); a++) {
		int64_t max = 0, sum = 0;
		int zero = 0;

		for (i = 0; i < 2000; i++) {
			int64_t w = fp_retry_wait_ms((unsigned)a + 1, &rng,
						     NULL, 0);

			ck_assert_int_ge(w, 0);
			ck_assert_int_le(w, ceil_ms[a]);
			ck_assert_int_le(w, FP_RETRY_CAP_MS);
			if (w == 0)
				zero++;
			if (w > max)
				max = w;
			sum += w;
		}
		ck_assert_int_lt(zero, 100);
		/* mean about half the ceiling */
		ck_assert_int_gt(sum / 2000, ceil_ms[a] * 4 / 10);
		ck_assert_int_lt(sum / 2000, ceil_ms[a] * 6 / 10);
		ck_assert_int_gt(max, ceil_ms[a] * 9 / 10);
		if (ceil_ms[a] < FP_RETRY_CAP_MS)
			ck_assert_int_gt(max, prev_max);
		prev_max = max;
	}
}
END_TEST

START_TEST(backoff_bounds)
{
	/* Ceiling per attempt: 500, 1000, ..., 16000, then 30000 for good. */
	static const int64_t ceil_ms[] = {500,  500,   1000,  2000, 4000,
					  8000, 16000, 30000, 30000};
	uint64_t rng;
	unsigned a;
	int i;

	fp_retry_rng_seed(&rng, 42);
	for (a = 0; a < sizeof(ceil_ms) / sizeof(ceil_ms[0]); a++) {
		int64_t max = -1, min = INT64_MAX;

		for (i = 0; i < 20000; i++) {
			int64_t w = fp_retry_backoff_ms(a, &rng);

			ck_assert_int_ge(w, 0);
			ck_assert_int_le(w, ceil_ms[a]);
			if (w > max)
				max = w;
			if (w < min)
				min = w;
		}
		/* Full jitter spans the whole range, not a narrow band. */
		ck_assert_int_lt(min, ceil_ms[a] / 20);
		ck_assert_int_gt(max, ceil_ms[a] - ceil_ms[a] / 20);
	}
}
END_TEST

START_TEST(backoff_huge_attempts)
{
	static const unsigned big[] = {31, 32, 33, 63, 64, 65, 1000,
				       UINT_MAX / 2, UINT_MAX - 1, UINT_MAX};
	uint64_t rng;
	size_t i;
	int k;

	fp_retry_rng_seed(&rng, 7);
	for (i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		for (k = 0; k < 1000; k++) {
			int64_t w = fp_retry_backoff_ms(big[i], &rng);

			ck_assert_int_ge(w, 0);
			ck_assert_int_le(w, FP_RETRY_CAP_MS);
		}
}
END_TEST

START_TEST(backoff_jitter_uniform)
{
	/* Attempt 6 has ceiling 16000: ten buckets of ~1600 ms should each
	 * get about a tenth of 100000 draws. */
	int buckets[10] = {0};
	uint64_t rng;
	int i;

	fp_retry_rng_seed(&rng, 0); /* 0 is a valid seed */
	for (i = 0; i < 100000; i++) {
		int64_t w = fp_retry_backoff_ms(6, &rng);
		int b = (int)(w * 10 / 16001);

		buckets[b]++;
	}
	for (i = 0; i < 10; i++) {
		ck_assert_int_gt(buckets[i], 9000);
		ck_assert_int_lt(buckets[i], 11000);
	}
}
END_TEST

START_TEST(backoff_rng_is_per_caller)
{
	uint64_t a, b, c;
	int i, same = 0, differ = 0;

	fp_retry_rng_seed(&a, 1234);
	fp_retry_rng_seed(&b, 1234);
	fp_retry_rng_seed(&c, 1235);
	for (i = 0; i < 100; i++) {
		int64_t wa = fp_retry_backoff_ms(9, &a);
		int64_t wb = fp_retry_backoff_ms(9, &b);
		int64_t wc = fp_retry_backoff_ms(9, &c);

		ck_assert_int_eq(wa, wb); /* same seed, same sequence */
		if (wa == wc)
			same++;
		else
			differ++;
	}
	ck_assert_int_gt(differ, 90);
	ck_assert_int_lt(same, 10);
}
END_TEST

START_TEST(after_delta_seconds)
{
	int64_t ms = -7;

	ck_assert_int_eq(fp_retry_after_parse("0", 1000, &ms), FP_OK);
	ck_assert_int_eq(ms, 0);
	ck_assert_int_eq(fp_retry_after_parse("5", 1000, &ms), FP_OK);
	ck_assert_int_eq(ms, 5000);
	ck_assert_int_eq(fp_retry_after_parse("  42 \t", 1000, &ms), FP_OK);
	ck_assert_int_eq(ms, 42000);
	ck_assert_int_eq(fp_retry_after_parse("120", 1000, &ms), FP_OK);
	ck_assert_int_eq(ms, 120000);
	ck_assert_int_eq(fp_retry_after_parse("121", 1000, &ms), FP_OK);
	ck_assert_int_eq(ms, FP_RETRY_AFTER_CAP_MS);
	ck_assert_int_eq(fp_retry_after_parse("000000000000000000000000007",
					      1000, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 7000);
	ck_assert_int_eq(
		fp_retry_after_parse("99999999999999999999999999999999", 0,
				     &ms),
		FP_OK);
	ck_assert_int_eq(ms, FP_RETRY_AFTER_CAP_MS);
}
END_TEST

START_TEST(after_http_date)
{
	const time_t now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
	char buf[64];
	int64_t ms = -7;

	ck_assert_int_eq(fp_retry_after_parse("Sun, 06 Nov 1994 08:50:07 GMT",
					      now, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 30000);
	/* Now and in the past: retry at once. */
	ck_assert_int_eq(fp_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT",
					      now, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 0);
	ms = -7;
	ck_assert_int_eq(fp_retry_after_parse("Thu, 01 Jan 1970 00:00:00 GMT",
					      now, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 0);
	/* Far future: capped. */
	ck_assert_int_eq(fp_retry_after_parse("Fri, 31 Dec 9999 23:59:59 GMT",
					      now, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, FP_RETRY_AFTER_CAP_MS);
	/* The obsolete forms as well. */
	ck_assert_int_eq(fp_retry_after_parse(
				 "Sunday, 06-Nov-94 08:49:47 GMT", now, &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 10000);
	ck_assert_int_eq(fp_retry_after_parse("Sun Nov  6 08:49:57 1994", now,
					      &ms),
			 FP_OK);
	ck_assert_int_eq(ms, 20000);
	/* Round trip through the formatter. */
	fp_http_date_format(now + 61, buf, sizeof(buf));
	ck_assert_int_eq(fp_retry_after_parse(buf, now, &ms), FP_OK);
	ck_assert_int_eq(ms, 61000);
}
END_TEST

START_TEST(after_malformed)
{
	static const char *const bad[] = {
		"",
		"   ",
		"-1",
		"-0",
		"+5",
		"1.5",
		"10s",
		"5 5",
		"0x10",
		"abc",
		"Sun, 06 Nov 1994",
		"\x01\x02",
		"\xff\xfe",
		"Sun, 06 Nov 1994 08:49:37 GMT junk",
		"Mon, 99 Foo 1994 08:49:37 GMT",
	};
	int64_t ms = 12345;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(fp_retry_after_parse(bad[i], 1000, &ms) ==
				      FP_EPARSE,
			      "accepted '%s'", bad[i]);
		ck_assert_int_eq(ms, 12345); /* untouched */
	}
	ck_assert_int_eq(fp_retry_after_parse(NULL, 1000, &ms), FP_EPARSE);
}
END_TEST

START_TEST(after_hostile_sizes)
{
	const size_t n = 100 * 1024;
	char *s = malloc(n + 1);
	int64_t ms = 0;

	ck_assert_ptr_nonnull(s);
	/* 100 KB of digits: saturates at the cap. */
	memset(s, '9', n);
	s[n] = '\0';
	ck_assert_int_eq(fp_retry_after_parse(s, 0, &ms), FP_OK);
	ck_assert_int_eq(ms, FP_RETRY_AFTER_CAP_MS);
	/* 100 KB of letters, and of digits ending in junk. */
	memset(s, 'A', n);
	ck_assert_int_eq(fp_retry_after_parse(s, 0, &ms), FP_EPARSE);
	memset(s, '1', n);
	s[n - 1] = 'x';
	ck_assert_int_eq(fp_retry_after_parse(s, 0, &ms), FP_EPARSE);
	/* A valid date drowned in blanks is still a date. */
	memset(s, ' ', n);
	memcpy(s + n / 2, "Sun, 06 Nov 1994 08:49:38 GMT", 29);
	ck_assert_int_eq(fp_retry_after_parse(s, 784111777, &ms), FP_OK);
	ck_assert_int_eq(ms, 1000);
	free(s);
}
END_TEST

START_TEST(wait_honours_retry_after)
{
	uint64_t rng;
	int i;

	fp_retry_rng_seed(&rng, 99);
	/* Present and valid: exactly the server's value, even when the
	 * backoff would be longer (attempt 20 has a 30 s ceiling). */
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(fp_retry_wait_ms(20, &rng, "2", 0), 2000);
		ck_assert_int_eq(fp_retry_wait_ms(1, &rng, "0", 0), 0);
		ck_assert_int_eq(fp_retry_wait_ms(1, &rng, "100000", 0),
				 FP_RETRY_AFTER_CAP_MS);
	}
	/* Absent or malformed: the backoff. */
	for (i = 0; i < 1000; i++) {
		int64_t w = fp_retry_wait_ms(2, &rng, NULL, 0);

		ck_assert_int_ge(w, 0);
		ck_assert_int_le(w, 1000);
		w = fp_retry_wait_ms(1, &rng, "soon", 0);
		ck_assert_int_ge(w, 0);
		ck_assert_int_le(w, 500);
	}
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = unit_tcase("retry");

	tcase_add_test(tc, http_transient_set);
	tcase_add_test(tc, curl_transient_set);
	tcase_add_test(tc, curl_transient_tls_needs_socket_error);
	tcase_add_test(tc, wait_without_retry_after_is_jittered);
	tcase_add_test(tc, backoff_bounds);
	tcase_add_test(tc, backoff_huge_attempts);
	tcase_add_test(tc, backoff_jitter_uniform);
	tcase_add_test(tc, backoff_rng_is_per_caller);
	tcase_add_test(tc, after_delta_seconds);
	tcase_add_test(tc, after_http_date);
	tcase_add_test(tc, after_malformed);
	tcase_add_test(tc, after_hostile_sizes);
	tcase_add_test(tc, wait_honours_retry_after);
	suite_add_tcase(s, tc);
	return s;
}
