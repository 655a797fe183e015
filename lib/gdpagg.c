#include "gdpagg.h"
#include "array.h"
#include "error.h"
#include "sort.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

int fp_gdpagg_init(struct fp_gdpagg *a, char (*codes)[4], size_t n)
{
	memset(a, 0, sizeof(*a));
	a->requested = calloc(n + 1, sizeof(*a->requested));
	a->req_failed = calloc(n + 1, sizeof(*a->req_failed));
	if (!a->requested || !a->req_failed) {
		fp_gdpagg_free(a);
		return FP_ENOMEM;
	}
	if (n)
		memcpy(a->requested, codes, n * sizeof(*codes));
	a->nrequested = n;
	return FP_OK;
}

void fp_gdpagg_select(struct fp_gdpagg *a, const struct fp_wb_groups *g)
{
	memset(&a->groups, 0, sizeof(a->groups));
	if (g != NULL)
		a->groups = *g;
}

int fp_gdpagg_selected(const struct fp_gdpagg *a, const char *code)
{
	const struct fp_wb_country *c;

	if (fp_wb_groups_empty(&a->groups))
		return 1;
	c = fp_wb_countries_find(&a->clist, code);
	return c != NULL && fp_wb_country_in_groups(c, &a->groups);
}

int fp_gdpagg_add_page(struct fp_gdpagg *a, struct fp_wb_page *p)
{
	size_t i;

	if (fp_array_reserve(&a->recs, &a->arecs, a->nrecs + p->nrecords,
			     sizeof(*a->recs), 256))
		return FP_ENOMEM;
	for (i = 0; i < p->nrecords; i++) {
		if (!fp_gdpagg_selected(a, p->records[i].code))
			continue;
		a->recs[a->nrecs++] = p->records[i];
		p->records[i].name = NULL;
	}
	return FP_OK;
}

int fp_gdpagg_add_countries(struct fp_gdpagg *a, struct fp_wb_countries *c)
{
	int rc = fp_wb_countries_append(&a->clist, c);

	if (rc == FP_OK)
		a->have_clist = true;
	return rc;
}

void fp_gdpagg_fail(struct fp_gdpagg *a, const char *code)
{
	size_t i;

	for (i = 0; i < a->nrequested; i++)
		if (!strcmp(a->requested[i], code))
			a->req_failed[i] = true;
}

static bool gdpagg_has_value(const struct fp_gdpagg *a, const char *code,
			     const char *alias, const char *ind)
{
	size_t k;

	for (k = 0; k < a->nrecs; k++)
		if ((!strcmp(a->recs[k].code, code) ||
		     (alias && !strcmp(a->recs[k].code, alias))) &&
		    (ind == NULL || !strcmp(a->recs[k].indicator, ind)))
			return true;
	return false;
}

size_t fp_gdpagg_missing(const struct fp_gdpagg *a, const char *ind)
{
	size_t i, missing = 0;

	if (a->nrequested) {
		for (i = 0; i < a->nrequested; i++) {
			const struct fp_wb_country *c;

			if (a->req_failed[i] ||
			    !fp_gdpagg_selected(a, a->requested[i]))
				continue;
			c = fp_wb_countries_find(&a->clist, a->requested[i]);
			missing += !gdpagg_has_value(a, a->requested[i],
						     c ? c->id : NULL, ind);
		}
		return missing;
	}
	for (i = 0; i < a->clist.n; i++)
		if (fp_wb_country_in_groups(&a->clist.items[i], &a->groups))
			missing += !gdpagg_has_value(a, a->clist.items[i].id,
						     NULL, ind);
	return missing;
}

int fp_gdpagg_finish(struct fp_gdpagg *a, enum fp_gdp_sort how,
		     struct fp_gdp_summary *sum)
{
	struct fp_wb_page view = { 0 };

	view.records = a->recs;
	view.nrecords = a->nrecs;
	if (a->have_clist)
		fp_wb_page_mark(&view, &a->clist);
	if (fp_gdpout_sort(a->recs, a->nrecs, how))
		return FP_ENOMEM;
	return fp_gdpout_summarize(a->recs, a->nrecs,
				   fp_gdpagg_missing(a, NULL), sum);
}

