/* Invariant checks for the World Bank parsers (see fuzz_wb.h). */
#include "fuzz.h"
#include "fuzz_wb.h"
#include "error.h"
#include "utf8.h"
#include "worldbank.h"

#include <math.h>
#include <string.h>

/* 2 or 3 (or, for iso2, 0 to 3) upper-case ASCII letters or digits. */
static int fuzz_wb_code(const char *s, size_t min)
{
	size_t n = strlen(s), i;

	if (n < min || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int fuzz_wb_alnum(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* An error message: non-empty, one line, printable UTF-8 (libxml2's
 * messages can quote raw input bytes; crashes/wb_xml/ holds such cases). */
static void fuzz_wb_check_err(const char *err)
{
	size_t len = strlen(err), i = 0;

	FUZZ_CHECK(len > 0);
	while (i < len) {
		unsigned long cp;
		size_t n = fp_utf8_char((const unsigned char *)err + i,
					len - i, &cp);

		FUZZ_CHECK(n > 0);
		FUZZ_CHECK(cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f));
		i += n;
	}
}

static void fuzz_wb_check_record(const struct fp_wb_record *r, int missing)
{
	size_t dlen = strlen(r->date);

	FUZZ_CHECK(fuzz_wb_code(r->code, 2));
	FUZZ_CHECK(dlen >= 1 && dlen < sizeof(r->date));
	FUZZ_CHECK(fuzz_wb_alnum(r->date));
	if (r->year != 0)
		FUZZ_CHECK(dlen == 4 && r->year == atoi(r->date));
	FUZZ_CHECK(r->name != NULL);
	FUZZ_CHECK(fuzz_printable_utf8(r->name, strlen(r->name), 0));
	FUZZ_CHECK(!r->aggregate);
	/* The indicator id is "" or a code a user could have typed. */
	FUZZ_CHECK(r->indicator[0] == '\0' ||
		   fp_wb_indicator_check(r->indicator) == FP_OK);
	if (missing)
		FUZZ_CHECK(isnan(r->value));
	else
		FUZZ_CHECK(isfinite(r->value));
}

void fuzz_wb_check_page(int rc, const struct fp_wb_page *p, const char *err)
{
	size_t i;

	if (rc != FP_OK) {
		FUZZ_CHECK(rc == FP_EPARSE || rc == FP_EAPI ||
			   rc == FP_ETOOBIG);
		FUZZ_CHECK(p->records == NULL && p->nrecords == 0);
		FUZZ_CHECK(p->missing == NULL && p->nmissing == 0);
		fuzz_wb_check_err(err);
		return;
	}
	FUZZ_CHECK(p->page >= 0 && p->pages >= 0 && p->per_page >= 0 &&
		   p->total >= 0);
	FUZZ_CHECK(strlen(p->lastupdated) < sizeof(p->lastupdated));
	FUZZ_CHECK((p->records == NULL) == (p->nrecords == 0));
	FUZZ_CHECK((p->missing == NULL) == (p->nmissing == 0));
	for (i = 0; i < p->nrecords; i++)
		fuzz_wb_check_record(&p->records[i], 0);
	for (i = 0; i < p->nmissing; i++)
		fuzz_wb_check_record(&p->missing[i], 1);
}

void fuzz_wb_check_countries(int rc, const struct fp_wb_countries *l,
			     const char *err)
{
	size_t i;

	if (rc != FP_OK) {
		FUZZ_CHECK(rc == FP_EPARSE || rc == FP_EAPI ||
			   rc == FP_ETOOBIG);
		FUZZ_CHECK(l->items == NULL && l->n == 0);
		fuzz_wb_check_err(err);
		return;
	}
	for (i = 0; i < l->n; i++) {
		const struct fp_wb_country *c = &l->items[i];

		FUZZ_CHECK(fuzz_wb_code(c->id, 2));
		FUZZ_CHECK(fuzz_wb_code(c->iso2, 0));
		FUZZ_CHECK(c->name != NULL);
		FUZZ_CHECK(fuzz_printable_utf8(c->name, strlen(c->name), 0));
		FUZZ_CHECK(strlen(c->region) < sizeof(c->region));
		FUZZ_CHECK(c->income[0] == '\0' || fuzz_wb_alnum(c->income));
		FUZZ_CHECK(c->lending[0] == '\0' ||
			   fuzz_wb_alnum(c->lending));
		FUZZ_CHECK(fuzz_wb_alnum(c->region));
		/* Lookups must find what the list holds. */
		FUZZ_CHECK(fp_wb_countries_find(l, c->id) != NULL);
		FUZZ_CHECK(fp_wb_countries_is_aggregate(l, c->id) >= 0);
	}
}

void fuzz_wb_run(const char *body, size_t len, fuzz_wb_parse_fn parse)
{
	static const char *const reqs[] = { "JPN", NULL };
	struct fp_wb_countries list;
	struct fp_wb_page page;
	char err[FUZZ_WB_ERRLEN];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		err[0] = '\0';
		rc = parse(body, len, reqs[i], &page, err, sizeof(err));
		fuzz_wb_check_page(rc, &page, err);
		fp_wb_page_free(&page);
	}

	err[0] = '\0';
	rc = fp_wb_parse_data(body, len, "all", &page, err, sizeof(err));
	fuzz_wb_check_page(rc, &page, err);

	err[0] = '\0';
	rc = fp_wb_parse_countries(body, len, &list, err, sizeof(err));
	fuzz_wb_check_countries(rc, &list, err);
	/* Marking a parsed page with a parsed list is what gdp does. */
	if (rc == FP_OK) {
		size_t unknown = fp_wb_page_mark(&page, &list);

		FUZZ_CHECK(unknown <= page.nrecords + page.nmissing);
	}
	fp_wb_countries_free(&list);
	fp_wb_page_free(&page);
}
