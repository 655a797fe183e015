/* World Bank area: the JSON replies, through cJSON (see worldbank.h).
 * cJSON's nesting limit (1000) turns deeply nested input into an error
 * instead of a stack overflow. */
#include "wb_internal.h"
#include "error.h"
#include "utf8.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

/* cJSON_ParseWithLengthOpts() stores its error position in a static
 * variable on every call, so two threads parsing at once race on it.
 * Only the parse itself is locked. */
static pthread_mutex_t wb_cjson_lock = PTHREAD_MUTEX_INITIALIZER;

static cJSON *wb_json_parse(const char *body, size_t len, char *err,
			    size_t errlen)
{
	const char *end = NULL;
	const char *p;
	size_t n = len;
	cJSON *root;

	p = wb_skip_lead(body, &n);
	if (n == 0) {
		fp_utf8_format(err, errlen, "empty body");
		return NULL;
	}
	if (p[0] == '<') {
		fp_utf8_format(err, errlen, "expected JSON, got XML or HTML");
		return NULL;
	}
	pthread_mutex_lock(&wb_cjson_lock);
	root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
	pthread_mutex_unlock(&wb_cjson_lock);
	if (root == NULL) {
		/* The position tells a truncated body (near its end) from a
		 * corrupt one. */
		if (end != NULL && end >= body && end <= body + len)
			fp_utf8_format(err, errlen,
				       "malformed JSON near byte %zu of %zu",
				       (size_t)(end - body), len);
		else
			fp_utf8_format(err, errlen, "malformed JSON");
		return NULL;
	}
	for (; end != NULL && end < p + n; end++) {
		if (!wb_is_space((unsigned char)*end)) {
			fp_utf8_format(err, errlen, "trailing data after JSON");
			cJSON_Delete(root);
			return NULL;
		}
	}
	return root;
}

/* The API's error body: [{"message":[{"id","key","value"}, ...]}].
 * Returns true (and fills ERR) when ROOT is one. */
static bool wb_json_is_error(const cJSON *root, char *err, size_t errlen)
{
	const cJSON *first, *msgs, *m, *idn;
	const char *id, *key, *val;
	char idbuf[24] = "?";
	int n;

	if (!cJSON_IsArray(root))
		return false;
	first = cJSON_GetArrayItem(root, 0);
	if (!cJSON_IsObject(first))
		return false;
	msgs = cJSON_GetObjectItemCaseSensitive(first, "message");
	if (msgs == NULL)
		return false;
	if (!cJSON_IsArray(msgs) || cJSON_GetArraySize(msgs) == 0) {
		fp_utf8_format(err, errlen, "API error (no message)");
		return true;
	}
	n = cJSON_GetArraySize(msgs);
	m = cJSON_GetArrayItem(msgs, 0);
	idn = cJSON_GetObjectItemCaseSensitive(m, "id");
	id = cJSON_GetStringValue(idn);
	if (id == NULL) {
		/* Tolerate a numeric id; anything else is unknown. */
		if (cJSON_IsNumber(idn) && fabs(idn->valuedouble) < 1e9)
			snprintf(idbuf, sizeof(idbuf), "%.0f",
				 idn->valuedouble);
		id = idbuf;
	}
	key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "key"));
	val = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(m, "value"));
	wb_api_error(err, errlen, id, key, val, (size_t)(n - 1));
	return true;
}

/* A page counter: a non-negative integral number or a digit string. */
static bool wb_json_count(const void *h, const char *name, long *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(h, name);

	if (cJSON_IsNumber(it)) {
		double d = it->valuedouble;

		if (!(d >= 0 && d <= 1e15) || d != floor(d))
			return false;
		*out = (long)d;
		return true;
	}
	if (cJSON_IsString(it))
		return wb_parse_count_str(it->valuestring, out);
	return false;
}

/* Split [header, records] and check the shapes; *RECS may be NULL (the
 * zero-record reply sends null). */
static int wb_json_envelope(const cJSON *root, const cJSON **hdr,
			    const cJSON **recs, char *err, size_t errlen)
{
	if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) != 2) {
		fp_utf8_format(err, errlen,
			       "expected a [header, records] array");
		return FP_EPARSE;
	}
	*hdr = cJSON_GetArrayItem(root, 0);
	*recs = cJSON_GetArrayItem(root, 1);
	if (cJSON_IsNull(*recs)) {
		*recs = NULL;
	} else if (!cJSON_IsArray(*recs)) {
		fp_utf8_format(err, errlen, "records are not an array");
		return FP_EPARSE;
	}
	return FP_OK;
}

/* What a data page and a country page share: parse, recognise the API's
 * error body (FP_EAPI), split [header, records], read the counters. On
 * FP_OK the caller deletes *ROOT; otherwise it is NULL. */
static int wb_json_open(const char *body, size_t len, cJSON **root,
			const cJSON **hdr, const cJSON **recs, long *page,
			long *pages, long *per_page, long *total, char *err,
			size_t errlen)
{
	int rc;

	*root = wb_json_parse(body, len, err, errlen);
	if (*root == NULL)
		return FP_EPARSE;
	if (wb_json_is_error(*root, err, errlen)) {
		rc = FP_EAPI;
	} else {
		rc = wb_json_envelope(*root, hdr, recs, err, errlen);
		if (rc == FP_OK && !cJSON_IsObject(*hdr)) {
			fp_utf8_format(err, errlen, "header is not an object");
			rc = FP_EPARSE;
		}
		if (rc == FP_OK)
			rc = wb_counters(wb_json_count, *hdr, page, pages,
					 per_page, total, err, errlen);
	}
	if (rc != FP_OK) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return rc;
}

