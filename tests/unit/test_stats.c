/* Unit tests for lib/stats.c: total, mean, median, top N. */
#include "runner.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stats.h"

/* Deterministic shuffles: a fixed-seed LCG, no rand() state. */
static uint64_t lcg_next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void shuffle(double *v, size_t n, uint64_t *seed)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)(lcg_next(seed) % i);
		double t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static bool same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

START_TEST(median_odd)
{
	const double v[] = { 5, 1, 4, 2, 3 };
	struct fp_stats s;

	ck_assert_int_eq(fp_stats_compute(v, 5, &s), FP_OK);
	ck_assert_uint_eq(s.n, 5);
	ck_assert(s.median == 3);
	ck_assert(s.total == 15);
	ck_assert(s.mean == 3);
}
END_TEST

START_TEST(median_even)
{
	const double v[] = { 10, 1, 4, 2 };
	struct fp_stats s;

	ck_assert_int_eq(fp_stats_compute(v, 4, &s), FP_OK);
	ck_assert(s.median == 3); /* (2 + 4) / 2 */
	ck_assert(s.mean == 4.25);
}
END_TEST

START_TEST(median_single_and_empty)
{
	const double v[] = { 42.5 };
	struct fp_stats s;

	ck_assert_int_eq(fp_stats_compute(v, 1, &s), FP_OK);
	ck_assert(s.median == 42.5 && s.mean == 42.5 && s.total == 42.5);
	ck_assert_int_eq(fp_stats_compute(NULL, 0, &s), FP_OK);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(s.total == 0);
	ck_assert(isnan(s.mean) && isnan(s.median));
}
END_TEST

START_TEST(median_no_overflow)
{
	const double v[] = { DBL_MAX, DBL_MAX };
	struct fp_stats s;

	ck_assert_int_eq(fp_stats_compute(v, 2, &s), FP_OK);
	ck_assert(s.median == DBL_MAX);
}
END_TEST

START_TEST(rejects_non_finite)
{
	double v[] = { 1, 2, 3 };
	struct fp_stats s;
	double t;

	v[1] = NAN;
	ck_assert_int_eq(fp_stats_compute(v, 3, &s), FP_EINVAL);
	v[1] = INFINITY;
	ck_assert_int_eq(fp_stats_total(v, 3, &t), FP_EINVAL);
	ck_assert_int_eq(fp_stats_compute(NULL, 2, &s), FP_EINVAL);
}
END_TEST

START_TEST(total_compensated)
{
	const double v[] = { 1e16, 1.0, -1e16, 1.0 };
	double t;

	ck_assert_int_eq(fp_stats_total(v, 4, &t), FP_OK);
	ck_assert(t == 2.0);
}
END_TEST

/* The total must not depend on the order of the values. The data mix
 * magnitudes so that a naive left-to-right sum does depend on it (checked
 * too, so the test keeps its teeth). */
START_TEST(total_order_independent)
{
	enum { N = 500, ROUNDS = 200 };
	double v[N], first, t, naive0 = 0;
	uint64_t seed = 12345;
	bool naive_differs = false;
	size_t i;
	int r;

	for (i = 0; i < N; i++) {
		double mag = pow(10.0, (double)(lcg_next(&seed) % 17));

		v[i] = (double)(lcg_next(&seed) % 1000003) / 7.0 * mag;
		if (i % 3 == 0)
			v[i] = -v[i];
	}
	ck_assert_int_eq(fp_stats_total(v, N, &first), FP_OK);
	for (i = 0; i < N; i++)
		naive0 += v[i];
	for (r = 0; r < ROUNDS; r++) {
		struct fp_stats s;
		double naive = 0;

		shuffle(v, N, &seed);
		ck_assert_int_eq(fp_stats_total(v, N, &t), FP_OK);
		ck_assert_msg(same_bits(t, first), "total %.17g != %.17g", t,
			      first);
		ck_assert_int_eq(fp_stats_compute(v, N, &s), FP_OK);
		ck_assert(same_bits(s.total, first));
		for (i = 0; i < N; i++)
			naive += v[i];
		if (!same_bits(naive, naive0))
			naive_differs = true;
	}
	ck_assert_msg(naive_differs, "test data too tame: naive sum stable");
}
END_TEST