/* A record with the rank of its indicator, for the sorts of a run of
 * several indicators. */
struct gdpagg_ranked {
	size_t rank;
	struct fp_wb_record r;
};

static int gdpagg_cmp_code(const void *pa, const void *pb)
{
	const struct gdpagg_ranked *a = pa, *b = pb;
	int c = strcmp(a->r.code, b->r.code);

	if (c != 0)
		return c;
	if (a->r.year != b->r.year)
		return a->r.year > b->r.year ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int gdpagg_cmp_value(const void *pa, const void *pb)
{
	const struct gdpagg_ranked *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return fp_stats_rank_cmp(&a->r, &b->r);
}

static int gdpagg_sort_multi(struct fp_gdpagg *a, const char *const *ids,
			     size_t nind, enum fp_gdp_sort how)
{
	struct gdpagg_ranked *t;
	size_t i, k;
	int rc;

	if (how == FP_GDP_SORT_COMPLETION || a->nrecs < 2)
		return how <= FP_GDP_SORT_VALUE ? FP_OK : FP_EINVAL;
	if (how != FP_GDP_SORT_CODE && how != FP_GDP_SORT_VALUE)
		return FP_EINVAL;
	t = malloc(a->nrecs * sizeof(*t));
	if (t == NULL)
		return FP_ENOMEM;
	for (i = 0; i < a->nrecs; i++) {
		t[i].r = a->recs[i];
		t[i].rank = nind;
		for (k = 0; k < nind; k++)
			if (!strcmp(ids[k], a->recs[i].indicator))
				t[i].rank = k;
	}
	rc = fp_sort_stable(t, a->nrecs, sizeof(*t),
			    how == FP_GDP_SORT_CODE ? gdpagg_cmp_code
						    : gdpagg_cmp_value);
	if (rc == FP_OK)
		for (i = 0; i < a->nrecs; i++)
			a->recs[i] = t[i].r;
	free(t);
	return rc;
}

int fp_gdpagg_finish_multi(struct fp_gdpagg *a, const char *const *ids,
			   size_t nind, enum fp_gdp_sort how,
			   struct fp_gdp_summary *sums)
{
	struct fp_wb_page view = { 0 };
	struct fp_wb_record *sub;
	size_t i, k, n;
	int rc = FP_OK;

	view.records = a->recs;
	view.nrecords = a->nrecs;
	if (a->have_clist)
		fp_wb_page_mark(&view, &a->clist);
	rc = gdpagg_sort_multi(a, ids, nind, how);
	if (rc != FP_OK)
		return rc;
	sub = malloc((a->nrecs ? a->nrecs : 1) * sizeof(*sub));
	if (sub == NULL)
		return FP_ENOMEM;
	for (k = 0; rc == FP_OK && k < nind; k++) {
		for (i = 0, n = 0; i < a->nrecs; i++)
			if (!strcmp(a->recs[i].indicator, ids[k]))
				sub[n++] = a->recs[i];
		rc = fp_gdpout_summarize(sub, n, fp_gdpagg_missing(a, ids[k]),
					 &sums[k]);
	}
	free(sub);
	return rc;
}

int fp_gdpagg_view(const struct fp_gdpagg *a, enum fp_gdp_aggsel sel,
		   struct fp_wb_record **out, size_t *n)
{
	size_t i;

	*n = 0;
	*out = malloc((a->nrecs ? a->nrecs : 1) * sizeof(**out));
	if (*out == NULL)
		return FP_ENOMEM;
	for (i = 0; i < a->nrecs; i++)
		if (fp_gdpout_agg_prints(sel, a->recs[i].aggregate))
			(*out)[(*n)++] = a->recs[i];
	return FP_OK;
}

void fp_gdpagg_free(struct fp_gdpagg *a)
{
	size_t i;

	for (i = 0; i < a->nrecs; i++)
		free(a->recs[i].name);
	free(a->recs);
	fp_wb_countries_free(&a->clist);
	free(a->requested);
	free(a->req_failed);
	memset(a, 0, sizeof(*a));
}
