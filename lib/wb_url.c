/* World Bank area: request URLs (see worldbank.h). */
#include "wb_internal.h"
#include "error.h"
#include "hex.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Source ids are short decimal numbers ("2", "11"). */
static bool wb_source_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 9)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool wb_query_ok(const struct fp_wb_query *q)
{
	int sel = (q->date != NULL) + (q->mrv > 0) + (q->mrnev > 0);

	if (q->per_page < 0 || q->page < 0 || q->mrv < 0 || q->mrnev < 0 ||
	    sel > 1 || (q->gapfill && q->mrv == 0))
		return false;
	if (q->date != NULL && fp_wb_date_check(q->date) != FP_OK)
		return false;
	return q->source == NULL || wb_source_ok(q->source);
}

long fp_wb_data_url(const struct fp_wb_query *q, char *buf, size_t size)
{
	struct wb_ub b = { buf, size, 0 };
	const char *base, *country, *ind, *fmt, *source;
	size_t blen;

	if (q == NULL || (buf == NULL && size > 0))
		return FP_EINVAL;
	base = q->base ? q->base : FP_WB_DEFAULT_BASE;
	country = q->country ? q->country : "all";
	ind = q->indicator ? q->indicator : FP_WB_DEFAULT_INDICATOR;
	fmt = wb_format_name(q->format);
	blen = wb_base_len(base);
	if (blen == 0 || country[0] == '\0' || ind[0] == '\0' || fmt == NULL ||
	    !wb_query_ok(q))
		return FP_EINVAL;
	if (strcasecmp(country, "all") == 0)
		country = "all";
	/* Several indicators need a source (API.md section 1). */
	source = q->source;
	if (source == NULL && strchr(ind, ';') != NULL)
		source = FP_WB_DEFAULT_SOURCE;

	wb_ub_putn(&b, base, blen);
	wb_ub_puts(&b, "/country/");
	wb_ub_escape(&b, country, true);
	wb_ub_puts(&b, "/indicator/");
	wb_ub_escape(&b, ind, true);
	if (q->date != NULL) {
		wb_ub_puts(&b, "?date=");
		wb_ub_escape(&b, q->date, false);
	} else if (q->mrv > 0) {
		wb_ub_puts(&b, "?mrv=");
		wb_ub_putint(&b, q->mrv);
		if (q->gapfill)
			wb_ub_puts(&b, "&gapfill=Y");
	} else {
		/* Most recent non-empty values: by default each economy's
		 * latest year. */
		wb_ub_puts(&b, "?mrnev=");
		wb_ub_putint(&b, q->mrnev > 0 ? q->mrnev : 1);
	}
	wb_ub_puts(&b, "&format=");
	wb_ub_puts(&b, fmt);
	if (source != NULL) {
		wb_ub_puts(&b, "&source=");
		wb_ub_puts(&b, source);
	}
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

int fp_wb_indicator_check(const char *code)
{
	size_t i, n;

	if (code == NULL)
		return FP_EINVAL;
	n = strlen(code);
	if (n == 0 || n > FP_WB_INDICATOR_MAX)
		return FP_EINVAL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];

		if (!wb_is_alnum(c) && c != '.' && c != '_' && c != '-')
			return FP_EINVAL;
	}
	return FP_OK;
}

/* The length of Q's URL with the segment IDS[0..N) joined by ';' (built
 * in SEG, which has room for it). */
static long wb_batch_url_len(const char *const *ids, size_t n,
			     const struct fp_wb_query *q, char *seg)
{
	struct fp_wb_query t = *q;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		size_t l = strlen(ids[i]);

		if (i > 0)
			seg[k++] = ';';
		memcpy(seg + k, ids[i], l);
		k += l;
	}
	seg[k] = '\0';
	t.indicator = seg;
	return fp_wb_data_url(&t, NULL, 0);
}

long fp_wb_indicator_split(const char *const *ids, size_t n,
			   const struct fp_wb_query *q,
			   struct fp_wb_batch *out)
{
	/* A segment never exceeds FP_WB_MAX_SEGMENT, plus one code. */
	char seg[FP_WB_MAX_SEGMENT + FP_WB_INDICATOR_MAX + 2];
	size_t i, nb = 0, seglen = 0;

	if (ids == NULL || n == 0 || q == NULL || out == NULL)
		return FP_EINVAL;
	for (i = 0; i < n; i++)
		if (fp_wb_indicator_check(ids[i]) != FP_OK)
			return FP_EINVAL;
	for (i = 0; i < n; i++) {
		size_t l = strlen(ids[i]);
		struct fp_wb_batch *cur = nb > 0 ? &out[nb - 1] : NULL;
		long ul;

		if (cur != NULL && cur->n < FP_WB_MAX_INDICATORS &&
		    seglen + 1 + l <= FP_WB_MAX_SEGMENT) {
			ul = wb_batch_url_len(ids + cur->first, cur->n + 1, q,
					      seg);
			if (ul < 0)
				return ul;
			if (ul <= FP_WB_MAX_URL) {
				cur->n++;
				seglen += 1 + l;
				continue;
			}
		}
		/* A new batch: the code alone must fit. */
		ul = wb_batch_url_len(ids + i, 1, q, seg);
		if (ul < 0)
			return ul;
		if (ul > FP_WB_MAX_URL)
			return FP_ETOOBIG;
		out[nb].first = i;
		out[nb].n = 1;
		nb++;
		seglen = l;
	}
	return (long)nb;
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
