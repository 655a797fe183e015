/* World Bank Indicators API v2: URLs and reply parsers (see worldbank.h).
 *
 * DESIGN
 * Both parsers build the same structures through the same helpers
 * (wb_rec_fill, wb_country_fill), so the JSON and XML paths can differ
 * only in how they find a field, never in what they accept or store.
 * Everything that comes from the server is checked before it is stored:
 * codes are 2-3 alphanumerics, dates are short alphanumerics, values are
 * finite numbers written in JSON number syntax, names are valid UTF-8
 * without control characters.
 */
#include "worldbank.h"
#include "array.h"
#include "error.h"
#include "hex.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* First capacities of the growing arrays: a page holds 50 records by
 * default, the country list about 300 entries. */
#define WB_RECS_INITIAL 16
#define WB_COUNTRIES_INITIAL 64

/* ================================================================== */
/* Small helpers                                                       */

static bool wb_is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

static int wb_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static bool wb_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skip a UTF-8 byte order mark, then XML/JSON whitespace. */
static const char *wb_skip_lead(const char *p, size_t *len)
{
	if (*len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		*len -= 3;
	}
	while (*len > 0 && wb_is_space((unsigned char)*p)) {
		p++;
		(*len)--;
	}
	return p;
}

/* Copy a code of 2 or 3 alphanumerics (MIN may lower the bound) in upper
 * case. Returns false, with OUT "", for anything else. */
static bool wb_code_copy(char out[4], const char *s, size_t len, size_t min)
{
	size_t i;

	out[0] = '\0';
	if (s == NULL || len < min || len > 3)
		return false;
	for (i = 0; i < len; i++) {
		if (!wb_is_alnum((unsigned char)s[i]))
			return false;
		out[i] = (char)wb_upper((unsigned char)s[i]);
	}
	out[len] = '\0';
	return true;
}

int fp_wb_code_check(const char *in, char out[4])
{
	if (in == NULL || !wb_code_copy(out, in, strlen(in), 2)) {
		out[0] = '\0';
		return FP_EINVAL;
	}
	return FP_OK;
}

/* A printable copy of a server string: invalid UTF-8 becomes U+FFFD,
 * control characters spaces, so both formats give the same text. NULL on
 * ENOMEM. */
static char *wb_dup_text(const char *s, size_t n)
{
	return fp_utf8_repair(s, n, FP_UTF8_CONTROL_SPACE);
}

/* Decimal count as the API sends it: digits only, at most 18 of them. */
static bool wb_parse_count_str(const char *s, long *out)
{
	long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 18)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* strtod() of text written as a JSON number (optional spaces around),
 * finite. The grammar check keeps strtod's extras (hex, inf, nan) out, so
 * XML accepts exactly what cJSON would. */
static bool wb_parse_number(const char *s, size_t n, double *out)
{
	char buf[64];
	char *end;
	size_t i = 0, j;
	double v;

	while (n > 0 && wb_is_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && wb_is_space((unsigned char)s[i]))
		i++;
	if (i == n || n - i >= sizeof(buf))
		return false;
	j = i;
	if (s[j] == '-')
		j++;
	if (j == n || s[j] < '0' || s[j] > '9')
		return false;
	for (; j < n; j++) {
		char c = s[j];

		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
		      c == 'E' || c == '+' || c == '-'))
			return false;
	}
	memcpy(buf, s + i, n - i);
	buf[n - i] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* ================================================================== */
/* URLs                                                                */

struct wb_ub {
	char *buf;
	size_t size;
	size_t len; /* as if the buffer were unbounded */
};

static void wb_ub_putc(struct wb_ub *b, char c)
{
	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

static void wb_ub_puts(struct wb_ub *b, const char *s)
{
	while (*s)
		wb_ub_putc(b, *s++);
}

static void wb_ub_putn(struct wb_ub *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wb_ub_putc(b, s[i]);
}

/* Percent-escape everything but RFC 3986 unreserved characters and, when
 * KEEP_SEMI, the ';' that separates codes in a path segment. */
static void wb_ub_escape(struct wb_ub *b, const char *s, bool keep_semi)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (wb_is_alnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~' || (keep_semi && c == ';')) {
			wb_ub_putc(b, (char)c);
		} else {
			wb_ub_putc(b, '%');
			wb_ub_putc(b, fp_hex_char(c >> 4, 1));
			wb_ub_putc(b, fp_hex_char(c, 1));
		}
	}
}

