/* Summary statistics (see stats.h for the arithmetic choices). */
#include "stats.h"
#include "error.h"
#include "sort.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int st_cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* A sorted copy of V, or NULL (FP_ENOMEM / FP_EINVAL in *RC). */
static double *st_sorted(const double *v, size_t n, int *rc)
{
	double *s;
	size_t i;

	*rc = FP_OK;
	if (n > 0 && v == NULL) {
		*rc = FP_EINVAL;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			*rc = FP_EINVAL;
			return NULL;
		}
	}
	if (n > SIZE_MAX / sizeof(*s)) {
		*rc = FP_ENOMEM;
		return NULL;
	}
	s = malloc(n ? n * sizeof(*s) : 1);
	if (s == NULL) {
		*rc = FP_ENOMEM;
		return NULL;
	}
	if (n > 0)
		memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), st_cmp_double);
	return s;
}

/* Neumaier's compensated sum of S (already in canonical order). */
static double st_sum(const double *s, size_t n)
{
	double sum = 0.0, comp = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		double x = s[i], t = sum + x;

		if (fabs(sum) >= fabs(x))
			comp += (sum - t) + x;
		else
			comp += (x - t) + sum;
		sum = t;
	}
	return sum + comp;
}

int fp_stats_total(const double *v, size_t n, double *out)
{
	int rc;
	double *s = st_sorted(v, n, &rc);

	if (s == NULL)
		return rc;
	*out = st_sum(s, n);
	free(s);
	return FP_OK;
}

int fp_stats_compute(const double *v, size_t n, struct fp_stats *out)
{
	int rc;
	double *s = st_sorted(v, n, &rc);
	double sum;

	if (s == NULL)
		return rc;
	out->n = n;
	if (n == 0) {
		out->total = 0.0;
		out->mean = NAN;
		out->median = NAN;
		free(s);
		return FP_OK;
	}
	sum = st_sum(s, n);
	out->total = sum;
	out->mean = sum / (double)n;
	if (n % 2 == 1)
		out->median = s[n / 2];
	else /* halving is exact, so one rounding and no overflow */
		out->median = s[n / 2 - 1] * 0.5 + s[n / 2] * 0.5;
	free(s);
	return FP_OK;
}

int fp_stats_rank_cmp(const struct fp_wb_record *a,
		      const struct fp_wb_record *b)
{
	int c;

	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	c = strcmp(a->code, b->code);
	if (c != 0)
		return c;
	if (a->year != b->year)
		return a->year > b->year ? -1 : 1;
	c = strcmp(a->date, b->date);
	if (c != 0)
		return -c;
	return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

struct st_item {
	const struct fp_wb_record *r;
	size_t idx;
};

/* Full ties keep input order: the sort is stable. */
static int st_cmp_item(const void *pa, const void *pb)
{
	const struct st_item *a = pa, *b = pb;

	return fp_stats_rank_cmp(a->r, b->r);
}

long fp_stats_top(const struct fp_wb_record *const *recs, size_t n, size_t k,
		  size_t *idx)
{
	struct st_item *items;
	size_t i, m;

	if (n > 0 && (recs == NULL || (k > 0 && idx == NULL)))
		return FP_EINVAL;
	for (i = 0; i < n; i++)
		if (recs[i] == NULL || !isfinite(recs[i]->value))
			return FP_EINVAL;
	m = k < n ? k : n;
	if (m == 0)
		return 0;
	if (n > SIZE_MAX / sizeof(*items))
		return FP_ENOMEM;
	items = malloc(n * sizeof(*items));
	if (items == NULL)
		return FP_ENOMEM;
	for (i = 0; i < n; i++) {
		items[i].r = recs[i];
		items[i].idx = i;
	}
	if (fp_sort_stable(items, n, sizeof(*items), st_cmp_item) != FP_OK) {
		free(items);
		return FP_ENOMEM;
	}
	for (i = 0; i < m; i++)
		idx[i] = items[i].idx;
	free(items);
	return (long)m;
}
