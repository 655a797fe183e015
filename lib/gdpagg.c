#include "gdpagg.h"
#include "array.h"
#include "error.h"

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

int fp_gdpagg_add_page(struct fp_gdpagg *a, struct fp_wb_page *p)
{
	size_t i;

	if (fp_array_reserve(&a->recs, &a->arecs, a->nrecs + p->nrecords,
			     sizeof(*a->recs), 256))
		return FP_ENOMEM;
	for (i = 0; i < p->nrecords; i++) {
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
			     const char *alias)
{
	size_t k;

	for (k = 0; k < a->nrecs; k++)
		if (!strcmp(a->recs[k].code, code) ||
		    (alias && !strcmp(a->recs[k].code, alias)))
			return true;
	return false;
}

size_t fp_gdpagg_missing(const struct fp_gdpagg *a)
{
	size_t i, missing = 0;

	if (a->nrequested) {
		for (i = 0; i < a->nrequested; i++) {
			const struct fp_wb_country *c;

			if (a->req_failed[i])
				continue;
			c = fp_wb_countries_find(&a->clist, a->requested[i]);
			missing += !gdpagg_has_value(a, a->requested[i],
						     c ? c->id : NULL);
		}
		return missing;
	}
	for (i = 0; i < a->clist.n; i++)
		missing += !gdpagg_has_value(a, a->clist.items[i].id, NULL);
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
	return fp_gdpout_summarize(a->recs, a->nrecs, fp_gdpagg_missing(a),
				   sum);
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