static struct fp_wb_record mkrec(const char *code, double value, int year)
{
	struct fp_wb_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.code, sizeof(r.code), "%s", code);
	snprintf(r.date, sizeof(r.date), "%d", year);
	r.year = year;
	r.value = value;
	r.name = (char *)code; /* not freed here */
	return r;
}

START_TEST(top_order_and_ties)
{
	struct fp_wb_record r[6];
	const struct fp_wb_record *p[6];
	size_t idx[6];
	long n;
	int i;

	r[0] = mkrec("CCC", 5, 2019);
	r[1] = mkrec("BBB", 9, 2019);
	r[2] = mkrec("AAA", 5, 2019);
	r[3] = mkrec("DDD", 1, 2019);
	r[4] = mkrec("EEE", 9, 2019);
	r[5] = mkrec("AAA", 5, 2020); /* same code: newer year first */
	for (i = 0; i < 6; i++)
		p[i] = &r[i];
	n = fp_stats_top(p, 6, 5, idx);
	ck_assert_int_eq(n, 5);
	ck_assert_uint_eq(idx[0], 1); /* BBB 9 */
	ck_assert_uint_eq(idx[1], 4); /* EEE 9 */
	ck_assert_uint_eq(idx[2], 5); /* AAA 5 (2020) */
	ck_assert_uint_eq(idx[3], 2); /* AAA 5 (2019) */
	ck_assert_uint_eq(idx[4], 0); /* CCC 5 */
	ck_assert_int_eq(fp_stats_top(p, 6, 10, idx), 6);
	ck_assert_uint_eq(idx[5], 3);
	ck_assert_int_eq(fp_stats_top(p, 6, 0, idx), 0);
	ck_assert_int_eq(fp_stats_top(p, 0, 5, idx), 0);
}
END_TEST

START_TEST(top_independent_of_input_order)
{
	struct fp_wb_record r[4];
	const struct fp_wb_record *p[4], *q[4];
	size_t a[3], b[3];
	int i;

	r[0] = mkrec("USA", 21e12, 2019);
	r[1] = mkrec("CHN", 14e12, 2019);
	r[2] = mkrec("JPN", 14e12, 2019);
	r[3] = mkrec("DEU", 3e12, 2019);
	for (i = 0; i < 4; i++) {
		p[i] = &r[i];
		q[i] = &r[3 - i];
	}
	ck_assert_int_eq(fp_stats_top(p, 4, 3, a), 3);
	ck_assert_int_eq(fp_stats_top(q, 4, 3, b), 3);
	for (i = 0; i < 3; i++)
		ck_assert_ptr_eq(p[a[i]], q[b[i]]);
	ck_assert_str_eq(p[a[1]]->code, "CHN");
}
END_TEST

START_TEST(top_rejects_nan)
{
	struct fp_wb_record r = mkrec("XXX", NAN, 2019);
	const struct fp_wb_record *p = &r;
	size_t idx[1];

	ck_assert_int_eq(fp_stats_top(&p, 1, 1, idx), FP_EINVAL);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = unit_tcase("stats");

	tcase_add_test(tc, median_odd);
	tcase_add_test(tc, median_even);
	tcase_add_test(tc, median_single_and_empty);
	tcase_add_test(tc, median_no_overflow);
	tcase_add_test(tc, rejects_non_finite);
	tcase_add_test(tc, total_compensated);
	tcase_add_test(tc, total_order_independent);
	tcase_add_test(tc, top_order_and_ties);
	tcase_add_test(tc, top_independent_of_input_order);
	tcase_add_test(tc, top_rejects_nan);
	suite_add_tcase(s, tc);
	return s;
}
