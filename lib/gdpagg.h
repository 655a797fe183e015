/* gdp aggregation: what one run collects and concludes, apart from any
 * fetching. The records of every page (taken over from the parser), the
 * country list (to tell countries from aggregates), the economies asked
 * for and which of their requests failed; then aggregates marked, the
 * records sorted, and the summary with the count of economies that have
 * no value. Used on one thread (gdp's main thread). */
#ifndef FP_GDPAGG_H
#define FP_GDPAGG_H
#include <stdbool.h>
#include <stddef.h>

#include "gdpout.h"
#include "worldbank.h"

struct fp_gdpagg {
	struct fp_wb_record *recs;
	size_t nrecs, arecs;
	struct fp_wb_countries clist;
	bool have_clist;
	char (*requested)[4]; /* ISO codes asked for; none: every economy */
	bool *req_failed;
	size_t nrequested;
	struct fp_wb_groups groups; /* the selection; none: every economy */
};

/* Start empty, asking for the N codes in CODES (copied; N may be 0: every
 * economy). FP_OK or FP_ENOMEM. */
int fp_gdpagg_init(struct fp_gdpagg *a, char (*codes)[4], size_t n);

/* Select economies by group from now on (the country list must be
 * complete before the first page comes): fp_gdpagg_add_page() keeps only
 * records of economies in every group G sets, and economies outside them
 * do not count as missing. */
void fp_gdpagg_select(struct fp_gdpagg *a, const struct fp_wb_groups *g);

/* 1 if CODE is selected: no group is set, or the country list knows it
 * and it belongs to the groups. */
int fp_gdpagg_selected(const struct fp_gdpagg *a, const char *code);

/* Take the page's records (their names move; P keeps empty shells), but
 * only those of selected economies. FP_OK or FP_ENOMEM (nothing
 * taken). */
int fp_gdpagg_add_page(struct fp_gdpagg *a, struct fp_wb_page *p);

/* Take a page of the country list. FP_OK or FP_ENOMEM. */
int fp_gdpagg_add_countries(struct fp_gdpagg *a, struct fp_wb_countries *c);

/* The request for CODE failed: it does not count as missing data. */
void fp_gdpagg_fail(struct fp_gdpagg *a, const char *code);

/* Economies asked for (or, asking for all, listed and selected) without a
 * value for indicator IND (NULL: any indicator). An economy asked for by
 * its ISO2 code is found by the ISO3 code the API answers with, through
 * the country list. */
size_t fp_gdpagg_missing(const struct fp_gdpagg *a, const char *ind);

/* Mark aggregates (when the country list came), sort as HOW, and sum up.
 * FP_OK, FP_ENOMEM or FP_EINVAL. */
int fp_gdpagg_finish(struct fp_gdpagg *a, enum fp_gdp_sort how,
		     struct fp_gdp_summary *sum);

/* The same for a run of several indicators IDS[0..NIND): aggregates
 * marked, the records sorted (code: code, year descending, then the
 * indicators' order; value: by indicator in IDS order, then value
 * descending), and SUMS[i] the summary over the records of IDS[i] with
 * its own count of missing economies. FP_OK, FP_ENOMEM or FP_EINVAL. */
int fp_gdpagg_finish_multi(struct fp_gdpagg *a, const char *const *ids,
			   size_t nind, enum fp_gdp_sort how,
			   struct fp_gdp_summary *sums);

/* The records that print under SEL, as shallow copies (the names stay
 * A's) in *OUT (malloc'd; the caller frees the array only) and their
 * count in *N. FP_OK or FP_ENOMEM. */
int fp_gdpagg_view(const struct fp_gdpagg *a, enum fp_gdp_aggsel sel,
		   struct fp_wb_record **out, size_t *n);

/* Free everything; A is empty afterwards. */
void fp_gdpagg_free(struct fp_gdpagg *a);

#endif