static void wb_ub_putint(struct wb_ub *b, int v)
{
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%d", v);
	wb_ub_puts(b, tmp);
}

static void wb_ub_finish(struct wb_ub *b)
{
	if (b->size > 0)
		b->buf[b->len < b->size ? b->len : b->size - 1] = '\0';
}

/* The base without trailing slashes; its length, 0 if unusable. */
static size_t wb_base_len(const char *base)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return n;
}

static bool wb_four_digits(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int fp_wb_date_check(const char *date)
{
	size_t n;

	if (date == NULL)
		return FP_EINVAL;
	n = strlen(date);
	if (n == 4 && wb_four_digits(date))
		return FP_OK;
	if (n == 9 && wb_four_digits(date) && date[4] == ':' &&
	    wb_four_digits(date + 5) && memcmp(date, date + 5, 4) <= 0)
		return FP_OK;
	return FP_EINVAL;
}

static const char *wb_format_name(enum fp_wb_format f)
{
	switch (f) {
	case FP_WB_JSON:
		return "json";
	case FP_WB_XML:
		return "xml";
	}
	return NULL;
}

long fp_wb_data_url(const struct fp_wb_query *q, char *buf, size_t size)
{
	struct wb_ub b = { buf, size, 0 };
	const char *base, *country, *ind, *fmt;
	size_t blen;

	if (q == NULL || (buf == NULL && size > 0))
		return FP_EINVAL;
	base = q->base ? q->base : FP_WB_DEFAULT_BASE;
	country = q->country ? q->country : "all";
	ind = q->indicator ? q->indicator : FP_WB_DEFAULT_INDICATOR;
	fmt = wb_format_name(q->format);
	blen = wb_base_len(base);
	if (blen == 0 || country[0] == '\0' || ind[0] == '\0' || fmt == NULL ||
	    q->per_page < 0 || q->page < 0 ||
	    (q->date != NULL && fp_wb_date_check(q->date) != FP_OK))
		return FP_EINVAL;
	if (strcasecmp(country, "all") == 0)
		country = "all";

	wb_ub_putn(&b, base, blen);
	wb_ub_puts(&b, "/country/");
	wb_ub_escape(&b, country, true);
	wb_ub_puts(&b, "/indicator/");
	wb_ub_escape(&b, ind, true);
	if (q->date != NULL) {
		wb_ub_puts(&b, "?date=");
		wb_ub_escape(&b, q->date, false);
	} else {
		/* Most recent non-empty value: each economy's latest year. */
		wb_ub_puts(&b, "?mrnev=1");
	}
	wb_ub_puts(&b, "&format=");
	wb_ub_puts(&b, fmt);
	if (q->per_page > 0) {
		wb_ub_puts(&b, "&per_page=");
		wb_ub_putint(&b, q->per_page);
	}
	if (q->page > 0) {
		wb_ub_puts(&b, "&page=");
		wb_ub_putint(&b, q->page);
	}
	wb_ub_finish(&b);
	return b.len > LONG_MAX ? FP_ETOOBIG : (long)b.len;
}

int fp_wb_data_url_alloc(const struct fp_wb_query *q, char **out)
{
	long n;
	char *s;

	*out = NULL;
	n = fp_wb_data_url(q, NULL, 0);
	if (n < 0)
		return (int)n;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return FP_ENOMEM;
	fp_wb_data_url(q, s, (size_t)n + 1);
	*out = s;
	return FP_OK;
}

int fp_wb_country_list_url(const char *base, int per_page, int page,
			   enum fp_wb_format format, char **out)
{
	struct wb_ub b = { NULL, 0, 0 };
	const char *fmt = wb_format_name(format);
	size_t blen;
	int pass;

	*out = NULL;
	if (base == NULL)
		base = FP_WB_DEFAULT_BASE;
	blen = wb_base_len(base);
	if (blen == 0 || fmt == NULL || per_page < 0 || page < 0)
		return FP_EINVAL;
	/* Pass 0 measures, pass 1 writes. */
	for (pass = 0; pass < 2; pass++) {
		char sep = '?';

		if (pass == 1) {
			b.size = b.len + 1;
			b.buf = malloc(b.size);
			if (b.buf == NULL)
				return FP_ENOMEM;
			b.len = 0;
		}
		wb_ub_putn(&b, base, blen);
		wb_ub_puts(&b, "/country");
		if (per_page > 0) {
			wb_ub_putc(&b, sep);
			wb_ub_puts(&b, "per_page=");
			wb_ub_putint(&b, per_page);
			sep = '&';
		}
		if (page > 0) {
			wb_ub_putc(&b, sep);
			wb_ub_puts(&b, "page=");
			wb_ub_putint(&b, page);
			sep = '&';
		}
		wb_ub_putc(&b, sep);
		wb_ub_puts(&b, "format=");
		wb_ub_puts(&b, fmt);
	}
	wb_ub_finish(&b);
	*out = b.buf;
	return FP_OK;
}

/* ================================================================== */
/* Records and pages                                                   */

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

/* The fields of one record as found in either format. Strings are not
 * NUL-terminated; a NULL pointer means "absent". */
struct wb_raw_rec {
	const char *iso3;
	size_t iso3_len;
	const char *id2;
	size_t id2_len;
	const char *name;
	size_t name_len;
	const char *date;
	size_t date_len;
	bool has_value; /* false: null */
	double value;
};

struct wb_page_build {
	struct fp_wb_page *page;
	size_t cap_rec, cap_miss;
	char req_code[4]; /* "" unless the request named one economy */
};

static void wb_build_init(struct wb_page_build *pb, struct fp_wb_page *out,
			  const char *req_code)
{
	memset(out, 0, sizeof(*out));
	memset(pb, 0, sizeof(*pb));
	pb->page = out;
	if (req_code == NULL || strcasecmp(req_code, "all") == 0 ||
	    fp_wb_code_check(req_code, pb->req_code) != FP_OK)
		pb->req_code[0] = '\0';
}

/* Check and store one record; IDX (1-based) names it in errors. */
static int wb_rec_fill(struct wb_page_build *pb, const struct wb_raw_rec *raw,
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
	if (raw->has_value)
		r = fp_array_push(&p->records, &p->nrecords, &pb->cap_rec,
				  sizeof(*r), WB_RECS_INITIAL);
	else
		r = fp_array_push(&p->missing, &p->nmissing, &pb->cap_miss,
				  sizeof(*r), WB_RECS_INITIAL);
	if (r == NULL)
		return FP_ENOMEM;
	memcpy(r->code, code, sizeof(r->code));
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

/* "API error 120 (Invalid value): The provided ..." from the parts. */
static void wb_api_error(char *err, size_t errlen, const char *id,
			 const char *key, const char *text, size_t more)
{
	char *sid = wb_dup_text(id ? id : "", id ? strlen(id) : 0);
	char *skey = wb_dup_text(key ? key : "", key ? strlen(key) : 0);
	char *stext = wb_dup_text(text ? text : "", text ? strlen(text) : 0);
	char extra[48] = "";

	if (more > 0)
		snprintf(extra, sizeof(extra), " (and %zu more)", more);
	if (sid == NULL || skey == NULL || stext == NULL)
		fp_utf8_format(err, errlen, "API error");
	else if (skey[0] != '\0')
		fp_utf8_format(err, errlen, "API error %s (%s): %s%s", sid,
			       skey, stext, extra);
	else
		fp_utf8_format(err, errlen, "API error %s: %s%s", sid, stext,
			       extra);
	free(sid);
	free(skey);
	free(stext);
}

/* ================================================================== */
/* JSON                                                                */

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
static bool wb_json_count(const cJSON *h, const char *name, long *out)
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

static int wb_json_header(const cJSON *h, long *page, long *pages,
			  long *per_page, long *total, char *err,
			  size_t errlen)
{
	static const char *const names[] = { "page", "pages", "per_page",
					     "total" };
	long *dst[] = { page, pages, per_page, total };
	size_t i;

	if (!cJSON_IsObject(h)) {
		fp_utf8_format(err, errlen, "header is not an object");
		return FP_EPARSE;
	}
	for (i = 0; i < 4; i++) {
		if (!wb_json_count(h, names[i], dst[i])) {
			fp_utf8_format(err, errlen, "header: bad or missing %s",
				       names[i]);
			return FP_EPARSE;
		}
	}
	return FP_OK;
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
	const cJSON *country, *value, *iso3;

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

static void wb_json_lastupdated(const cJSON *h, char *out, size_t size)
{
	const char *s = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(h, "lastupdated"));
	size_t i, n;

	out[0] = '\0';
	if (s == NULL || (n = strlen(s)) >= size)
		return;
	for (i = 0; i < n; i++)
		if (!(isdigit((unsigned char)s[i]) || s[i] == '-'))
			return;
	memcpy(out, s, n + 1);
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
	root = wb_json_parse(body, len, err, errlen);
	if (root == NULL)
		return FP_EPARSE;
	if (wb_json_is_error(root, err, errlen)) {
		rc = FP_EAPI;
		goto out;
	}
	rc = wb_json_envelope(root, &hdr, &recs, err, errlen);
	if (rc == FP_OK)
		rc = wb_json_header(hdr, &out->page, &out->pages,
				    &out->per_page, &out->total, err, errlen);
	if (rc != FP_OK)
		goto out;
	wb_json_lastupdated(hdr, out->lastupdated, sizeof(out->lastupdated));
	cJSON_ArrayForEach(rec, recs) {
		rc = wb_json_record(&pb, rec, ++idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
out:
	cJSON_Delete(root);
	if (rc != FP_OK)
		fp_wb_page_free(out);
	return rc;
}

/* ================================================================== */
/* XML                                                                 */

static pthread_once_t wb_xml_once = PTHREAD_ONCE_INIT;

static void wb_xml_init(void)
{
	xmlInitParser();
}

/* Any DOCTYPE stops the parser before its internal subset is read: no
 * entity declarations, so no entity bombs and no external entities. */
static void wb_xml_no_dtd(void *ctx, const xmlChar *name,
			  const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)external_id;
	(void)system_id;
	*(int *)ctxt->_private = 1;
	xmlStopParser(ctxt);
}

/* Errors are kept in the context (ctxt->lastError), not printed. */
static void wb_xml_quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void wb_xml_quiet_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* libxml2's encoding and I/O layers report through the per-thread
 * handlers, not the parser context ("encoding error : input conversion
 * failed" for a body in a bogus encoding): silence them for the parse and
 * put the caller's handlers back afterwards. */
struct wb_xml_handlers {
	xmlGenericErrorFunc generic;
	void *generic_ctx;
	xmlStructuredErrorFunc structured;
	void *structured_ctx;
};

static void wb_xml_mute(struct wb_xml_handlers *saved)
{
	saved->generic = xmlGenericError;
	saved->generic_ctx = xmlGenericErrorContext;
	saved->structured = xmlStructuredError;
	saved->structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, wb_xml_quiet_generic);
	xmlSetStructuredErrorFunc(NULL, wb_xml_quiet);
}

static void wb_xml_unmute(const struct wb_xml_handlers *saved)
{
	xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
	xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
}

static xmlDocPtr wb_xml_read(const char *body, size_t len, char *err,
			     size_t errlen, int *rc)
{
	struct wb_xml_handlers saved;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	const char *p;
	size_t n = len;
	int saw_dtd = 0;

	*rc = FP_EPARSE;
	p = wb_skip_lead(body, &n);
	if (n == 0) {
		fp_utf8_format(err, errlen, "empty body");
		return NULL;
	}
	if (p[0] != '<') {
		fp_utf8_format(err, errlen, "expected XML, got something else");
		return NULL;
	}
	if (n > INT_MAX) {
		fp_utf8_format(err, errlen, "XML body too large");
		*rc = FP_ETOOBIG;
		return NULL;
	}
	pthread_once(&wb_xml_once, wb_xml_init);
	wb_xml_mute(&saved);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL || ctxt->sax == NULL) {
		xmlFreeParserCtxt(ctxt);
		wb_xml_unmute(&saved);
		*rc = FP_ENOMEM;
		return NULL;
	}
	ctxt->_private = &saw_dtd;
	ctxt->sax->internalSubset = wb_xml_no_dtd;
	ctxt->sax->serror = wb_xml_quiet;
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: entities stay
	 * unexpanded, nothing is loaded, libxml2's size limits hold. */
	doc = xmlCtxtReadMemory(ctxt, p, (int)n, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (saw_dtd || (doc != NULL && (doc->intSubset || doc->extSubset))) {
		fp_utf8_format(err, errlen,
			       "XML with a DOCTYPE is not accepted");
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc == NULL || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char *clean = NULL;

		if (e != NULL && e->message != NULL) {
			size_t m;

			/* libxml2 quotes input bytes (a tag name, "Bytes:
			 * 0x94 ...") as they are: keep the first line and
			 * make it valid, printable UTF-8. */
			m = strcspn(e->message, "\r\n");
			while (m > 0 &&
			       wb_is_space((unsigned char)e->message[m - 1]))
				m--;
			clean = wb_dup_text(e->message, m);
		}
		if (clean != NULL && clean[0] != '\0') {
			clean[0] = (char)tolower((unsigned char)clean[0]);
			fp_utf8_format(err, errlen, "malformed XML: %s", clean);
		} else {
			fp_utf8_format(err, errlen,
				       "malformed XML: not well-formed");
		}
		free(clean);
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (xmlDocGetRootElement(doc) == NULL) {
		fp_utf8_format(err, errlen, "malformed XML: no root element");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	wb_xml_unmute(&saved);
	if (doc != NULL)
		*rc = FP_OK;
	return doc;
}

/* NODE is an element LOCAL in the World Bank namespace. */
static bool wb_xml_is(const xmlNode *node, const char *local)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	       node->ns != NULL && node->ns->href != NULL &&
	       strcmp((const char *)node->ns->href, FP_WB_XMLNS) == 0 &&
	       strcmp((const char *)node->name, local) == 0;
}

static xmlNode *wb_xml_child(const xmlNode *parent, const char *local)
{
	xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (wb_xml_is(c, local))
			return c;
	return NULL;
}

/* Text of an element (malloc'd by libxml2, xmlFree it); "" when empty,
 * NULL on ENOMEM. */
static char *wb_xml_text(const xmlNode *node)
{
	xmlChar *t = xmlNodeGetContent(node);

	if (t == NULL)
		t = xmlStrdup((const xmlChar *)"");
	return (char *)t;
}

/* The message of <wb:error>: fills ERR. */
static void wb_xml_error(const xmlNode *root, char *err, size_t errlen)
{
	const xmlNode *m, *first = NULL;
	size_t n = 0;

	for (m = root->children; m != NULL; m = m->next) {
		if (wb_xml_is(m, "message")) {
			if (first == NULL)
				first = m;
			n++;
		}
	}
	if (first == NULL) {
		fp_utf8_format(err, errlen, "API error (no message)");
	} else {
		xmlChar *id = xmlGetNoNsProp(first, BAD_CAST "id");
		xmlChar *key = xmlGetNoNsProp(first, BAD_CAST "key");
		char *text = wb_xml_text(first);

		wb_api_error(err, errlen, id ? (char *)id : "?", (char *)key,
			     text, n - 1);
		xmlFree(id);
		xmlFree(key);
		xmlFree(text);
	}
}

static int wb_xml_header(const xmlNode *root, long *page, long *pages,
			 long *per_page, long *total, char *err, size_t errlen)
{
	static const char *const names[] = { "page", "pages", "per_page",
					     "total" };
	long *dst[] = { page, pages, per_page, total };
	size_t i;

	for (i = 0; i < 4; i++) {
		xmlChar *v = xmlGetNoNsProp(root, BAD_CAST names[i]);
		bool ok = v != NULL && wb_parse_count_str((char *)v, dst[i]);

		xmlFree(v);
		if (!ok) {
			fp_utf8_format(err, errlen, "header: bad or missing %s",
				       names[i]);
			return FP_EPARSE;
		}
	}
	return FP_OK;
}

static int wb_xml_record(struct wb_page_build *pb, const xmlNode *rec,
			 size_t idx, char *err, size_t errlen)
{
	struct wb_raw_rec raw;
	xmlNode *country, *iso3n, *daten, *valuen;
	char *name = NULL, *iso3 = NULL, *date = NULL, *value = NULL;
	xmlChar *id2 = NULL;
	int rc = FP_EPARSE;

	memset(&raw, 0, sizeof(raw));
	country = wb_xml_child(rec, "country");
	iso3n = wb_xml_child(rec, "countryiso3code");
	daten = wb_xml_child(rec, "date");
	valuen = wb_xml_child(rec, "value");
	if (country == NULL) {
		fp_utf8_format(err, errlen, "record %zu: bad country", idx);
		return FP_EPARSE;
	}
	if (daten == NULL) {
		fp_utf8_format(err, errlen, "record %zu: bad date", idx);
		return FP_EPARSE;
	}
	if (valuen == NULL) {
		fp_utf8_format(err, errlen, "record %zu: value is missing",
			       idx);
		return FP_EPARSE;
	}
	name = wb_xml_text(country);
	date = wb_xml_text(daten);
	value = wb_xml_text(valuen);
	iso3 = iso3n ? wb_xml_text(iso3n) : NULL;
	id2 = xmlGetNoNsProp(country, BAD_CAST "id");
	if (name == NULL || date == NULL || value == NULL ||
	    (iso3n != NULL && iso3 == NULL)) {
		rc = FP_ENOMEM;
		goto out;
	}
	raw.name = name;
	raw.name_len = strlen(name);
	raw.date = date;
	raw.date_len = strlen(date);
	if (iso3 != NULL) {
		raw.iso3 = iso3;
		raw.iso3_len = strlen(iso3);
	}
	if (id2 != NULL) {
		raw.id2 = (const char *)id2;
		raw.id2_len = strlen((const char *)id2);
	}
	{
		size_t vn = strlen(value), i = 0;

		while (i < vn && wb_is_space((unsigned char)value[i]))
			i++;
		if (i == vn) {
			raw.has_value = false; /* <wb:value/> is null */
		} else if (wb_parse_number(value, vn, &raw.value)) {
			raw.has_value = true;
		} else {
			fp_utf8_format(err, errlen,
				       "record %zu: value is not a number",
				       idx);
			goto out;
		}
	}
	rc = wb_rec_fill(pb, &raw, idx, err, errlen);
out:
	xmlFree(name);
	xmlFree(date);
	xmlFree(value);
	xmlFree(iso3);
	xmlFree(id2);
	return rc;
}

static void wb_xml_lastupdated(const xmlNode *root, char *out, size_t size)
{
	xmlChar *v = xmlGetNoNsProp(root, BAD_CAST "lastupdated");
	size_t i, n;

	out[0] = '\0';
	if (v == NULL)
		return;
	n = strlen((char *)v);
	if (n < size) {
		for (i = 0; i < n; i++)
			if (!(isdigit(v[i]) || v[i] == '-'))
				break;
		if (i == n)
			memcpy(out, v, n + 1);
	}
	xmlFree(v);
}

int fp_wb_parse_data_xml(const char *body, size_t len, const char *req_code,
			 struct fp_wb_page *out, char *err, size_t errlen)
{
	struct wb_page_build pb;
	xmlDocPtr doc;
	xmlNode *root, *c;
	size_t idx = 0;
	int rc;

	wb_build_init(&pb, out, req_code);
	doc = wb_xml_read(body, len, err, errlen, &rc);
	if (doc == NULL)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (wb_xml_is(root, "error")) {
		wb_xml_error(root, err, errlen);
		rc = FP_EAPI;
		goto out;
	}
	if (!wb_xml_is(root, "data")) {
		fp_utf8_format(err, errlen, "unexpected XML root element");
		rc = FP_EPARSE;
		goto out;
	}
	rc = wb_xml_header(root, &out->page, &out->pages, &out->per_page,
			   &out->total, err, errlen);
	if (rc != FP_OK)
		goto out;
	wb_xml_lastupdated(root, out->lastupdated, sizeof(out->lastupdated));
	for (c = root->children; c != NULL; c = c->next) {
		if (!wb_xml_is(c, "data"))
			continue;
		rc = wb_xml_record(&pb, c, ++idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
out:
	xmlFreeDoc(doc);
	if (rc != FP_OK)
		fp_wb_page_free(out);
	return rc;
}

/* Is the body XML (first byte '<' after BOM and whitespace)? */
static bool wb_looks_xml(const char *body, size_t len)
{
	const char *p = wb_skip_lead(body, &len);

	return len > 0 && p[0] == '<';
}

int fp_wb_parse_data(const char *body, size_t len, const char *req_code,
		     struct fp_wb_page *out, char *err, size_t errlen)
{
	if (wb_looks_xml(body, len))
		return fp_wb_parse_data_xml(body, len, req_code, out, err,
					    errlen);
	return fp_wb_parse_data_json(body, len, req_code, out, err, errlen);
}

/* ================================================================== */
/* Country list                                                        */

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

struct wb_raw_country {
	const char *id, *iso2, *name, *region_id, *region_value;
};

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

static int wb_country_fill(struct fp_wb_countries *l, size_t *cap,
			   const struct wb_raw_country *raw, size_t idx,
			   char *err, size_t errlen)
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
	c->aggregate = (raw->region_id && strcmp(raw->region_id, "NA") == 0) ||
		       (raw->region_value &&
			wb_trimmed_eq(raw->region_value, "Aggregates"));
	c->name = wb_dup_text(raw->name, strlen(raw->name));
	if (c->name == NULL)
		return FP_ENOMEM;
	return FP_OK;
}

static int wb_json_countries(const char *body, size_t len,
			     struct fp_wb_countries *out, char *err,
			     size_t errlen)
{
	const cJSON *hdr, *recs, *rec;
	cJSON *root;
	size_t cap = 0, idx = 0;
	int rc;

	root = wb_json_parse(body, len, err, errlen);
	if (root == NULL)
		return FP_EPARSE;
	if (wb_json_is_error(root, err, errlen)) {
		rc = FP_EAPI;
		goto out;
	}
	rc = wb_json_envelope(root, &hdr, &recs, err, errlen);
	if (rc == FP_OK)
		rc = wb_json_header(hdr, &out->page, &out->pages,
				    &out->per_page, &out->total, err, errlen);
	if (rc != FP_OK)
		goto out;
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
		rc = wb_country_fill(out, &cap, &raw, idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
out:
	cJSON_Delete(root);
	return rc;
}

static int wb_xml_countries(const char *body, size_t len,
			    struct fp_wb_countries *out, char *err,
			    size_t errlen)
{
	xmlDocPtr doc;
	xmlNode *root, *c;
	size_t cap = 0, idx = 0;
	int rc;

	doc = wb_xml_read(body, len, err, errlen, &rc);
	if (doc == NULL)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (wb_xml_is(root, "error")) {
		wb_xml_error(root, err, errlen);
		rc = FP_EAPI;
		goto out;
	}
	if (!wb_xml_is(root, "countries")) {
		fp_utf8_format(err, errlen, "unexpected XML root element");
		rc = FP_EPARSE;
		goto out;
	}
	rc = wb_xml_header(root, &out->page, &out->pages, &out->per_page,
			   &out->total, err, errlen);
	for (c = root->children; rc == FP_OK && c != NULL; c = c->next) {
		struct wb_raw_country raw;
		xmlNode *iso2n, *namen, *regn;
		xmlChar *id = NULL, *rid = NULL;
		char *iso2 = NULL, *name = NULL, *rval = NULL;

		if (!wb_xml_is(c, "country"))
			continue;
		idx++;
		iso2n = wb_xml_child(c, "iso2Code");
		namen = wb_xml_child(c, "name");
		regn = wb_xml_child(c, "region");
		id = xmlGetNoNsProp(c, BAD_CAST "id");
		iso2 = iso2n ? wb_xml_text(iso2n) : NULL;
		name = namen ? wb_xml_text(namen) : NULL;
		if (regn != NULL) {
			rid = xmlGetNoNsProp(regn, BAD_CAST "id");
			rval = wb_xml_text(regn);
		}
		raw.id = (const char *)id;
		raw.iso2 = iso2;
		raw.name = name;
		raw.region_id = (const char *)rid;
		raw.region_value = rval;
		rc = wb_country_fill(out, &cap, &raw, idx, err, errlen);
		xmlFree(id);
		xmlFree(rid);
		xmlFree(iso2);
		xmlFree(name);
		xmlFree(rval);
	}
out:
	xmlFreeDoc(doc);
	return rc;
}

int fp_wb_parse_countries(const char *body, size_t len,
			  struct fp_wb_countries *out, char *err,
			  size_t errlen)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (wb_looks_xml(body, len))
		rc = wb_xml_countries(body, len, out, err, errlen);
	else
		rc = wb_json_countries(body, len, out, err, errlen);
	if (rc != FP_OK)
		fp_wb_countries_free(out);
	return rc;
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