static bool wb_json_str(const cJSON *obj, const char *name, const char **s,
			size_t *n)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(it))
		return false;
	*s = it->valuestring;
	*n = strlen(it->valuestring);
	return true;
}

static int wb_json_record(struct wb_page_build *pb, const cJSON *rec,
			  size_t idx, char *err, size_t errlen)
{
	struct wb_raw_rec raw;
	const cJSON *country, *value, *iso3, *ind;

	memset(&raw, 0, sizeof(raw));
	if (!cJSON_IsObject(rec)) {
		fp_utf8_format(err, errlen, "record %zu is not an object", idx);
		return FP_EPARSE;
	}
	country = cJSON_GetObjectItemCaseSensitive(rec, "country");
	if (!cJSON_IsObject(country) ||
	    !wb_json_str(country, "value", &raw.name, &raw.name_len)) {
		fp_utf8_format(err, errlen, "record %zu: bad country", idx);
		return FP_EPARSE;
	}
	if (!wb_json_str(country, "id", &raw.id2, &raw.id2_len))
		raw.id2 = NULL;
	ind = cJSON_GetObjectItemCaseSensitive(rec, "indicator");
	if (ind != NULL && !cJSON_IsObject(ind)) {
		fp_utf8_format(err, errlen,
			       "record %zu: indicator is not an object", idx);
		return FP_EPARSE;
	}
	if (ind != NULL && !wb_json_str(ind, "id", &raw.ind, &raw.ind_len))
		raw.ind = NULL;
	iso3 = cJSON_GetObjectItemCaseSensitive(rec, "countryiso3code");
	if (iso3 != NULL && !cJSON_IsString(iso3)) {
		fp_utf8_format(err, errlen,
			       "record %zu: countryiso3code is not a "
			       "string",
			       idx);
		return FP_EPARSE;
	}
	if (iso3 != NULL) {
		raw.iso3 = iso3->valuestring;
		raw.iso3_len = strlen(iso3->valuestring);
	}
	if (!wb_json_str(rec, "date", &raw.date, &raw.date_len)) {
		fp_utf8_format(err, errlen, "record %zu: date is not a string",
			       idx);
		return FP_EPARSE;
	}
	value = cJSON_GetObjectItemCaseSensitive(rec, "value");
	if (cJSON_IsNull(value)) {
		raw.has_value = false;
	} else if (cJSON_IsNumber(value) && isfinite(value->valuedouble)) {
		raw.has_value = true;
		raw.value = value->valuedouble;
	} else if (cJSON_IsString(value) && value->valuestring[0] == '\0') {
		raw.has_value = false;
	} else if (cJSON_IsString(value) &&
		   wb_parse_number(value->valuestring,
				   strlen(value->valuestring), &raw.value)) {
		/* Pre-v2 answers sent the value as a string. */
		raw.has_value = true;
	} else {
		fp_utf8_format(err, errlen, "record %zu: value is not a number",
			       idx);
		return FP_EPARSE;
	}
	return wb_rec_fill(pb, &raw, idx, err, errlen);
}

int fp_wb_parse_data_json(const char *body, size_t len, const char *req_code,
			  struct fp_wb_page *out, char *err, size_t errlen)
{
	struct wb_page_build pb;
	const cJSON *hdr, *recs, *rec;
	cJSON *root;
	size_t idx = 0;
	int rc;

	wb_build_init(&pb, out, req_code);
	rc = wb_json_open(body, len, &root, &hdr, &recs, &out->page,
			  &out->pages, &out->per_page, &out->total, err,
			  errlen);
	if (rc != FP_OK)
		return rc;
	wb_lastupdated(cJSON_GetStringValue(
			       cJSON_GetObjectItemCaseSensitive(hdr,
								"lastupdated")),
		       out->lastupdated, sizeof(out->lastupdated));
	cJSON_ArrayForEach(rec, recs) {
		rc = wb_json_record(&pb, rec, ++idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
	cJSON_Delete(root);
	if (rc != FP_OK)
		fp_wb_page_free(out);
	return rc;
}

int wb_json_countries(const char *body, size_t len,
		      struct fp_wb_countries *out, char *err, size_t errlen)
{
	const cJSON *hdr, *recs, *rec;
	cJSON *root;
	size_t cap = 0, idx = 0;
	int rc;

	rc = wb_json_open(body, len, &root, &hdr, &recs, &out->page,
			  &out->pages, &out->per_page, &out->total, err,
			  errlen);
	if (rc != FP_OK)
		return rc;
	cJSON_ArrayForEach(rec, recs) {
		struct wb_raw_country raw;
		const cJSON *region;

		idx++;
		if (!cJSON_IsObject(rec)) {
			fp_utf8_format(err, errlen,
				       "entry %zu is not an object", idx);
			rc = FP_EPARSE;
			break;
		}
		region = cJSON_GetObjectItemCaseSensitive(rec, "region");
		raw.id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rec, "id"));
		raw.iso2 = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rec, "iso2Code"));
		raw.name = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rec, "name"));
		raw.region_id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(region, "id"));
		raw.region_value = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(region, "value"));
		raw.income_id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
					rec, "incomeLevel"),
				"id"));
		raw.lending_id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
					rec, "lendingType"),
				"id"));
		rc = wb_country_fill(out, &cap, &raw, idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
	cJSON_Delete(root);
	return rc;
}
