/* Fuzz target: the Retry-After parser and the HTTP-date parser
 * (fp_retry_after_parse(), fp_http_date_parse(); lib/retry.h,
 * lib/timeutil.h). Both see server header values.
 *
 * Invariants: a parsed Retry-After wait is within 0..FP_RETRY_AFTER_CAP_MS;
 * a failed parse leaves the output untouched; the same value at the same
 * "now" parses the same way twice; a parsed date formats as an
 * IMF-fixdate that parses back to the same time. */
#include "fuzz.h"
#include "error.h"
#include "retry.h"
#include "timeutil.h"

#include <string.h>

/* A fixed "now" keeps runs reproducible: 2026-01-01T00:00:00Z. */
#define FUZZ_NOW ((time_t)1767225600)

static void fuzz_retry_after(const char *s)
{
	int64_t ms = -12345, again = -12345;
	int rc = fp_retry_after_parse(s, FUZZ_NOW, &ms);

	if (rc == FP_OK) {
		FUZZ_CHECK(ms >= 0 && ms <= FP_RETRY_AFTER_CAP_MS);
		FUZZ_CHECK(ms % 1000 == 0);
	} else {
		FUZZ_CHECK(rc == FP_EPARSE);
		FUZZ_CHECK(ms == -12345);
	}
	FUZZ_CHECK(fp_retry_after_parse(s, FUZZ_NOW, &again) == rc);
	if (rc == FP_OK)
		FUZZ_CHECK(again == ms);
	/* The wait the retry loop uses must stay bounded either way. */
	{
		uint64_t rng;
		int64_t w;

		fp_retry_rng_seed(&rng, 1);
		w = fp_retry_wait_ms(3, &rng, s, FUZZ_NOW);
		FUZZ_CHECK(w >= 0 && w <= FP_RETRY_AFTER_CAP_MS);
	}
}

static void fuzz_date(const char *s)
{
	time_t t = 0, back = 0;
	char buf[64];

	if (fp_http_date_parse(s, &t) != FP_OK)
		return;
	/* Years 0..9999 are what an IMF-fixdate can spell. */
	if (t < (time_t)-62167219200LL || t > (time_t)253402300799LL)
		return;
	fp_http_date_format(t, buf, sizeof(buf));
	FUZZ_CHECK(fp_http_date_parse(buf, &back) == FP_OK);
	FUZZ_CHECK(back == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	/* Header values are short; long inputs only slow the fuzzer. */
	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	FUZZ_OOM(s);
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_retry_after(s);
	fuzz_date(s);
	free(s);
	return 0;
}
