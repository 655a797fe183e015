/* World Bank area: the country list once parsed: appending pages,
 * lookups and marking aggregates (see worldbank.h). */
#include "wb_internal.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void fp_wb_countries_free(struct fp_wb_countries *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->items[i].name);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

int fp_wb_countries_append(struct fp_wb_countries *dst,
			   struct fp_wb_countries *src)
{
	struct fp_wb_country *na;

	if (src->n == 0)
		return FP_OK;
	if (dst->n > SIZE_MAX / sizeof(*na) - src->n)
		return FP_ENOMEM;
	na = realloc(dst->items, (dst->n + src->n) * sizeof(*na));
	if (na == NULL)
		return FP_ENOMEM;
	memcpy(na + dst->n, src->items, src->n * sizeof(*na));
	dst->items = na;
	dst->n += src->n;
	free(src->items);
	src->items = NULL;
	src->n = 0;
	return FP_OK;
}

const struct fp_wb_country *
fp_wb_countries_find(const struct fp_wb_countries *l, const char *code)
{
	char c[4];
	size_t i;

	if (l == NULL || fp_wb_code_check(code, c) != FP_OK)
		return NULL;
	/* An ISO3 match wins over an ISO2 one (ids are unique). */
	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].id, c) == 0)
			return &l->items[i];
	for (i = 0; i < l->n; i++)
		if (l->items[i].iso2[0] != '\0' &&
		    strcmp(l->items[i].iso2, c) == 0)
			return &l->items[i];
	return NULL;
}

int fp_wb_countries_is_aggregate(const struct fp_wb_countries *l,
				 const char *code)
{
	const struct fp_wb_country *c = fp_wb_countries_find(l, code);

	if (c == NULL)
		return FP_ENOENT;
	return c->aggregate ? 1 : 0;
}

int fp_wb_groups_empty(const struct fp_wb_groups *g)
{
	return g == NULL || (g->region[0] == '\0' && g->income[0] == '\0' &&
			     g->lending[0] == '\0');
}

/* WANT is "" (any) or equals HAVE, case aside. */
static bool wb_group_match(const char *want, const char *have)
{
	return want[0] == '\0' || strcasecmp(want, have) == 0;
}

int fp_wb_country_in_groups(const struct fp_wb_country *c,
			    const struct fp_wb_groups *g)
{
	if (g == NULL)
		return 1;
	return wb_group_match(g->region, c->region) &&
	       wb_group_match(g->income, c->income) &&
	       wb_group_match(g->lending, c->lending);
}

size_t fp_wb_page_mark(struct fp_wb_page *p, const struct fp_wb_countries *l)
{
	size_t i, unknown = 0;

	for (i = 0; i < p->nrecords + p->nmissing; i++) {
		struct fp_wb_record *r =
			i < p->nrecords ? &p->records[i]
					: &p->missing[i - p->nrecords];
		int a = fp_wb_countries_is_aggregate(l, r->code);

		if (a < 0)
			unknown++;
		r->aggregate = a == 1;
	}
	return unknown;
}
