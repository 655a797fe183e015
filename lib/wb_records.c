/* World Bank area: building records and country entries from the
 * fields either parser found, and freeing them (see wb_internal.h). */
#include "wb_internal.h"
#include "array.h"
#include "error.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* First capacities of the growing arrays: a page holds 50 records by
 * default, the country list about 300 entries. */
#define WB_RECS_INITIAL 16
#define WB_COUNTRIES_INITIAL 64

void fp_wb_record_clear(struct fp_wb_record *r)
{
	if (r == NULL)
		return;
	free(r->name);
	memset(r, 0, sizeof(*r));
}

int fp_wb_record_copy(struct fp_wb_record *dst, const struct fp_wb_record *src)
{
	*dst = *src;
	dst->name = NULL;
	if (src->name != NULL) {
		dst->name = strdup(src->name);
		if (dst->name == NULL) {
			memset(dst, 0, sizeof(*dst));
			return FP_ENOMEM;
		}
	}
	return FP_OK;
}

void fp_wb_page_free(struct fp_wb_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrecords; i++)
		free(p->records[i].name);
	for (i = 0; i < p->nmissing; i++)
		free(p->missing[i].name);
	free(p->records);
	free(p->missing);
	memset(p, 0, sizeof(*p));
}

void wb_build_init(struct wb_page_build *pb, struct fp_wb_page *out,
		   const char *req_code)
{
	memset(out, 0, sizeof(*out));
	memset(pb, 0, sizeof(*pb));
	pb->page = out;
	if (req_code == NULL || strcasecmp(req_code, "all") == 0 ||
	    fp_wb_code_check(req_code, pb->req_code) != FP_OK)
		pb->req_code[0] = '\0';
}

/* The characters fp_wb_indicator_check() accepts. */
static bool wb_indicator_chars(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!wb_is_alnum(c) && c != '.' && c != '_' && c != '-')
			return false;
	}
	return true;
}

void fp_wb_page_fill_indicator(struct fp_wb_page *p, const char *id)
{
	size_t i;

	if (p == NULL || fp_wb_indicator_check(id) != FP_OK)
		return;
	for (i = 0; i < p->nrecords + p->nmissing; i++) {
		struct fp_wb_record *r =
			i < p->nrecords ? &p->records[i]
					: &p->missing[i - p->nrecords];

		if (r->indicator[0] == '\0')
			snprintf(r->indicator, sizeof(r->indicator), "%s",
				 id);
	}
}

int wb_rec_fill(struct wb_page_build *pb, const struct wb_raw_rec *raw,
		size_t idx, char *err, size_t errlen)
{
	struct fp_wb_page *p = pb->page;
	struct fp_wb_record *r;
	char code[4];
	size_t i;

	if (raw->iso3 != NULL && raw->iso3_len > 0) {
		if (!wb_code_copy(code, raw->iso3, raw->iso3_len, 2)) {
			fp_utf8_format(err, errlen,
				       "record %zu: bad countryiso3code", idx);
			return FP_EPARSE;
		}
	} else if (pb->req_code[0] != '\0') {
		memcpy(code, pb->req_code, sizeof(code));
	} else if (!wb_code_copy(code, raw->id2, raw->id2_len, 2)) {
		fp_utf8_format(err, errlen, "record %zu: no country code", idx);
		return FP_EPARSE;
	}
	if (raw->date == NULL || raw->date_len == 0 ||
	    raw->date_len >= sizeof(r->date)) {
		fp_utf8_format(err, errlen, "record %zu: bad date", idx);
		return FP_EPARSE;
	}
	for (i = 0; i < raw->date_len; i++) {
		if (!wb_is_alnum((unsigned char)raw->date[i])) {
			fp_utf8_format(err, errlen, "record %zu: bad date",
				       idx);
			return FP_EPARSE;
		}
	}
	if (raw->ind != NULL && raw->ind_len > 0 &&
	    (raw->ind_len > FP_WB_INDICATOR_MAX ||
	     !wb_indicator_chars(raw->ind, raw->ind_len))) {
		fp_utf8_format(err, errlen, "record %zu: bad indicator id",
			       idx);
		return FP_EPARSE;
	}
	if (raw->has_value)
		r = fp_array_push(&p->records, &p->nrecords, &pb->cap_rec,
				  sizeof(*r), WB_RECS_INITIAL);
	else
		r = fp_array_push(&p->missing, &p->nmissing, &pb->cap_miss,
				  sizeof(*r), WB_RECS_INITIAL);
	if (r == NULL)
		return FP_ENOMEM;
	memcpy(r->code, code, sizeof(r->code));
	if (raw->ind != NULL && raw->ind_len > 0)
		memcpy(r->indicator, raw->ind, raw->ind_len);
	r->indicator[raw->ind ? raw->ind_len : 0] = '\0';
	memcpy(r->date, raw->date, raw->date_len);
	r->date[raw->date_len] = '\0';
	r->year = (raw->date_len == 4 && wb_four_digits(r->date))
			  ? atoi(r->date)
			  : 0;
	r->value = raw->has_value ? raw->value : NAN;
	r->name = wb_dup_text(raw->name ? raw->name : "",
			      raw->name ? raw->name_len : 0);
	if (r->name == NULL)
		return FP_ENOMEM;
	return FP_OK;
}

