/* The run's rate budget: one schedule for every taker, no credit piled up
 * while idle, and a wait that a cancellation ends at once. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
#include "ratelimit.h"
#include "timeutil.h"

#define MS 1000000LL

START_TEST(ratelimit_burst_then_schedule)
{
	struct fp_ratelimit rl;
	int64_t now = 1000 * MS;

	fp_ratelimit_init(&rl, 1000); /* 1 byte a millisecond */
	/* The first 50 bytes (the burst) are due at once. */
	ck_assert_int_le(fp_ratelimit_reserve(&rl, 50, now), now);
	/* The next 100 are due 100 ms later, whoever takes them. */
	ck_assert_int_eq(fp_ratelimit_reserve(&rl, 100, now), now + 100 * MS);
	ck_assert_int_eq(fp_ratelimit_reserve(&rl, 100, now), now + 200 * MS);
	fp_ratelimit_destroy(&rl);
}
END_TEST

START_TEST(ratelimit_shared_by_takers)
{
	/* Four takers of 1000 bytes each at 1000 B/s: the last is due
	 * about 4 s on, not 1 s (one budget, not one per taker). */
	struct fp_ratelimit rl;
	int64_t now = 5 * 1000 * MS, due = 0;
	int i;

	fp_ratelimit_init(&rl, 1000);
	for (i = 0; i < 4; i++)
		due = fp_ratelimit_reserve(&rl, 1000, now);
	ck_assert_int_eq(due, now + 4000 * MS - 50 * MS);
	fp_ratelimit_destroy(&rl);
}
END_TEST

START_TEST(ratelimit_idle_gives_no_credit)
{
	struct fp_ratelimit rl;
	int64_t now = 1000 * MS;

	fp_ratelimit_init(&rl, 1000);
	ck_assert_int_le(fp_ratelimit_reserve(&rl, 10, now), now);
	/* An hour idle: still only the burst is free. */
	now += 3600 * 1000 * MS;
	ck_assert_int_le(fp_ratelimit_reserve(&rl, 50, now), now);
	ck_assert_int_eq(fp_ratelimit_reserve(&rl, 1000, now),
			 now + 1000 * MS);
	fp_ratelimit_destroy(&rl);
}
END_TEST

START_TEST(ratelimit_wait_is_cancellable)
{
	struct fp_ratelimit rl;
	struct fp_cancel tok;
	int64_t t0;

	fp_ratelimit_init(&rl, 1024);
	fp_cancel_init(&tok);
	/* Ten seconds' worth would be due far ahead. */
	fp_ratelimit_reserve(&rl, 10 * 1024, fp_now_ns());
	fp_cancel_fire(&tok);
	t0 = fp_now_ms();
	ck_assert_int_eq(fp_ratelimit_take(&rl, 1024, &tok), FP_ECANCELED);
	ck_assert_int_lt(fp_now_ms() - t0, 1000);
	fp_cancel_destroy(&tok);
	fp_ratelimit_destroy(&rl);
}
END_TEST

START_TEST(ratelimit_chunk_sizes)
{
	ck_assert_uint_eq(fp_ratelimit_chunk(100, 262144), 1024);
	ck_assert_uint_eq(fp_ratelimit_chunk(204800, 262144), 20480);
	ck_assert_uint_eq(fp_ratelimit_chunk(1LL << 30, 262144), 262144);
	ck_assert_int_eq(fp_ratelimit_take(NULL, 1 << 20, NULL), FP_OK);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = unit_tcase("ratelimit");

	tcase_add_test(tc, ratelimit_burst_then_schedule);
	tcase_add_test(tc, ratelimit_shared_by_takers);
	tcase_add_test(tc, ratelimit_idle_gives_no_credit);
	tcase_add_test(tc, ratelimit_wait_is_cancellable);
	tcase_add_test(tc, ratelimit_chunk_sizes);
	suite_add_tcase(s, tc);
	return s;
}
