/* Summary statistics for gdp: total, mean, median, top N.
 *
 * Every result depends only on the multiset of inputs, never on their
 * order, so the summary is the same whatever order the pages complete in:
 * - total: the values are sorted (ascending, a canonical order), then
 *   summed with Neumaier's compensated summation in double. Sorting first
 *   is what makes the result exactly order-independent; compensation
 *   keeps it within about one rounding of the exact sum. Plain double
 *   (not long double) so the result is the same on every platform and
 *   under valgrind, which computes long double as double.
 * - mean: total / n.
 * - median: the middle value of the sorted values; for an even count the
 *   mean of the two middle values, computed as a / 2 + b / 2 (the halving
 *   is exact for normal numbers, so one rounding and no overflow).
 * - top N: by value descending; ties by code ascending, then year
 *   descending, then name, then input position (stable).
 *
 * Inputs must be finite; NaN or infinity gives FP_EINVAL.
 * Thread safety: no shared state; safe on distinct outputs.
 */
#ifndef FP_STATS_H
#define FP_STATS_H

#include <stddef.h>

#include "worldbank.h"

struct fp_stats {
	size_t n;      /* how many values */
	double total;  /* 0 when n == 0 */
	double mean;   /* NAN when n == 0 */
	double median; /* NAN when n == 0 */
};

/* Total, mean and median of V[0..N). V is not modified (a sorted copy is
 * made). Returns FP_OK, FP_EINVAL (a value is not finite, or V is NULL
 * with N > 0) or FP_ENOMEM; OUT is filled only on FP_OK. */
int fp_stats_compute(const double *v, size_t n, struct fp_stats *out);

/* Order-independent total of V[0..N) as described above. Returns FP_OK,
 * FP_EINVAL or FP_ENOMEM; *OUT is set only on FP_OK. */
int fp_stats_total(const double *v, size_t n, double *out);

/* The K largest of RECS[0..N) (pointers, not NULL, finite values) in the
 * order described above: stores up to K indexes into RECS in IDX (room for
 * K) and returns how many (min(K, N)), or FP_ENOMEM / FP_EINVAL
 * (negative). RECS is not modified. */
long fp_stats_top(const struct fp_wb_record *const *recs, size_t n, size_t k,
		  size_t *idx);

/* Compare two records for the top-N order: negative when A ranks before
 * B. Ties all the way down compare equal (0). Exposed for sorting record
 * arrays by value elsewhere. */
int fp_stats_rank_cmp(const struct fp_wb_record *a,
		      const struct fp_wb_record *b);

#endif