static bool wb_all_alnum(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!wb_is_alnum((unsigned char)s[i]))
			return false;
	return true;
}

static bool wb_trimmed_eq(const char *s, const char *word)
{
	size_t n, w = strlen(word);

	while (wb_is_space((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && wb_is_space((unsigned char)s[n - 1]))
		n--;
	return n == w && memcmp(s, word, w) == 0;
}

/* A group id ("HIC", "IDX"): kept when short and alphanumeric, else "". */
static void wb_group_copy(char *out, size_t size, const char *id)
{
	size_t n = id ? strlen(id) : 0;

	out[0] = '\0';
	if (n > 0 && n < size && wb_all_alnum(id, n))
		memcpy(out, id, n + 1);
}

int wb_country_fill(struct fp_wb_countries *l, size_t *cap,
		    const struct wb_raw_country *raw, size_t idx, char *err,
		    size_t errlen)
{
	struct fp_wb_country *c;
	char id[4], iso2[4];
	size_t rn;

	if (raw->id == NULL ||
	    !wb_code_copy(id, raw->id, strlen(raw->id), 2)) {
		fp_utf8_format(err, errlen, "entry %zu: bad id", idx);
		return FP_EPARSE;
	}
	if (raw->iso2 == NULL ||
	    !wb_code_copy(iso2, raw->iso2, strlen(raw->iso2), 0)) {
		fp_utf8_format(err, errlen, "entry %zu: bad iso2Code", idx);
		return FP_EPARSE;
	}
	if (raw->name == NULL) {
		fp_utf8_format(err, errlen, "entry %zu: bad name", idx);
		return FP_EPARSE;
	}
	c = fp_array_push(&l->items, &l->n, cap, sizeof(*c),
			  WB_COUNTRIES_INITIAL);
	if (c == NULL)
		return FP_ENOMEM;
	memcpy(c->id, id, sizeof(id));
	memcpy(c->iso2, iso2, sizeof(iso2));
	/* Region ids are short codes ("LCN", "NA"); keep only those. */
	rn = raw->region_id ? strlen(raw->region_id) : 0;
	if (rn > 0 && rn < sizeof(c->region) &&
	    wb_all_alnum(raw->region_id, rn))
		memcpy(c->region, raw->region_id, rn + 1);
	wb_group_copy(c->income, sizeof(c->income), raw->income_id);
	wb_group_copy(c->lending, sizeof(c->lending), raw->lending_id);
	c->aggregate = (raw->region_id && strcmp(raw->region_id, "NA") == 0) ||
		       (raw->region_value &&
			wb_trimmed_eq(raw->region_value, "Aggregates"));
	c->name = wb_dup_text(raw->name, strlen(raw->name));
	if (c->name == NULL)
		return FP_ENOMEM;
	return FP_OK;
}
