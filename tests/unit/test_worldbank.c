/* Unit tests for lib/worldbank.c (URLs, JSON/XML parsers, country list)
 * and tests/server/wbemu.c (the fixture server's API emulation): the
 * parsers run on recorded real bodies, on hostile ones, and on what the
 * emulation serves, whose values must equal the fixture CSV cells. */
#include "runner.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "gdpout.h"
#include "wbemu.h"
#include "worldbank.h"

/* ================================================================== */
/* Helpers                                                             */

static const char *fixtures_dir(void)
{
	static char buf[4096];
	const char *e = getenv("FIXTURES");

	if (e != NULL && e[0] != '\0') {
		snprintf(buf, sizeof(buf), "%s/worldbank", e);
		return buf;
	}
	return WB_FIXTURES;
}

static char *slurp(const char *rel, size_t *len)
{
	char path[8192];
	FILE *f;
	char *buf;
	long n;

	ck_assert_int_lt(
		snprintf(path, sizeof(path), "%s/%s", fixtures_dir(), rel),
		(int)sizeof(path));
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static bool same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* Two pages hold the same records, field by field, values bit for bit. */
static void assert_same_records(const struct fp_wb_record *a,
				const struct fp_wb_record *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ck_assert_str_eq(a[i].code, b[i].code);
		ck_assert_str_eq(a[i].name, b[i].name);
		ck_assert_str_eq(a[i].date, b[i].date);
		ck_assert_int_eq(a[i].year, b[i].year);
		ck_assert_msg(same_bits(a[i].value, b[i].value) ||
				      (isnan(a[i].value) && isnan(b[i].value)),
			      "%s %s: %.17g vs %.17g", a[i].code, a[i].date,
			      a[i].value, b[i].value);
	}
}

static void assert_same_page(const struct fp_wb_page *a,
			     const struct fp_wb_page *b)
{
	ck_assert_int_eq(a->page, b->page);
	ck_assert_int_eq(a->pages, b->pages);
	ck_assert_int_eq(a->per_page, b->per_page);
	ck_assert_int_eq(a->total, b->total);
	ck_assert_str_eq(a->lastupdated, b->lastupdated);
	ck_assert_uint_eq(a->nrecords, b->nrecords);
	ck_assert_uint_eq(a->nmissing, b->nmissing);
	assert_same_records(a->records, b->records, a->nrecords);
	assert_same_records(a->missing, b->missing, a->nmissing);
}

static int parse_str(const char *s, struct fp_wb_page *p, char *err,
		     size_t errlen)
{
	return fp_wb_parse_data(s, strlen(s), NULL, p, err, errlen);
}

/* ================================================================== */
/* URLs and codes                                                      */

START_TEST(url_defaults)
{
	struct fp_wb_query q = { 0 };
	char buf[256];
	long n;

	n = fp_wb_data_url(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "https://api.worldbank.org/v2/country/all/"
			      "indicator/NY.GDP.MKTP.CD?mrnev=1&format=json");
	ck_assert_int_eq(n, (long)strlen(buf));
}
END_TEST

START_TEST(url_full)
{
	struct fp_wb_query q = { "http://127.0.0.1:8080/v2/",
				 "usa",
				 "NY.GDP.MKTP.CD",
				 "2018:2019",
				 1000,
				 3,
				 FP_WB_XML };
	char *u;

	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://127.0.0.1:8080/v2/country/usa/indicator/"
			    "NY.GDP.MKTP.CD?date=2018%3A2019&format=xml"
			    "&per_page=1000&page=3");
	free(u);
	q.country = "JPN;USA";
	q.date = "2019";
	q.per_page = 0;
	q.page = 0;
	q.format = FP_WB_JSON;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://127.0.0.1:8080/v2/country/JPN;USA/"
			    "indicator/NY.GDP.MKTP.CD?date=2019&format=json");
	free(u);
	/* Path codes are escaped: no way to add segments or a query. */
	q.country = "a/../b?x=1 #";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://127.0.0.1:8080/v2/country/a%2F..%2Fb%3Fx"
			    "%3D1%20%23/indicator/NY.GDP.MKTP.CD?date=2019"
			    "&format=json");
	free(u);
}
END_TEST

START_TEST(url_small_buffer)
{
	struct fp_wb_query q = { 0 };
	char buf[10];
	long n;

	n = fp_wb_data_url(&q, buf, sizeof(buf));
	ck_assert_int_gt(n, (long)sizeof(buf));
	ck_assert_str_eq(buf, "https://a");
	ck_assert_int_eq(fp_wb_data_url(&q, NULL, 0), n);
}
END_TEST

START_TEST(url_invalid)
{
	struct fp_wb_query q = { 0 };
	char buf[256];
	char *u = (char *)1;

	q.date = "2019:2018";
	ck_assert_int_eq(fp_wb_data_url(&q, buf, sizeof(buf)), FP_EINVAL);
	q.date = "19";
	ck_assert_int_eq(fp_wb_data_url(&q, buf, sizeof(buf)), FP_EINVAL);
	q.date = NULL;
	q.base = "///";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	ck_assert_ptr_null(u);
	q.base = NULL;
	q.country = "";
	ck_assert_int_eq(fp_wb_data_url(&q, buf, sizeof(buf)), FP_EINVAL);
	q.country = NULL;
	q.per_page = -1;
	ck_assert_int_eq(fp_wb_data_url(&q, buf, sizeof(buf)), FP_EINVAL);
	q.per_page = 0;
	q.format = (enum fp_wb_format)9;
	ck_assert_int_eq(fp_wb_data_url(&q, buf, sizeof(buf)), FP_EINVAL);
}
END_TEST

START_TEST(url_country_list)
{
	char *u;

	ck_assert_int_eq(fp_wb_country_list_url(NULL, 1000, 1, FP_WB_JSON, &u),
			 FP_OK);
	ck_assert_str_eq(u,
			 "https://api.worldbank.org/v2/country?per_page=1000"
			 "&page=1&format=json");
	free(u);
	ck_assert_int_eq(
		fp_wb_country_list_url("http://h/v2/", 0, 0, FP_WB_XML, &u),
		FP_OK);
	ck_assert_str_eq(u, "http://h/v2/country?format=xml");
	free(u);
	ck_assert_int_eq(fp_wb_country_list_url("", 0, 0, FP_WB_XML, &u),
			 FP_EINVAL);
}
END_TEST

START_TEST(date_and_code_checks)
{
	char c[4];

	ck_assert_int_eq(fp_wb_date_check("2019"), FP_OK);
	ck_assert_int_eq(fp_wb_date_check("1960:2024"), FP_OK);
	ck_assert_int_eq(fp_wb_date_check("2019:2019"), FP_OK);
	ck_assert_int_eq(fp_wb_date_check("2019:2018"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_date_check("201a"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_date_check("2019-2020"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_date_check(""), FP_EINVAL);
	ck_assert_int_eq(fp_wb_date_check(NULL), FP_EINVAL);

	ck_assert_int_eq(fp_wb_code_check("usa", c), FP_OK);
	ck_assert_str_eq(c, "USA");
	ck_assert_int_eq(fp_wb_code_check("br", c), FP_OK);
	ck_assert_str_eq(c, "BR");
	ck_assert_int_eq(fp_wb_code_check("1w", c), FP_OK);
	ck_assert_str_eq(c, "1W");
	ck_assert_int_eq(fp_wb_code_check("U", c), FP_EINVAL);
	ck_assert_str_eq(c, "");
	ck_assert_int_eq(fp_wb_code_check("USAA", c), FP_EINVAL);
	ck_assert_int_eq(fp_wb_code_check("U$A", c), FP_EINVAL);
	ck_assert_int_eq(fp_wb_code_check("U A", c), FP_EINVAL);
	ck_assert_int_eq(fp_wb_code_check("\xC3\x9C"
					  "S",
					  c),
			 FP_EINVAL);
	ck_assert_int_eq(fp_wb_code_check("", c), FP_EINVAL);
	ck_assert_int_eq(fp_wb_code_check(NULL, c), FP_EINVAL);
}
END_TEST


START_TEST(url_selection_and_source)
{
	struct fp_wb_query q = { 0 };
	char *u;

	q.base = "http://h/v2";
	q.country = "USA";
	q.mrv = 5;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://h/v2/country/USA/indicator/NY.GDP.MKTP.CD"
			    "?mrv=5&format=json");
	free(u);
	q.gapfill = true;
	q.source = "11";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://h/v2/country/USA/indicator/NY.GDP.MKTP.CD"
			    "?mrv=5&gapfill=Y&format=json&source=11");
	free(u);
	q.mrv = 0;
	q.gapfill = false;
	q.source = NULL;
	q.mrnev = 3;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://h/v2/country/USA/indicator/NY.GDP.MKTP.CD"
			    "?mrnev=3&format=json");
	free(u);
	/* Several indicators always name a source: the API needs one. */
	q.mrnev = 0;
	q.indicator = "NY.GDP.MKTP.CD;SP.POP.TOTL";
	q.per_page = 1000;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_str_eq(u, "http://h/v2/country/USA/indicator/NY.GDP.MKTP.CD;"
			    "SP.POP.TOTL?mrnev=1&format=json&source=2"
			    "&per_page=1000");
	free(u);
	q.source = "3";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	ck_assert_ptr_nonnull(strstr(u, "&source=3&"));
	ck_assert_ptr_null(strstr(u, "source=2"));
	free(u);
}
END_TEST

START_TEST(url_selection_refused)
{
	struct fp_wb_query q = { 0 };
	char *u;

	q.mrv = 2;
	q.date = "2019";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.date = NULL;
	q.mrnev = 1;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.mrv = 0;
	q.gapfill = true;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.gapfill = false;
	q.mrnev = -1;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.mrnev = 0;
	q.source = "2a";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.source = "";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	q.source = "1234567890";
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_EINVAL);
	ck_assert_ptr_null(u);
}
END_TEST

START_TEST(indicator_checks)
{
	char c64[65];

	ck_assert_int_eq(fp_wb_indicator_check("NY.GDP.MKTP.CD"), FP_OK);
	ck_assert_int_eq(fp_wb_indicator_check("sp.pop.totl"), FP_OK);
	ck_assert_int_eq(fp_wb_indicator_check("A_B-1"), FP_OK);
	ck_assert_int_eq(fp_wb_indicator_check(""), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_check(NULL), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_check("A;B"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_check("A,B"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_check("A/B"), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_check("A B"), FP_EINVAL);
	memset(c64, 'X', 63);
	c64[63] = '\0';
	ck_assert_int_eq(fp_wb_indicator_check(c64), FP_OK);
	c64[63] = 'X';
	c64[64] = '\0';
	ck_assert_int_eq(fp_wb_indicator_check(c64), FP_EINVAL);
}
END_TEST

/* N distinct codes of LEN characters in BUF, pointed to by IDS. */
static void make_codes(const char **ids, char (*buf)[64], size_t n,
		       size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf[i], 64, "X.%06zu.", i + 1);
		while (strlen(buf[i]) < len)
			strcat(buf[i], "Z");
		ids[i] = buf[i];
	}
}

/* The URL of batch B of IDS under template Q. */
static char *batch_url(const struct fp_wb_query *tq, const char **ids,
		       const struct fp_wb_batch *b)
{
	struct fp_wb_query q = *tq;
	char seg[4096] = "";
	char *u;
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (i)
			strcat(seg, ";");
		strcat(seg, ids[b->first + i]);
	}
	q.indicator = seg;
	ck_assert_int_eq(fp_wb_data_url_alloc(&q, &u), FP_OK);
	return u;
}

START_TEST(split_by_count)
{
	static char buf[130][64];
	const char *ids[130];
	struct fp_wb_batch b[130];
	struct fp_wb_query q = { 0 };

	q.country = "USA";
	q.page = 4000;
	make_codes(ids, buf, 130, 12);
	ck_assert_int_eq(fp_wb_indicator_split(ids, 60, &q, b), 1);
	ck_assert_uint_eq(b[0].first, 0);
	ck_assert_uint_eq(b[0].n, 60);
	ck_assert_int_eq(fp_wb_indicator_split(ids, 61, &q, b), 2);
	ck_assert_uint_eq(b[0].n, 60);
	ck_assert_uint_eq(b[1].first, 60);
	ck_assert_uint_eq(b[1].n, 1);
	ck_assert_int_eq(fp_wb_indicator_split(ids, 121, &q, b), 3);
	ck_assert_uint_eq(b[2].first, 120);
	ck_assert_int_eq(fp_wb_indicator_split(ids, 1, &q, b), 1);
	ck_assert_uint_eq(b[0].n, 1);
}
END_TEST

START_TEST(split_by_length)
{
	static char buf[60][64];
	const char *ids[60];
	struct fp_wb_batch b[60];
	struct fp_wb_query q = { 0 };
	size_t i, total = 0;
	long n;

	q.country = "USA";
	make_codes(ids, buf, 60, 40);
	/* 41 characters a code with its ';': 36 fit in 1,500 (1,475). */
	n = fp_wb_indicator_split(ids, 60, &q, b);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(b[0].n, 36);
	ck_assert_uint_eq(b[1].first, 36);
	ck_assert_uint_eq(b[1].n, 24);
	/* 63 characters: 23 fit (23 * 64 - 1 = 1,471; 24 would be 1,535). */
	make_codes(ids, buf, 60, 63);
	n = fp_wb_indicator_split(ids, 60, &q, b);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(b[0].n, 23);
	ck_assert_uint_eq(b[1].n, 23);
	ck_assert_uint_eq(b[2].n, 14);
	for (i = 0; i < (size_t)n; i++) {
		char *u = batch_url(&q, ids, &b[i]);
		const char *seg = strstr(u, "/indicator/") + 11;

		ck_assert_uint_le(strcspn(seg, "?"), FP_WB_MAX_SEGMENT);
		total += b[i].n;
		free(u);
	}
	ck_assert_uint_eq(total, 60);
}
END_TEST

START_TEST(split_by_url_length)
{
	static char buf[60][64];
	static char base[4100];
	const char *ids[60];
	struct fp_wb_batch b[60];
	struct fp_wb_query q = { 0 };
	long n, i;

	memcpy(base, "http://h/", 9);
	memset(base + 9, 'a', 3000);
	base[3009] = '\0';
	q.base = base;
	q.country = "USA";
	q.page = 4000;
	make_codes(ids, buf, 60, 40);
	n = fp_wb_indicator_split(ids, 60, &q, b);
	ck_assert_int_gt(n, 2); /* more than the segment limit alone */
	for (i = 0; i < n; i++) {
		char *u = batch_url(&q, ids, &b[i]);

		ck_assert_uint_le(strlen(u), FP_WB_MAX_URL);
		/* Greedy: one more code would not have fit. */
		if (i + 1 < n) {
			struct fp_wb_batch more = b[i];
			char *u2;

			more.n++;
			u2 = batch_url(&q, ids, &more);
			ck_assert_uint_gt(strlen(u2), FP_WB_MAX_URL);
			free(u2);
		}
		free(u);
	}
	/* A base so long that no code fits. */
	memset(base + 9, 'a', 3950);
	base[3959] = '\0';
	ck_assert_int_eq(fp_wb_indicator_split(ids, 1, &q, b), FP_ETOOBIG);
	q.base = "http://h/v2";
	ids[3] = "BAD;CODE";
	ck_assert_int_eq(fp_wb_indicator_split(ids, 5, &q, b), FP_EINVAL);
	ck_assert_int_eq(fp_wb_indicator_split(ids, 0, &q, b), FP_EINVAL);
}
END_TEST

/* ================================================================== */
/* Recorded real bodies                                                */

START_TEST(recorded_all_page1)
{
	struct fp_wb_page p;
	char err[128] = "";
	size_t len;
	char *b = slurp("bodies/gdp_all_p1.json", &len);

	ck_assert_int_eq(fp_wb_parse_data(b, len, "all", &p, err, sizeof(err)),
			 FP_OK);
	ck_assert_int_eq(p.page, 1);
	ck_assert_int_eq(p.pages, 323);
	ck_assert_int_eq(p.per_page, 50);
	ck_assert_int_eq(p.total, 16104);
	ck_assert_str_eq(p.lastupdated, "2021-05-25");
	ck_assert_uint_eq(p.nrecords + p.nmissing, 50);
	ck_assert_uint_ge(p.nmissing, 1);
	/* ARB 2020 is null, ARB 2019 the first value. */
	ck_assert_str_eq(p.missing[0].code, "ARB");
	ck_assert_str_eq(p.missing[0].date, "2020");
	ck_assert(isnan(p.missing[0].value));
	ck_assert_str_eq(p.records[0].code, "ARB");
	ck_assert_str_eq(p.records[0].name, "Arab World");
	ck_assert_int_eq(p.records[0].year, 2019);
	ck_assert(p.records[0].value == 2817414584665.11);
	ck_assert(!p.records[0].aggregate);
	fp_wb_page_free(&p);
	ck_assert_ptr_null(p.records);
	free(b);
}
END_TEST

START_TEST(recorded_small_pages)
{
	static const struct {
		const char *file;
		long page, pages, per_page, total;
		size_t n;
	} cases[] = {
		{ "bodies/gdp_jpn_usa_2018_2019_pp2.json", 1, 2, 2, 4, 2 },
		{ "bodies/gdp_all_2018_2019_pp2.json", 1, 264, 2, 528, 2 },
		{ "bodies/gdp_all_mrv1_pp2.json", 1, 132, 2, 264, 2 },
		{ "bodies/gdp_jpn_usa_p1.json", 1, 3, 50, 122, 50 },
		{ "bodies/gdp_pop_jpn_usa_p1.json", 1, 5, 50, 244, 50 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fp_wb_page p;
		char err[128] = "";
		size_t len;
		char *b = slurp(cases[i].file, &len);
		int rc = fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err));

		ck_assert_msg(rc == FP_OK, "%s: %s", cases[i].file, err);
		ck_assert_int_eq(p.page, cases[i].page);
		ck_assert_int_eq(p.pages, cases[i].pages);
		ck_assert_int_eq(p.per_page, cases[i].per_page);
		ck_assert_int_eq(p.total, cases[i].total);
		ck_assert_uint_eq(p.nrecords + p.nmissing, cases[i].n);
		fp_wb_page_free(&p);
		free(b);
	}
}
END_TEST

START_TEST(recorded_jpn_values)
{
	struct fp_wb_page p;
	size_t len;
	char *b = slurp("bodies/gdp_jpn_usa_2018_2019_pp2.json", &len);

	ck_assert_int_eq(fp_wb_parse_data_json(b, len, "JPN;USA", &p, NULL, 0),
			 FP_OK);
	ck_assert_uint_eq(p.nrecords, 2);
	ck_assert_str_eq(p.records[0].code, "JPN");
	ck_assert_str_eq(p.records[0].name, "Japan");
	ck_assert_int_eq(p.records[0].year, 2019);
	ck_assert(p.records[0].value == 5081769542379.77);
	ck_assert_int_eq(p.records[1].year, 2018);
	ck_assert(p.records[1].value == 4954806619995.19);
	fp_wb_page_free(&p);
	free(b);
}
END_TEST

START_TEST(recorded_api_errors_json)
{
	static const char *files[] = { "bodies/error_120_country.json",
				       "bodies/error_120_indicator.json" };
	struct fp_wb_page p;
	struct fp_wb_countries l;
	char err[160];
	size_t i, len;
	char *b;

	for (i = 0; i < 2; i++) {
		b = slurp(files[i], &len);
		ck_assert_int_eq(
			fp_wb_parse_data(b, len, "XX", &p, err, sizeof(err)),
			FP_EAPI);
		ck_assert_str_eq(err, "API error 120 (Invalid value): The "
				      "provided parameter value is not valid");
		ck_assert_uint_eq(p.nrecords, 0);
		ck_assert_int_eq(
			fp_wb_parse_countries(b, len, &l, err, sizeof(err)),
			FP_EAPI);
		free(b);
	}
	b = slurp("bodies/error_120_multi.json", &len);
	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err)),
			 FP_EAPI);
	ck_assert_str_eq(err, "API error 120 (Invalid value): The provided "
			      "parameter value is not valid (and 2 more)");
	free(b);
}
END_TEST

START_TEST(recorded_html_error_page)
{
	struct fp_wb_page p;
	char err[160] = "";
	size_t len;
	char *b = slurp("bodies/error_400_source.html", &len);

	/* The .NET error page is XHTML with a DOCTYPE: refused. */
	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_str_eq(err, "XML with a DOCTYPE is not accepted");
	ck_assert_int_eq(
		fp_wb_parse_data_json(b, len, NULL, &p, err, sizeof(err)),
		FP_EPARSE);
	ck_assert_str_eq(err, "expected JSON, got XML or HTML");
	free(b);
}
END_TEST

START_TEST(xml_recorded_with_and_without_bom)
{
	struct fp_wb_page p, q;
	char err[160] = "";
	size_t len;
	char *b = slurp("bodies/gdp_ita_2017.xml", &len);

	ck_assert(len > 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0);
	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err)),
			 FP_OK);
	ck_assert_int_eq(p.page, 1);
	ck_assert_int_eq(p.pages, 2);
	ck_assert_int_eq(p.per_page, 50);
	ck_assert_int_eq(p.total, 58);
	ck_assert_str_eq(p.lastupdated, "2018-07-25");
	ck_assert_uint_eq(p.nrecords, 1);
	ck_assert_str_eq(p.records[0].code, "ITA");
	ck_assert_str_eq(p.records[0].name, "Italy");
	ck_assert_int_eq(p.records[0].year, 2017);
	ck_assert(p.records[0].value == 1934797937411.33);
	ck_assert_int_eq(fp_wb_parse_data_xml(b + 3, len - 3, NULL, &q, err,
					      sizeof(err)),
			 FP_OK);
	assert_same_page(&p, &q);
	fp_wb_page_free(&p);
	fp_wb_page_free(&q);
	free(b);
}
END_TEST

START_TEST(xml_api_error)
{
	struct fp_wb_page p;
	struct fp_wb_countries l;
	char err[160] = "";
	size_t len;
	char *b = slurp("bodies/error_120.xml", &len);

	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err)),
			 FP_EAPI);
	ck_assert_str_eq(err, "API error 120 (Invalid value): The provided "
			      "parameter value is not valid");
	err[0] = '\0';
	ck_assert_int_eq(
		fp_wb_parse_countries(b + 3, len - 3, &l, err, sizeof(err)),
		FP_EAPI);
	ck_assert_str_eq(err, "API error 120 (Invalid value): The provided "
			      "parameter value is not valid");
	free(b);
}
END_TEST

/* ================================================================== */
/* Shapes, types, malformed bodies                                     */

START_TEST(zero_record_reply)
{
	struct fp_wb_page p;
	char err[128] = "";

	ck_assert_int_eq(
		parse_str(
			"[{\"page\":0,\"pages\":0,\"per_page\":0,\"total\":0,"
			"\"sourceid\":null,\"lastupdated\":null},null]",
			&p, err, sizeof(err)),
		FP_OK);
	ck_assert_int_eq(p.page, 0);
	ck_assert_int_eq(p.total, 0);
	ck_assert_uint_eq(p.nrecords + p.nmissing, 0);
	ck_assert_str_eq(p.lastupdated, "");
	fp_wb_page_free(&p);
	ck_assert_int_eq(
		parse_str("[{\"page\":1,\"pages\":1,\"per_page\":\"50\","
			  "\"total\":0},[]]",
			  &p, err, sizeof(err)),
		FP_OK);
	ck_assert_uint_eq(p.nrecords, 0);
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(header_numbers_or_strings)
{
	struct fp_wb_page p;

	ck_assert_int_eq(
		parse_str("[{\"page\":\"2\",\"pages\":\"7\","
			  "\"per_page\":\"50\",\"total\":\"321\"},[]]",
			  &p, NULL, 0),
		FP_OK);
	ck_assert_int_eq(p.page, 2);
	ck_assert_int_eq(p.pages, 7);
	ck_assert_int_eq(p.per_page, 50);
	ck_assert_int_eq(p.total, 321);
	fp_wb_page_free(&p);
}
END_TEST

#define REC_OK                                                          \
	"{\"indicator\":{\"id\":\"NY.GDP.MKTP.CD\",\"value\":\"GDP\"}," \
	"\"country\":{\"id\":\"1A\",\"value\":\"Arab World\"},"         \
	"\"countryiso3code\":\"ARB\",\"date\":\"2019\",\"value\":1.5,"  \
	"\"unit\":\"\",\"obs_status\":\"\",\"decimal\":0}"
#define HDR "{\"page\":1,\"pages\":1,\"per_page\":50,\"total\":1}"

START_TEST(wrong_types_and_shapes)
{
	static const struct {
		const char *body, *err;
	} cases[] = {
		{ "", "empty body" },
		{ "  \r\n", "empty body" },
		{ "null", "expected a [header, records] array" },
		{ "{}", "expected a [header, records] array" },
		{ "[]", "expected a [header, records] array" },
		{ "[" HDR "]", "expected a [header, records] array" },
		{ "[" HDR ",[],[]]", "expected a [header, records] array" },
		{ "[1,[]]", "header is not an object" },
		{ "[{\"page\":1,\"pages\":1,\"per_page\":50},[]]",
		  "header: bad or missing total" },
		{ "[{\"page\":-1,\"pages\":1,\"per_page\":50,\"total\":1},[]]",
		  "header: bad or missing page" },
		{ "[{\"page\":1.5,\"pages\":1,\"per_page\":50,\"total\":1},[]"
		  "]",
		  "header: bad or missing page" },
		{ "[{\"page\":\"x\",\"pages\":1,\"per_page\":50,\"total\":1},["
		  "]]",
		  "header: bad or missing page" },
		{ "[{\"page\":true,\"pages\":1,\"per_page\":50,\"total\":1},[]"
		  "]",
		  "header: bad or missing page" },
		{ "[" HDR ",{}]", "records are not an array" },
		{ "[" HDR ",\"x\"]", "records are not an array" },
		{ "[" HDR ",[1]]", "record 1 is not an object" },
		{ "[" HDR ",[" REC_OK ",null]]", "record 2 is not an object" },
		{ "[" HDR ",[{\"country\":\"x\",\"date\":\"2019\","
		  "\"value\":1}]]",
		  "record 1: bad country" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\"},\"date\":\"2019\","
		  "\"value\":1}]]",
		  "record 1: bad country" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":5,\"date\":\"2019\",\"value\":1}]]",
		  "record 1: countryiso3code is not a string" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARBX\",\"date\":\"2019\","
		  "\"value\":1}]]",
		  "record 1: bad countryiso3code" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":2019,\"value\":1}]]",
		  "record 1: date is not a string" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019/../x\","
		  "\"value\":1}]]",
		  "record 1: bad date" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019\","
		  "\"value\":true}]]",
		  "record 1: value is not a number" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019\","
		  "\"value\":{}}]]",
		  "record 1: value is not a number" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019\","
		  "\"value\":\"12abc\"}]]",
		  "record 1: value is not a number" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019\","
		  "\"value\":1e999}]]",
		  "record 1: value is not a number" },
		{ "[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":\"A\"},"
		  "\"countryiso3code\":\"ARB\",\"date\":\"2019\"}]]",
		  "record 1: value is not a number" },
		{ "[" HDR ",[]] x", "trailing data after JSON" },
		{ "[" HDR ",[]][]", "trailing data after JSON" },
		{ "[{\"message\":[]}]", "API error (no message)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fp_wb_page p;
		char err[160] = "";
		int rc = parse_str(cases[i].body, &p, err, sizeof(err));

		ck_assert_msg(rc == FP_EPARSE || rc == FP_EAPI,
			      "case %zu: rc %d", i, rc);
		ck_assert_msg(strcmp(err, cases[i].err) == 0,
			      "case %zu: '%s', want '%s'", i, err,
			      cases[i].err);
		ck_assert_ptr_null(p.records);
		ck_assert_ptr_null(p.missing);
	}
}
END_TEST

START_TEST(pre_v2_and_fallback_codes)
{
	struct fp_wb_page p;
	char err[160] = "";
	const char *body =
		"[" HDR
		",[{\"country\":{\"id\":\"1A\",\"value\":\"Arab World\"},"
		"\"countryiso3code\":\"\",\"date\":\"2019\",\"value\":"
		"\"2869034798597.43\"},"
		"{\"country\":{\"id\":\"br\",\"value\":\"Brazil\"},"
		"\"date\":\"2013Q1\",\"value\":\"\"}]]";

	ck_assert_int_eq(parse_str(body, &p, err, sizeof(err)), FP_OK);
	ck_assert_uint_eq(p.nrecords, 1);
	ck_assert_str_eq(p.records[0].code, "1A"); /* country.id */
	ck_assert(p.records[0].value == 2869034798597.43);
	ck_assert_uint_eq(p.nmissing, 1);
	ck_assert_str_eq(p.missing[0].code, "BR");
	ck_assert_str_eq(p.missing[0].date, "2013Q1");
	ck_assert_int_eq(p.missing[0].year, 0);
	fp_wb_page_free(&p);
	/* The request's code wins over country.id when iso3 is "". */
	ck_assert_int_eq(fp_wb_parse_data(body, strlen(body), "arb", &p, err,
					  sizeof(err)),
			 FP_OK);
	ck_assert_str_eq(p.records[0].code, "ARB");
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(names_sanitized)
{
	struct fp_wb_page p;
	const char *body =
		"[" HDR ",[{\"country\":{\"id\":\"1A\",\"value\":"
		"\"A\\u0001b\\u001b[31m\xFF\xC3\xA9\\u0085z\"},"
		"\"countryiso3code\":\"ARB\",\"date\":\"2019\",\"value\":1}]]";

	ck_assert_int_eq(parse_str(body, &p, NULL, 0), FP_OK);
	ck_assert_str_eq(p.records[0].name, "A b [31m\xEF\xBF\xBD\xC3\xA9 z");
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(truncated_json_every_prefix)
{
	size_t len, cut;
	char *b = slurp("bodies/gdp_jpn_usa_2018_2019_pp2.json", &len);

	for (cut = 0; cut < len; cut++) {
		struct fp_wb_page p;
		char err[128] = "";
		char *part = malloc(cut ? cut : 1);

		/* A heap copy of exactly CUT bytes: ASan sees any overread. */
		memcpy(part, b, cut);
		ck_assert_msg(fp_wb_parse_data(part, cut, NULL, &p, err,
					       sizeof(err)) == FP_EPARSE,
			      "prefix %zu accepted", cut);
		ck_assert(err[0] != '\0');
		free(part);
	}
	free(b);
}
END_TEST

START_TEST(truncated_xml_every_prefix)
{
	size_t len, cut;
	char *b = slurp("bodies/gdp_ita_2017.xml", &len);

	for (cut = 0; cut < len; cut++) {
		struct fp_wb_page p;
		char err[160] = "";
		char *part = malloc(cut ? cut : 1);

		memcpy(part, b, cut);
		ck_assert_msg(fp_wb_parse_data(part, cut, NULL, &p, err,
					       sizeof(err)) == FP_EPARSE,
			      "prefix %zu accepted", cut);
		ck_assert(err[0] != '\0');
		free(part);
	}
	free(b);
}
END_TEST

START_TEST(truncated_json_message)
{
	struct fp_wb_page p;
	char err[128] = "";

	ck_assert_int_eq(parse_str("[{\"page\":1,\"pag", &p, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_str_eq(err, "malformed JSON near byte 12 of 15");
}
END_TEST

START_TEST(deep_json_nesting)
{
	enum { DEPTH = 2000 };
	char *b = malloc(2 * DEPTH + 1), *o;
	struct fp_wb_page p;
	struct fp_wb_countries l;
	char err[128] = "";
	int i;

	for (i = 0; i < DEPTH; i++)
		b[i] = '[';
	for (i = 0; i < DEPTH; i++)
		b[DEPTH + i] = ']';
	b[2 * DEPTH] = '\0';
	ck_assert_int_eq(
		fp_wb_parse_data(b, 2 * DEPTH, NULL, &p, err, sizeof(err)),
		FP_EPARSE);
	ck_assert_int_eq(
		fp_wb_parse_countries(b, 2 * DEPTH, &l, err, sizeof(err)),
		FP_EPARSE);
	free(b);
	/* Objects too: {"a":{"a":...}} */
	b = malloc(6 * DEPTH + 2);
	o = b;
	for (i = 0; i < DEPTH; i++) {
		memcpy(o, "{\"a\":", 5);
		o += 5;
	}
	*o++ = '1';
	for (i = 0; i < DEPTH; i++)
		*o++ = '}';
	ck_assert_int_eq(fp_wb_parse_data(b, (size_t)(o - b), NULL, &p, err,
					  sizeof(err)),
			 FP_EPARSE);
	free(b);
}
END_TEST

START_TEST(deep_xml_nesting)
{
	enum { DEPTH = 5000 };
	static const char head[] =
		"<wb:data xmlns:wb=\"http://www.worldbank.org\""
		" page=\"1\" pages=\"1\" per_page=\"1\" "
		"total=\"1\">";
	size_t n = sizeof(head) - 1 + DEPTH * 7 + 10, i;
	char *b = malloc(n + 1), *o = b;
	struct fp_wb_page p;
	char err[160] = "";

	memcpy(o, head, sizeof(head) - 1);
	o += sizeof(head) - 1;
	for (i = 0; i < DEPTH; i++) {
		memcpy(o, "<x>", 3);
		o += 3;
	}
	for (i = 0; i < DEPTH; i++) {
		memcpy(o, "</x>", 4);
		o += 4;
	}
	memcpy(o, "</wb:data>", 10);
	o += 10;
	ck_assert_int_eq(fp_wb_parse_data(b, (size_t)(o - b), NULL, &p, err,
					  sizeof(err)),
			 FP_EPARSE);
	ck_assert(strncmp(err, "malformed XML: ", 15) == 0);
	free(b);
}
END_TEST

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Nothing of /etc/passwd may show in the error text. */
static void assert_no_passwd(const char *s)
{
	ck_assert_ptr_null(strstr(s, "root:"));
	ck_assert_ptr_null(strstr(s, "/bin/"));
	ck_assert_ptr_null(strstr(s, "lol"));
}

START_TEST(hostile_xml_refused)
{
	static const char *files[] = { "bodies/hostile_billion_laughs.xml",
				       "bodies/hostile_xxe_passwd.xml",
				       "bodies/hostile_xxe_dtd.xml" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct fp_wb_page p;
		struct fp_wb_countries l;
		char err[160] = "";
		size_t len;
		char *b = slurp(files[i], &len);
		double t0 = now_sec();

		ck_assert_int_eq(
			fp_wb_parse_data(b, len, NULL, &p, err, sizeof(err)),
			FP_EPARSE);
		ck_assert_str_eq(err, "XML with a DOCTYPE is not accepted");
		ck_assert_ptr_null(p.records);
		ck_assert_uint_eq(p.nrecords + p.nmissing, 0);
		assert_no_passwd(err);
		ck_assert_int_eq(
			fp_wb_parse_countries(b, len, &l, err, sizeof(err)),
			FP_EPARSE);
		ck_assert_uint_eq(l.n, 0);
		assert_no_passwd(err);
		/* Refused at the DOCTYPE: no expansion work at all. */
		ck_assert_msg(now_sec() - t0 < 5.0, "%s too slow", files[i]);
		free(b);
	}
}
END_TEST

/* A body in a declared encoding it does not use: an error for the
 * caller, and nothing written to stderr by libxml2's encoding layer. */
START_TEST(xml_bad_encoding_quiet)
{
	static const char *bodies[] = {
		"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><wb:data "
		"xmlns:wb=\"http://www.worldbank.org\">\x85\xff\xfe\x80"
		"</wb:data>",
		"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\x94\x91\x8c"
		"\xc6</a>",
	};
	char path[] = "/tmp/test_worldbank.XXXXXX";
	int fd = mkstemp(path), saved;
	size_t i;
	struct stat st;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct fp_wb_page p;
		char err[160] = "";

		ck_assert_int_eq(parse_str(bodies[i], &p, err, sizeof(err)),
				 FP_EPARSE);
		ck_assert(strncmp(err, "malformed XML: ", 15) == 0);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	close(fd);
}
END_TEST

/* libxml2 quotes raw input bytes in its messages ("<\xffr>>", from the
 * fuzzers): the error text stays valid UTF-8, one line, and a message cut
 * by a small buffer ends on a whole character. */
START_TEST(xml_error_text_is_utf8)
{
	static const char body[] = "<\xffr>>";
	const char *api = "[{\"message\":[{\"id\":\"1\",\"key\":\"k\","
			  "\"value\":\"\xc3\xa9\xc3\xa9\xc3\xa9\"}]}]";
	struct fp_wb_page p;
	char err[160] = "", small[18];
	size_t i;

	ck_assert_int_eq(fp_wb_parse_data(body, sizeof(body) - 1, NULL, &p,
					  err, sizeof(err)),
			 FP_EPARSE);
	ck_assert(strncmp(err, "malformed XML: ", 15) == 0);
	for (i = 0; err[i]; i++)
		ck_assert((unsigned char)err[i] != 0xff &&
			  (unsigned char)err[i] >= 0x20);
	ck_assert_ptr_nonnull(strstr(err, "\xEF\xBF\xBD")); /* U+FFFD */
	/* "API error 1 (k): " is 17 bytes; an 18-byte buffer would cut
	 * the first "\xc3\xa9" in half. */
	ck_assert_int_eq(parse_str(api, &p, small, sizeof(small)), FP_EAPI);
	ck_assert_str_eq(small, "API error 1 (k): ");
}
END_TEST

/* The DOCTYPE stops the parser before the internal subset is read: a
 * subset that is itself broken is never seen (a parser that read it
 * would report the broken declaration instead). */
START_TEST(xml_dtd_subset_never_read)
{
	const char *b = "<?xml version=\"1.0\"?><!DOCTYPE wb:data [ <!ENTITY "
			"% p SYSTEM \"file:///etc/passwd\"> %p; <!ENTITY a \"";
	struct fp_wb_page p;
	char err[160] = "";

	ck_assert_int_eq(parse_str(b, &p, err, sizeof(err)), FP_EPARSE);
	ck_assert_str_eq(err, "XML with a DOCTYPE is not accepted");
}
END_TEST

START_TEST(hostile_xml_error_body)
{
	/* An entity inside an API error message must not leak into the
	 * message text. */
	const char *b =
		"<?xml version=\"1.0\"?><!DOCTYPE wb:error [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]><wb:error xmlns:wb=\"http://www."
		"worldbank.org\"><wb:message id=\"1\" "
		"key=\"k\">&x;</wb:message>"
		"</wb:error>";
	struct fp_wb_page p;
	char err[160] = "";

	ck_assert_int_eq(parse_str(b, &p, err, sizeof(err)), FP_EPARSE);
	assert_no_passwd(err);
	/* Undefined entities without a DTD are not well-formed. */
	ck_assert_int_eq(
		parse_str("<wb:error xmlns:wb=\"http://www.worldbank."
			  "org\"><wb:message id=\"1\">&x;</wb:message>"
			  "</wb:error>",
			  &p, err, sizeof(err)),
		FP_EPARSE);
}
END_TEST

START_TEST(xml_namespace_by_uri)
{
	struct fp_wb_page p;
	char err[160] = "";
	const char *other_prefix =
		"<d:data xmlns:d=\"http://www.worldbank.org\" page=\"1\" "
		"pages=\"1\" per_page=\"50\" total=\"1\"><d:data>"
		"<d:country id=\"AW\">Aruba</d:country><d:countryiso3code>ABW"
		"</d:countryiso3code><d:date>2019</d:date><d:value>"
		"3395798882.68156</d:value></d:data></d:data>";
	const char *wrong_ns =
		"<wb:data xmlns:wb=\"http://evil.example\" page=\"1\" "
		"pages=\"1\" per_page=\"50\" total=\"1\"></wb:data>";
	const char *default_ns =
		"<data xmlns=\"http://www.worldbank.org\" page=\"1\" "
		"pages=\"1\" per_page=\"50\" total=\"1\"><data>"
		"<country id=\"AW\">Aruba</country><countryiso3code>ABW"
		"</countryiso3code><date>2019</date><value /></data></data>";

	ck_assert_int_eq(parse_str(other_prefix, &p, err, sizeof(err)), FP_OK);
	ck_assert_uint_eq(p.nrecords, 1);
	ck_assert(p.records[0].value == 3395798882.68156);
	fp_wb_page_free(&p);
	ck_assert_int_eq(parse_str(wrong_ns, &p, err, sizeof(err)), FP_EPARSE);
	ck_assert_str_eq(err, "unexpected XML root element");
	ck_assert_int_eq(parse_str(default_ns, &p, err, sizeof(err)), FP_OK);
	ck_assert_uint_eq(p.nmissing, 1);
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(xml_bad_values)
{
	static const char *vals[] = { "0x10",  "inf", "nan", "1,5",
				      "1e999", "--1", "1 2", ".5" };
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char body[512];
		struct fp_wb_page p;
		char err[160] = "";

		snprintf(body, sizeof(body),
			 "<wb:data xmlns:wb=\"http://www.worldbank.org\" "
			 "page=\"1\" pages=\"1\" per_page=\"50\" total=\"1\">"
			 "<wb:data><wb:country id=\"AW\">Aruba</wb:country>"
			 "<wb:countryiso3code>ABW</wb:countryiso3code>"
			 "<wb:date>2019</wb:date><wb:value>%s</wb:value>"
			 "</wb:data></wb:data>",
			 vals[i]);
		ck_assert_msg(parse_str(body, &p, err, sizeof(err)) ==
				      FP_EPARSE,
			      "%s accepted", vals[i]);
		ck_assert_str_eq(err, "record 1: value is not a number");
	}
}
END_TEST

/* The same decimal text in JSON and XML gives the same double. */
START_TEST(json_xml_bit_identical)
{
	static const char *vals[] = {
		"2817414584665.11",
		"0.1",
		"1e-7",
		"647000000",
		"9007199254740993",
		"-0.0",
		"123456789012345.6",
		"77721714917.8506",
		"5e-324",
		"1.7976931348623157e308",
	};
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char js[512], xs[512];
		struct fp_wb_page a, b;

		snprintf(js, sizeof(js),
			 "[" HDR ",[{\"country\":{\"id\":\"AW\",\"value\":"
			 "\"Aruba\"},\"countryiso3code\":\"ABW\",\"date\":"
			 "\"2019\",\"value\":%s}]]",
			 vals[i]);
		snprintf(xs, sizeof(xs),
			 "\xEF\xBB\xBF<?xml version=\"1.0\" "
			 "encoding=\"utf-8\"?>"
			 "<wb:data xmlns:wb=\"http://www.worldbank.org\" "
			 "page=\"1\" pages=\"1\" per_page=\"50\" total=\"1\">"
			 "<wb:data><wb:country id=\"AW\">Aruba</wb:country>"
			 "<wb:countryiso3code>ABW</wb:countryiso3code>"
			 "<wb:date>2019</wb:date><wb:value>%s</wb:value>"
			 "</wb:data></wb:data>",
			 vals[i]);
		ck_assert_int_eq(parse_str(js, &a, NULL, 0), FP_OK);
		ck_assert_int_eq(parse_str(xs, &b, NULL, 0), FP_OK);
		assert_same_page(&a, &b);
		ck_assert(
			same_bits(a.records[0].value, strtod(vals[i], NULL)));
		fp_wb_page_free(&a);
		fp_wb_page_free(&b);
	}
}
END_TEST

/* ================================================================== */
/* Country list                                                        */

START_TEST(countries_recorded)
{
	struct fp_wb_countries l, x;
	char err[160] = "";
	size_t len;
	char *b = slurp("bodies/countries_p1_pp2.json", &len);

	ck_assert_int_eq(fp_wb_parse_countries(b, len, &l, err, sizeof(err)),
			 FP_OK);
	ck_assert_int_eq(l.page, 1);
	ck_assert_int_eq(l.pages, 149);
	ck_assert_int_eq(l.per_page, 2); /* sent as the string "2" */
	ck_assert_int_eq(l.total, 297);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].id, "ABW");
	ck_assert_str_eq(l.items[0].iso2, "AW");
	ck_assert_str_eq(l.items[0].name, "Aruba");
	ck_assert_str_eq(l.items[0].region, "LCN");
	ck_assert(!l.items[0].aggregate);
	ck_assert_str_eq(l.items[1].id, "AFG");
	free(b);

	b = slurp("bodies/countries_p1.xml", &len);
	ck_assert_int_eq(fp_wb_parse_countries(b, len, &x, err, sizeof(err)),
			 FP_OK);
	ck_assert_uint_eq(x.n, 2);
	ck_assert_int_eq(x.per_page, 10);
	ck_assert_str_eq(x.items[1].id, "EUU");
	ck_assert(x.items[1].aggregate);
	ck_assert_str_eq(x.items[1].region, "NA");
	ck_assert_int_eq(fp_wb_countries_append(&l, &x), FP_OK);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_uint_eq(x.n, 0);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&l, "eu"), 1);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&l, "euu"), 1);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&l, "af"), 0);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&l, "ZZZ"), FP_ENOENT);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&l, "A$"), FP_ENOENT);
	fp_wb_countries_free(&l);
	fp_wb_countries_free(&x);
	free(b);

	b = slurp("bodies/country_jpn.json", &len);
	ck_assert_int_eq(fp_wb_parse_countries(b, len, &l, err, sizeof(err)),
			 FP_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].id, "JPN");
	fp_wb_countries_free(&l);
	free(b);

	/* Another list's shape (lendingTypes: no iso2Code) is refused. */
	b = slurp("bodies/lendingtypes.json", &len);
	ck_assert_int_eq(fp_wb_parse_countries(b, len, &l, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_str_eq(err, "entry 1: bad iso2Code");
	free(b);
}
END_TEST

START_TEST(countries_aggregate_by_value)
{
	struct fp_wb_countries l;
	const char *b =
		"[{\"page\":1,\"pages\":1,\"per_page\":\"50\",\"total\":1},"
		"[{\"id\":\"WLD\",\"iso2Code\":\"1W\",\"name\":\"World\","
		"\"region\":{\"id\":\"\",\"value\":\"Aggregates \"}}]]";

	ck_assert_int_eq(fp_wb_parse_countries(b, strlen(b), &l, NULL, 0),
			 FP_OK);
	ck_assert(l.items[0].aggregate);
	ck_assert_ptr_eq(fp_wb_countries_find(&l, "1w"), &l.items[0]);
	fp_wb_countries_free(&l);
}
END_TEST

/* Found by fuzzing: an entry without a region (or with a region that is
 * not an object) is a country with an empty region, not a crash. */
START_TEST(countries_without_region)
{
	struct fp_wb_countries l;
	const char *b =
		"[{\"page\":1,\"pages\":1,\"per_page\":\"50\",\"total\":2},"
		"[{\"id\":\"ASM\",\"iso2Code\":\"AS\",\"name\":\"A\"},"
		"{\"id\":\"ABW\",\"iso2Code\":\"AW\",\"name\":\"B\","
		"\"region\":[1]}]]";
	const char *x =
		"<wb:countries xmlns:wb=\"http://www.worldbank.org\" "
		"page=\"1\" pages=\"1\" per_page=\"50\" total=\"1\">"
		"<wb:country id=\"ASM\"><wb:iso2Code>AS</wb:iso2Code>"
		"<wb:name>A</wb:name>"
		"</wb:country></wb:countries>";

	ck_assert_int_eq(fp_wb_parse_countries(b, strlen(b), &l, NULL, 0),
			 FP_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.items[0].region, "");
	ck_assert(!l.items[0].aggregate && !l.items[1].aggregate);
	fp_wb_countries_free(&l);
	ck_assert_int_eq(fp_wb_parse_countries(x, strlen(x), &l, NULL, 0),
			 FP_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].region, "");
	fp_wb_countries_free(&l);
}
END_TEST


START_TEST(recorded_two_indicators)
{
	struct fp_wb_page p;
	size_t len, i, gdp = 0, pop = 0;
	char *b = slurp("bodies/gdp_pop_jpn_usa_p1.json", &len);

	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &p, NULL, 0), FP_OK);
	for (i = 0; i < p.nrecords + p.nmissing; i++) {
		const struct fp_wb_record *r =
			i < p.nrecords ? &p.records[i]
				       : &p.missing[i - p.nrecords];

		gdp += !strcmp(r->indicator, "NY.GDP.MKTP.CD");
		pop += !strcmp(r->indicator, "SP.POP.TOTL");
	}
	ck_assert_uint_eq(gdp + pop, 50);
	ck_assert_uint_eq(gdp, 50); /* page 1 is all JPN GDP (recorded) */
	/* A reply without ids takes the one indicator asked for, and only
	 * where the id is missing. */
	strcpy(p.records[0].indicator, "");
	fp_wb_page_fill_indicator(&p, "NY.GDP.MKTP.CD");
	ck_assert_str_eq(p.records[0].indicator, "NY.GDP.MKTP.CD");
	fp_wb_page_fill_indicator(&p, "BAD;ID");
	fp_wb_page_free(&p);
	free(b);
}
END_TEST

START_TEST(indicator_ids_parsed)
{
	const char *j = "[{\"page\":1,\"pages\":1,\"per_page\":50,\"total\":2},"
			"[{\"indicator\":{\"id\":\"SP.POP.TOTL\",\"value\":"
			"\"P\"},\"country\":{\"id\":\"US\",\"value\":\"U\"},"
			"\"countryiso3code\":\"USA\",\"date\":\"2019\","
			"\"value\":5},{\"country\":{\"id\":\"US\",\"value\":"
			"\"U\"},\"countryiso3code\":\"USA\",\"date\":\"2019\","
			"\"value\":6}]]";
	const char *x = "<wb:data xmlns:wb=\"http://www.worldbank.org\" "
			"page=\"1\" pages=\"1\" per_page=\"50\" total=\"1\">"
			"<wb:data><wb:indicator id=\"SP.POP.TOTL\">P"
			"</wb:indicator><wb:country id=\"US\">U</wb:country>"
			"<wb:countryiso3code>USA</wb:countryiso3code>"
			"<wb:date>2019</wb:date><wb:value>5</wb:value>"
			"</wb:data></wb:data>";
	const char *bad = "[{\"page\":1,\"pages\":1,\"per_page\":50,"
			  "\"total\":1},[{\"indicator\":{\"id\":\"A;B\"},"
			  "\"country\":{\"id\":\"US\",\"value\":\"U\"},"
			  "\"countryiso3code\":\"USA\",\"date\":\"2019\","
			  "\"value\":5}]]";
	const char *notobj = "[{\"page\":1,\"pages\":1,\"per_page\":50,"
			     "\"total\":1},[{\"indicator\":\"SP\","
			     "\"country\":{\"id\":\"US\",\"value\":\"U\"},"
			     "\"countryiso3code\":\"USA\",\"date\":\"2019\","
			     "\"value\":5}]]";
	struct fp_wb_page p;
	char err[128];

	ck_assert_int_eq(parse_str(j, &p, err, sizeof(err)), FP_OK);
	ck_assert_str_eq(p.records[0].indicator, "SP.POP.TOTL");
	ck_assert_str_eq(p.records[1].indicator, "");
	fp_wb_page_free(&p);
	ck_assert_int_eq(parse_str(x, &p, err, sizeof(err)), FP_OK);
	ck_assert_str_eq(p.records[0].indicator, "SP.POP.TOTL");
	fp_wb_page_free(&p);
	ck_assert_int_eq(parse_str(bad, &p, err, sizeof(err)), FP_EPARSE);
	ck_assert_str_eq(err, "record 1: bad indicator id");
	ck_assert_int_eq(parse_str(notobj, &p, err, sizeof(err)), FP_EPARSE);
	ck_assert_str_eq(err, "record 1: indicator is not an object");
}
END_TEST

START_TEST(countries_groups)
{
	struct fp_wb_countries l;
	struct fp_wb_groups g;
	size_t len;
	char *b = slurp("bodies/countries_p1_pp2.json", &len);
	char *x = slurp("bodies/countries_p1.xml", &len);

	ck_assert_int_eq(fp_wb_parse_countries(b, strlen(b), &l, NULL, 0),
			 FP_OK);
	/* Recorded: ABW is LCN, HIC, LNX; AFG is SAS, LIC, IDX. */
	ck_assert_str_eq(l.items[0].income, "HIC");
	ck_assert_str_eq(l.items[0].lending, "LNX");
	ck_assert_str_eq(l.items[1].region, "SAS");
	ck_assert_str_eq(l.items[1].income, "LIC");
	ck_assert_str_eq(l.items[1].lending, "IDX");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(fp_wb_groups_empty(&g), 1);
	ck_assert_int_eq(fp_wb_groups_empty(NULL), 1);
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[0], &g), 1);
	strcpy(g.income, "hic");
	ck_assert_int_eq(fp_wb_groups_empty(&g), 0);
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[0], &g), 1);
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[1], &g), 0);
	strcpy(g.region, "SAS"); /* AND: ABW is HIC but not SAS */
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[0], &g), 0);
	memset(&g, 0, sizeof(g));
	strcpy(g.lending, "IDX");
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[1], &g), 1);
	ck_assert_int_eq(fp_wb_country_in_groups(&l.items[0], &g), 0);
	fp_wb_countries_free(&l);
	/* XML: the same fields from the attributes. */
	ck_assert_int_eq(fp_wb_parse_countries(x, len, &l, NULL, 0), FP_OK);
	ck_assert_str_eq(l.items[0].id, "ABW");
	ck_assert_str_eq(l.items[0].income, "HIC");
	ck_assert_str_eq(l.items[0].lending, "LNX");
	fp_wb_countries_free(&l);
	free(b);
	free(x);
}
END_TEST

/* ================================================================== */
/* Against the emulation                                               */

static struct wbemu *emu;

static void emu_setup(void)
{
	ck_assert_int_eq(wbemu_load(&emu, fixtures_dir()), 0);
}

static void emu_teardown(void)
{
	wbemu_free(emu);
	emu = NULL;
}

struct kv {
	const char *k[8], *v[8];
	int n;
};

static const char *kv_get(void *ctx, const char *key)
{
	const struct kv *q = ctx;
	int i;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->k[i], key) == 0)
			return q->v[i];
	return NULL;
}

/* GET PATH?k=v&... (NULL-terminated pairs) from the emulation. */
static void emu_get(struct wbemu_reply *r, const char *path, ...)
{
	struct kv q = { { 0 }, { 0 }, 0 };
	va_list ap;
	const char *k;

	va_start(ap, path);
	while ((k = va_arg(ap, const char *)) != NULL && q.n < 8) {
		q.k[q.n] = k;
		q.v[q.n] = va_arg(ap, const char *);
		q.n++;
	}
	va_end(ap);
	ck_assert_int_eq(wbemu_handle(emu, path, kv_get, &q, r), 0);
	ck_assert_ptr_nonnull(r->body);
}

/* Both formats of one data request, parsed and compared. */
static void emu_both(const char *path, const char *req_code, const char *date,
		     const char *per_page, const char *page,
		     struct fp_wb_page *out)
{
	struct wbemu_reply rj, rx;
	struct fp_wb_page px;
	char err[160] = "";
	int rc;

	emu_get(&rj, path, "format", "json", date ? "date" : "mrnev",
		date ? date : "1", "per_page", per_page, "page", page,
		(const char *)NULL);
	emu_get(&rx, path, "format", "xml", date ? "date" : "mrnev",
		date ? date : "1", "per_page", per_page, "page", page,
		(const char *)NULL);
	ck_assert_str_eq(rj.content_type, "application/json;charset=utf-8");
	ck_assert(rj.len > 0 && rj.body[0] == '[' &&
		  rj.body[rj.len - 1] == ']');
	ck_assert(rx.len > 3 && memcmp(rx.body, "\xEF\xBB\xBF<?xml", 8) == 0);
	rc = fp_wb_parse_data_json(rj.body, rj.len, req_code, out, err,
				   sizeof(err));
	ck_assert_msg(rc == FP_OK, "json %s: %s", path, err);
	rc = fp_wb_parse_data_xml(rx.body, rx.len, req_code, &px, err,
				  sizeof(err));
	ck_assert_msg(rc == FP_OK, "xml %s: %s", path, err);
	assert_same_page(out, &px);
	fp_wb_page_free(&px);
	free(rj.body);
	free(rx.body);
}

/* The GDP CSV read independently of the emulation: every data line is
 * fully quoted, so the fields are split at `","`. */
struct csvrow {
	char code[4];
	char *cells[65];
};

static struct csvrow *csv_rows;
static size_t csv_n;
static char *csv_buf; /* the file; the cells point into it */

static void csv_load(void)
{
	size_t len, line = 0;
	char *b =
		slurp("gdp/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_391573.csv", &len);
	char *save = NULL, *l;

	csv_rows = calloc(300, sizeof(*csv_rows));
	csv_n = 0;
	for (l = strtok_r(b, "\n", &save); l != NULL;
	     l = strtok_r(NULL, "\n", &save), line++) {
		char *f[80], *p;
		size_t nf = 0, n = strlen(l);

		if (line < 4 || l[0] != '"' ||
		    strncmp(l, "\"Country Name", 13) == 0)
			continue;
		/* strip the trailing ",\r" and the outer quotes */
		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ','))
			l[--n] = '\0';
		ck_assert(n >= 2 && l[n - 1] == '"');
		l[n - 1] = '\0';
		p = l + 1;
		f[nf++] = p;
		while ((p = strstr(p, "\",\"")) != NULL && nf < 80) {
			*p = '\0';
			p += 3;
			f[nf++] = p;
		}
		ck_assert_uint_eq(nf, 4 + 65);
		ck_assert(csv_n < 300);
		snprintf(csv_rows[csv_n].code, 4, "%s", f[1]);
		memcpy(csv_rows[csv_n].cells, f + 4, sizeof(char *) * 65);
		csv_n++;
	}
	ck_assert_uint_eq(csv_n, 266);
	csv_buf = b;
}

static void csv_unload(void)
{
	free(csv_buf);
	csv_buf = NULL;
	free(csv_rows);
	csv_rows = NULL;
}

static const char *csv_cell(const char *code, int year)
{
	size_t i;

	for (i = 0; i < csv_n; i++)
		if (strcmp(csv_rows[i].code, code) == 0)
			return csv_rows[i].cells[year - 1960];
	ck_abort_msg("%s not in CSV", code);
	return NULL;
}

static void emu_csv_setup(void)
{
	emu_setup();
	csv_load();
}

static void emu_csv_teardown(void)
{
	csv_unload();
	emu_teardown();
}

START_TEST(emu_all_years_equal_csv)
{
	struct fp_wb_page p;
	size_t i, with = 0;

	emu_both("/country/all/indicator/NY.GDP.MKTP.CD", "all", "1960:2024",
		 "20000", "1", &p);
	ck_assert_int_eq(p.total, 266 * 65);
	ck_assert_int_eq(p.pages, 1);
	ck_assert_uint_eq(p.nrecords + p.nmissing, 266 * 65);
	ck_assert_str_eq(p.lastupdated, "2025-04-15");
	for (i = 0; i < p.nrecords; i++) {
		const char *cell =
			csv_cell(p.records[i].code, p.records[i].year);

		ck_assert_msg(cell[0] != '\0' && same_bits(p.records[i].value,
							   strtod(cell, NULL)),
			      "%s %d: %.17g vs '%s'", p.records[i].code,
			      p.records[i].year, p.records[i].value, cell);
		with++;
	}
	for (i = 0; i < p.nmissing; i++)
		ck_assert_str_eq(
			csv_cell(p.missing[i].code, p.missing[i].year), "");
	ck_assert_uint_eq(with, 14307); /* SOURCES.md */
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(emu_per_country_years)
{
	static const char *codes[] = { "AUS", "us",  "JPN", "1W",
				       "chn", "ARB", "ASM", "INX" };
	static const char *iso3[] = { "AUS", "USA", "JPN", "WLD",
				      "CHN", "ARB", "ASM", "INX" };
	static const char *years[] = { "1960", "1990", "2019", "2023",
				       "2024" };
	size_t c, y;

	for (c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
		for (y = 0; y < sizeof(years) / sizeof(years[0]); y++) {
			char path[128];
			struct fp_wb_page p;
			const char *cell = csv_cell(iso3[c], atoi(years[y]));

			snprintf(path, sizeof(path),
				 "/country/%s/indicator/NY.GDP.MKTP.CD",
				 codes[c]);
			emu_both(path, codes[c], years[y], "50", "1", &p);
			ck_assert_int_eq(p.total, 1);
			if (cell[0] == '\0') {
				ck_assert_uint_eq(p.nmissing, 1);
				ck_assert_str_eq(p.missing[0].code, iso3[c]);
			} else {
				ck_assert_uint_eq(p.nrecords, 1);
				ck_assert_str_eq(p.records[0].code, iso3[c]);
				ck_assert(same_bits(p.records[0].value,
						    strtod(cell, NULL)));
			}
			fp_wb_page_free(&p);
		}
	}
}
END_TEST

START_TEST(emu_mrnev_latest_value)
{
	struct fp_wb_page p;
	size_t i, expect = 0;

	emu_both("/country/all/indicator/NY.GDP.MKTP.CD", "all", NULL, "1000",
		 "1", &p);
	ck_assert_uint_eq(p.nmissing, 0);
	for (i = 0; i < csv_n; i++) {
		int y;

		for (y = 2024; y >= 1960; y--)
			if (csv_rows[i].cells[y - 1960][0] != '\0')
				break;
		if (y >= 1960)
			expect++;
	}
	ck_assert_uint_eq(p.nrecords, expect);
	for (i = 0; i < p.nrecords; i++) {
		int y;

		for (y = 2024; y > p.records[i].year; y--)
			ck_assert_str_eq(csv_cell(p.records[i].code, y), "");
		ck_assert(same_bits(
			p.records[i].value,
			strtod(csv_cell(p.records[i].code, p.records[i].year),
			       NULL)));
	}
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(emu_pagination)
{
	struct fp_wb_page p;
	size_t seen = 0;
	long page, pages = 1;

	for (page = 1; page <= pages + 1; page++) {
		char pg[16];

		snprintf(pg, sizeof(pg), "%ld", page);
		emu_both("/country/all/indicator/NY.GDP.MKTP.CD", "all",
			 "1960:2024", "1000", pg, &p);
		ck_assert_int_eq(p.page, page);
		ck_assert_int_eq(p.total, 17290);
		ck_assert_int_eq(p.per_page, 1000);
		pages = p.pages;
		ck_assert_int_eq(pages, 18);
		if (page <= 17)
			ck_assert_uint_eq(p.nrecords + p.nmissing, 1000);
		else if (page == 18)
			ck_assert_uint_eq(p.nrecords + p.nmissing, 290);
		else
			ck_assert_uint_eq(p.nrecords + p.nmissing, 0);
		seen += p.nrecords + p.nmissing;
		fp_wb_page_free(&p);
	}
	ck_assert_uint_eq(seen, 17290);
}
END_TEST

START_TEST(emu_default_per_page_and_order)
{
	struct wbemu_reply r;
	struct fp_wb_page p, rec;
	size_t len;
	char *b;

	/* Default per_page is 50; pages = ceil(17290 / 50). */
	emu_get(&r, "/country/all/indicator/NY.GDP.MKTP.CD", "format", "json",
		(const char *)NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, NULL, 0),
			 FP_OK);
	ck_assert_int_eq(p.per_page, 50);
	ck_assert_int_eq(p.pages, 346);
	/* Aggregates first, by name: AFE "Africa Eastern and Southern". */
	ck_assert_str_eq(p.missing[0].code, "AFE");
	ck_assert_str_eq(p.missing[0].date, "2024");
	ck_assert_str_eq(p.records[0].date, "2023");
	fp_wb_page_free(&p);
	free(r.body);

	/* Same request shape as the 2021 recording, same envelope. */
	emu_get(&r, "/countries/JPN;USA/indicators/NY.GDP.MKTP.CD", "date",
		"2018:2019", "format", "json", "page", "1", "per_page", "2",
		(const char *)NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, NULL, 0),
			 FP_OK);
	b = slurp("bodies/gdp_jpn_usa_2018_2019_pp2.json", &len);
	ck_assert_int_eq(fp_wb_parse_data(b, len, NULL, &rec, NULL, 0), FP_OK);
	ck_assert_int_eq(p.page, rec.page);
	ck_assert_int_eq(p.pages, rec.pages);
	ck_assert_int_eq(p.per_page, rec.per_page);
	ck_assert_int_eq(p.total, rec.total);
	ck_assert_uint_eq(p.nrecords, rec.nrecords);
	ck_assert_str_eq(p.records[0].code, rec.records[0].code);
	ck_assert_str_eq(p.records[0].date, rec.records[0].date);
	ck_assert_str_eq(p.records[1].date, rec.records[1].date);
	fp_wb_page_free(&p);
	fp_wb_page_free(&rec);
	free(b);
	free(r.body);

	/* Page 2 of that request: all of USA after all of JPN. */
	emu_get(&r, "/en/countries/jpn;usa/indicators/ny.gdp.mktp.cd", "date",
		"2018:2019", "format", "json", "page", "2", "per_page", "2",
		(const char *)NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, NULL, 0),
			 FP_OK);
	ck_assert_str_eq(p.records[0].code, "USA");
	ck_assert_str_eq(p.records[1].code, "USA");
	fp_wb_page_free(&p);
	free(r.body);
}
END_TEST

START_TEST(emu_zero_records)
{
	struct fp_wb_page p;

	emu_both("/country/all/indicator/NY.GDP.MKTP.CD", "all", "2026", "50",
		 "1", &p);
	ck_assert_int_eq(p.page, 0);
	ck_assert_int_eq(p.total, 0);
	ck_assert_uint_eq(p.nrecords + p.nmissing, 0);
	fp_wb_page_free(&p);
}
END_TEST

START_TEST(emu_errors)
{
	static const struct {
		const char *path, *fmt, *err;
	} cases[] = {
		{ "/country/ZZZ/indicator/NY.GDP.MKTP.CD", "json",
		  "API error 120 (Invalid value): The provided parameter "
		  "value "
		  "is not valid" },
		{ "/country/ZZZ/indicator/NY.GDP.MKTP.CD", "xml",
		  "API error 120 (Invalid value): The provided parameter "
		  "value "
		  "is not valid" },
		/* Listed, but no GDP series (API.md §1). */
		{ "/country/AFR/indicator/NY.GDP.MKTP.CD", "json",
		  "API error 120 (Invalid value): The provided parameter "
		  "value "
		  "is not valid" },
		{ "/country/USA;ZZZ/indicator/NY.GDP.MKTP.CD", "xml",
		  "API error 120 (Invalid value): The provided parameter "
		  "value "
		  "is not valid" },
		{ "/countries/all/indicators/INVALID.INDICATOR.ID", "json",
		  "API error 120 (Invalid value): The provided parameter "
		  "value "
		  "is not valid" },
		{ "/country/all/indicator/NY.GDP.MKTP.CD", "csv",
		  "API error 111 (Invalid format): The requested response "
		  "format was not found." },
		{ "/fr/country/all/indicator/NY.GDP.MKTP.CD", "json",
		  "API error 150 (Language is not yet supported in the API): "
		  "Response requested in an unsupported language." },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wbemu_reply r;
		struct fp_wb_page p;
		char err[200] = "";

		emu_get(&r, cases[i].path, "format", cases[i].fmt,
			(const char *)NULL);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, err,
						  sizeof(err)),
				 FP_EAPI);
		ck_assert_msg(strcmp(err, cases[i].err) == 0, "case %zu: %s",
			      i, err);
		free(r.body);
	}
}
END_TEST

START_TEST(emu_not_emulated_and_bad_params)
{
	struct wbemu_reply r;
	struct fp_wb_page p;
	char err[200] = "";

	emu_get(&r, "/region", "format", "json", (const char *)NULL);
	ck_assert_int_eq(r.status, 404);
	free(r.body);
	emu_get(&r, "/country/USA/indicator/NY.GDP.MKTP.CD/extra", "format",
		"json", (const char *)NULL);
	ck_assert_int_eq(r.status, 404);
	free(r.body);
	emu_get(&r, "/country/all/indicator/NY.GDP.MKTP.CD", "format", "json",
		"per_page", "0", (const char *)NULL);
	ck_assert_int_eq(
		fp_wb_parse_data(r.body, r.len, NULL, &p, err, sizeof(err)),
		FP_EAPI);
	free(r.body);
	emu_get(&r, "/country/all/indicator/NY.GDP.MKTP.CD", "format", "json",
		"date", "2019:20x", (const char *)NULL);
	ck_assert_int_eq(
		fp_wb_parse_data(r.body, r.len, NULL, &p, err, sizeof(err)),
		FP_EAPI);
	free(r.body);
	/* No format: XML, the API's default. */
	emu_get(&r, "/country/USA/indicator/NY.GDP.MKTP.CD", "date", "2019",
		(const char *)NULL);
	ck_assert_str_eq(r.content_type, "text/xml; charset=utf-8");
	ck_assert_int_eq(
		fp_wb_parse_data(r.body, r.len, "USA", &p, err, sizeof(err)),
		FP_OK);
	ck_assert_uint_eq(p.nrecords, 1);
	fp_wb_page_free(&p);
	free(r.body);
}
END_TEST

START_TEST(emu_country_list_both_formats)
{
	struct wbemu_reply rj, rx;
	struct fp_wb_countries a, b;
	char err[160] = "";
	size_t i, agg = 0;

	emu_get(&rj, "/country", "format", "json", "per_page", "500",
		(const char *)NULL);
	emu_get(&rx, "/countries/all", "format", "xml", "per_page", "500",
		(const char *)NULL);
	ck_assert_int_eq(
		fp_wb_parse_countries(rj.body, rj.len, &a, err, sizeof(err)),
		FP_OK);
	ck_assert_int_eq(
		fp_wb_parse_countries(rx.body, rx.len, &b, err, sizeof(err)),
		FP_OK);
	ck_assert_uint_eq(a.n, 296);
	ck_assert_uint_eq(b.n, 296);
	ck_assert_int_eq(a.total, 296);
	ck_assert_int_eq(a.per_page, 500);
	for (i = 0; i < a.n; i++) {
		ck_assert_str_eq(a.items[i].id, b.items[i].id);
		ck_assert_str_eq(a.items[i].iso2, b.items[i].iso2);
		ck_assert_str_eq(a.items[i].name, b.items[i].name);
		ck_assert_str_eq(a.items[i].region, b.items[i].region);
		ck_assert(a.items[i].aggregate == b.items[i].aggregate);
		agg += a.items[i].aggregate;
	}
	ck_assert_uint_eq(agg, 79);
	ck_assert_str_eq(a.items[0].id, "ABW");
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&a, "WLD"), 1);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&a, "1w"), 1);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&a, "usa"), 0);
	ck_assert_int_eq(fp_wb_countries_is_aggregate(&a, "AFR"), 1);
	ck_assert_str_eq(fp_wb_countries_find(&a, "jp")->id, "JPN");
	fp_wb_countries_free(&a);
	fp_wb_countries_free(&b);
	free(rj.body);
	free(rx.body);

	/* The default page of the list: per_page "50", 6 pages. */
	emu_get(&rj, "/country", "format", "json", (const char *)NULL);
	ck_assert(strncmp(rj.body,
			  "[{\"page\":1,\"pages\":6,\"per_page\":"
			  "\"50\",\"total\":296},",
			  48) == 0);
	free(rj.body);
}
END_TEST

/* The teaching exercise of SOURCES.md: 2019, ABW..BDI, 17/17. */
START_TEST(emu_exercise_2019_lines)
{
	static const char *want = "country: ABW GDP: 3.4B\n"
				  "country: AFE GDP: 1009.7B\n"
				  "country: AFG GDP: 18.8B\n"
				  "country: AFW GDP: 826.5B\n"
				  "country: AGO GDP: 70.9B\n"
				  "country: ALB GDP: 15.6B\n"
				  "country: AND GDP: 3.2B\n"
				  "country: ARB GDP: 2899.0B\n"
				  "country: ARE GDP: 418.0B\n"
				  "country: ARG GDP: 447.8B\n"
				  "country: ARM GDP: 13.6B\n"
				  "country: ASM GDP: 0.6B\n"
				  "country: ATG GDP: 1.7B\n"
				  "country: AUS GDP: 1392.7B\n"
				  "country: AUT GDP: 443.0B\n"
				  "country: AZE GDP: 48.2B\n"
				  "country: BDI GDP: 2.6B\n";
	struct wbemu_reply rl;
	struct fp_wb_countries l;
	struct fp_wb_page p;
	struct fp_gdp_summary s;
	char *out = NULL;
	size_t outlen = 0, i;
	FILE *f;

	emu_both("/country/all/indicator/NY.GDP.MKTP.CD", "all", "2019", "300",
		 "1", &p);
	ck_assert_uint_eq(p.nrecords, 258); /* SOURCES.md */
	ck_assert_uint_eq(p.nmissing, 8);
	emu_get(&rl, "/country", "format", "json", "per_page", "1000",
		(const char *)NULL);
	ck_assert_int_eq(fp_wb_parse_countries(rl.body, rl.len, &l, NULL, 0),
			 FP_OK);
	ck_assert_uint_eq(fp_wb_page_mark(&p, &l), 0);
	ck_assert_int_eq(
		fp_gdpout_sort(p.records, p.nrecords, FP_GDP_SORT_CODE),
		FP_OK);
	f = open_memstream(&out, &outlen);
	for (i = 0; i < p.nrecords && strcmp(p.records[i].code, "BDI") <= 0;
	     i++)
		ck_assert_int_eq(fp_gdpout_line(f, &p.records[i]), FP_OK);
	fclose(f);
	ck_assert_str_eq(out, want);
	free(out);
	ck_assert_int_eq(
		fp_gdpout_summarize(p.records, p.nrecords, p.nmissing, &s),
		FP_OK);
	ck_assert_uint_eq(s.countries + s.aggregates, 258);
	ck_assert_uint_eq(s.aggregates, 48); /* INX has no value */
	ck_assert_str_eq(s.top[0].code, "USA");
	ck_assert_str_eq(s.top[1].code, "CHN");
	f = open_memstream(&out, &outlen);
	ck_assert_int_eq(fp_gdpout_summary(f, &s), FP_OK);
	fclose(f);
	ck_assert_str_eq(out, "summary: 258 economies with data (210 "
			      "countries, 48 aggregates), 8 without data\n"
			      "countries: total 87184.7B, mean 415.2B, median "
			      "26.0B\n"
			      "top 5: USA 21540.0B, CHN 14280.0B, "
			      "JPN 5118.0B, DEU 3957.2B, GBR 2851.4B\n");
	free(out);
	fp_wb_page_free(&p);
	fp_wb_countries_free(&l);
	free(rl.body);
}
END_TEST

/* ================================================================== */
/* Threads: parsers and emulation used concurrently (for TSan runs).    */

struct thr_arg {
	const char *json, *xml;
	size_t jlen, xlen;
	int failures;
};

static void *thr_main(void *p)
{
	struct thr_arg *a = p;
	int i;

	for (i = 0; i < 20; i++) {
		struct fp_wb_page pj, px, bad;
		struct wbemu_reply r;
		struct kv q = { { "format", "date" }, { "json", "2019" }, 2 };
		char err[128];

		if (fp_wb_parse_data(a->json, a->jlen, NULL, &pj, err,
				     sizeof(err)) != FP_OK ||
		    pj.nrecords + pj.nmissing != 50)
			a->failures++;
		if (fp_wb_parse_data(a->xml, a->xlen, NULL, &px, err,
				     sizeof(err)) != FP_OK ||
		    px.nrecords != 1)
			a->failures++;
		if (fp_wb_parse_data("[1,", 3, NULL, &bad, err, sizeof(err)) !=
		    FP_EPARSE)
			a->failures++;
		fp_wb_page_free(&pj);
		fp_wb_page_free(&px);
		if (wbemu_handle(emu, "/country/all/indicator/NY.GDP.MKTP.CD",
				 kv_get, &q, &r) != 0) {
			a->failures++;
			continue;
		}
		if (fp_wb_parse_data(r.body, r.len, NULL, &pj, err,
				     sizeof(err)) != FP_OK ||
		    pj.nrecords + pj.nmissing != 50)
			a->failures++;
		fp_wb_page_free(&pj);
		free(r.body);
	}
	return NULL;
}

START_TEST(threads_parse_concurrently)
{
	enum { N = 4 };
	pthread_t t[N];
	struct thr_arg a[N];
	size_t jl, xl;
	char *j = slurp("bodies/gdp_all_p1.json", &jl);
	char *x = slurp("bodies/gdp_ita_2017.xml", &xl);
	int i;

	for (i = 0; i < N; i++) {
		a[i] = (struct thr_arg){ j, x, jl, xl, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, thr_main, &a[i]),
				 0);
	}
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(a[i].failures, 0);
	}
	free(j);
	free(x);
}
END_TEST


START_TEST(emu_two_indicators)
{
	struct wbemu_reply r;
	struct fp_wb_page p;
	char err[160];
	size_t i;

	/* Without a source: refused, as the API does. */
	emu_get(&r, "/country/USA;JPN/indicator/NY.GDP.MKTP.CD;SP.POP.TOTL",
		"format", "json", "date", "2019", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, err,
					  sizeof(err)),
			 FP_EAPI);
	free(r.body);
	emu_get(&r, "/country/USA;JPN/indicator/NY.GDP.MKTP.CD;SP.POP.TOTL",
		"format", "json", "date", "2019", "source", "2", NULL);
	ck_assert_ptr_nonnull(strstr(r.body, "\"sourceid\":null"));
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, err,
					  sizeof(err)),
			 FP_OK);
	ck_assert_uint_eq(p.nrecords, 4);
	/* Indicator by indicator, economies in the order asked. */
	ck_assert_str_eq(p.records[0].indicator, "NY.GDP.MKTP.CD");
	ck_assert_str_eq(p.records[0].code, "USA");
	ck_assert_str_eq(p.records[1].code, "JPN");
	ck_assert_str_eq(p.records[2].indicator, "SP.POP.TOTL");
	ck_assert_str_eq(p.records[2].code, "USA");
	for (i = 0; i < 4; i++)
		ck_assert(!isnan(p.records[i].value));
	fp_wb_page_free(&p);
	free(r.body);
	/* One unknown among two: one 120 message for it. */
	emu_get(&r, "/country/USA/indicator/NOPE;SP.POP.TOTL;NOPE2", "format",
		"json", "source", "2", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, NULL, &p, err,
					  sizeof(err)),
			 FP_EAPI);
	ck_assert_ptr_nonnull(strstr(err, "and 1 more"));
	free(r.body);
}
END_TEST

START_TEST(emu_source_errors)
{
	struct wbemu_reply r;
	struct fp_wb_page p;
	char err[160];

	/* Another database: an XML error though JSON was asked. */
	emu_get(&r, "/country/USA/indicator/NY.GDP.MKTP.CD", "format", "json",
		"source", "11", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "<wb:error"));
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, "USA", &p, err,
					  sizeof(err)),
			 FP_EAPI);
	ck_assert_ptr_nonnull(strstr(err, "API error 120"));
	free(r.body);
	/* Not a number: the recorded 400 HTML page. */
	emu_get(&r, "/country/USA/indicator/NY.GDP.MKTP.CD", "format", "json",
		"source", "invalid_source_id", NULL);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(r.content_type, "text/html");
	ck_assert_ptr_nonnull(strstr(r.body, "Request Error"));
	free(r.body);
	emu_get(&r, "/country/USA/indicator/NY.GDP.MKTP.CD", "format", "json",
		"source", "2", "date", "2019", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, "USA", &p, err,
					  sizeof(err)),
			 FP_OK);
	fp_wb_page_free(&p);
	free(r.body);
}
END_TEST

START_TEST(emu_gapfill_and_mrv)
{
	struct wbemu_reply r;
	struct fp_wb_page p;
	char err[160];

	/* ALB's generated series has no 2021 (the rule of the generator):
	 * mrv=3 keeps the empty period, gapfill=Y fills it from 2020. */
	emu_get(&r, "/country/ALB/indicator/SP.POP.TOTL", "format", "json",
		"mrv", "3", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, "ALB", &p, err,
					  sizeof(err)),
			 FP_OK);
	ck_assert_uint_eq(p.nrecords, 2);
	ck_assert_uint_eq(p.nmissing, 1);
	ck_assert_str_eq(p.missing[0].date, "2021");
	fp_wb_page_free(&p);
	free(r.body);
	emu_get(&r, "/country/ALB/indicator/SP.POP.TOTL", "format", "xml",
		"mrv", "3", "gapfill", "Y", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, "ALB", &p, err,
					  sizeof(err)),
			 FP_OK);
	ck_assert_uint_eq(p.nrecords, 3);
	ck_assert_str_eq(p.records[2].date, "2021");
	ck_assert_double_eq(p.records[2].value, 140170000);
	fp_wb_page_free(&p);
	free(r.body);
	emu_get(&r, "/country/ALB/indicator/SP.POP.TOTL", "format", "json",
		"mrv", "3", "gapfill", "maybe", NULL);
	ck_assert_int_eq(fp_wb_parse_data(r.body, r.len, "ALB", &p, err,
					  sizeof(err)),
			 FP_EAPI);
	free(r.body);
}
END_TEST

START_TEST(emu_country_list_filters)
{
	struct wbemu_reply r;
	struct fp_wb_countries l;
	size_t i;

	emu_get(&r, "/country", "format", "json", "per_page", "1000",
		"region", "eas", "incomelevel", "HIC", NULL);
	ck_assert_int_eq(fp_wb_parse_countries(r.body, r.len, &l, NULL, 0),
			 FP_OK);
	ck_assert_uint_gt(l.n, 5);
	for (i = 0; i < l.n; i++) {
		ck_assert_str_eq(l.items[i].region, "EAS");
		ck_assert_str_eq(l.items[i].income, "HIC");
	}
	ck_assert_ptr_nonnull(fp_wb_countries_find(&l, "JPN"));
	ck_assert_ptr_null(fp_wb_countries_find(&l, "CHN"));
	fp_wb_countries_free(&l);
	free(r.body);
	emu_get(&r, "/country", "format", "xml", "lendingtype", "IDX", NULL);
	ck_assert_int_eq(fp_wb_parse_countries(r.body, r.len, &l, NULL, 0),
			 FP_OK);
	for (i = 0; i < l.n; i++)
		ck_assert_str_eq(l.items[i].lending, "IDX");
	fp_wb_countries_free(&l);
	free(r.body);
	emu_get(&r, "/country", "format", "json", "region", "invalid_region_id",
		NULL);
	ck_assert_int_eq(fp_wb_parse_countries(r.body, r.len, &l, NULL, 0),
			 FP_EAPI);
	free(r.body);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("worldbank");
	TCase *tc = unit_tcase("urls");
	TCase *tp = unit_tcase("parsers");
	TCase *te = unit_tcase("emulation");

	tcase_add_test(tc, url_defaults);
	tcase_add_test(tc, url_full);
	tcase_add_test(tc, url_small_buffer);
	tcase_add_test(tc, url_invalid);
	tcase_add_test(tc, url_country_list);
	tcase_add_test(tc, date_and_code_checks);
	tcase_add_test(tc, url_selection_and_source);
	tcase_add_test(tc, url_selection_refused);
	tcase_add_test(tc, indicator_checks);
	tcase_add_test(tc, split_by_count);
	tcase_add_test(tc, split_by_length);
	tcase_add_test(tc, split_by_url_length);
	suite_add_tcase(s, tc);

	tcase_add_test(tp, recorded_all_page1);
	tcase_add_test(tp, recorded_small_pages);
	tcase_add_test(tp, recorded_jpn_values);
	tcase_add_test(tp, recorded_api_errors_json);
	tcase_add_test(tp, recorded_html_error_page);
	tcase_add_test(tp, xml_recorded_with_and_without_bom);
	tcase_add_test(tp, xml_api_error);
	tcase_add_test(tp, zero_record_reply);
	tcase_add_test(tp, header_numbers_or_strings);
	tcase_add_test(tp, wrong_types_and_shapes);
	tcase_add_test(tp, pre_v2_and_fallback_codes);
	tcase_add_test(tp, names_sanitized);
	tcase_add_test(tp, truncated_json_every_prefix);
	tcase_add_test(tp, truncated_xml_every_prefix);
	tcase_add_test(tp, truncated_json_message);
	tcase_add_test(tp, deep_json_nesting);
	tcase_add_test(tp, deep_xml_nesting);
	tcase_add_test(tp, hostile_xml_refused);
	tcase_add_test(tp, xml_dtd_subset_never_read);
	tcase_add_test(tp, xml_bad_encoding_quiet);
	tcase_add_test(tp, xml_error_text_is_utf8);
	tcase_add_test(tp, hostile_xml_error_body);
	tcase_add_test(tp, xml_namespace_by_uri);
	tcase_add_test(tp, xml_bad_values);
	tcase_add_test(tp, json_xml_bit_identical);
	tcase_add_test(tp, countries_recorded);
	tcase_add_test(tp, countries_aggregate_by_value);
	tcase_add_test(tp, countries_without_region);
	tcase_add_test(tp, recorded_two_indicators);
	tcase_add_test(tp, indicator_ids_parsed);
	tcase_add_test(tp, countries_groups);
	suite_add_tcase(s, tp);

	tcase_add_checked_fixture(te, emu_csv_setup, emu_csv_teardown);
	tcase_add_test(te, emu_all_years_equal_csv);
	tcase_add_test(te, emu_per_country_years);
	tcase_add_test(te, emu_mrnev_latest_value);
	tcase_add_test(te, emu_pagination);
	tcase_add_test(te, emu_default_per_page_and_order);
	tcase_add_test(te, emu_zero_records);
	tcase_add_test(te, emu_errors);
	tcase_add_test(te, emu_not_emulated_and_bad_params);
	tcase_add_test(te, emu_country_list_both_formats);
	tcase_add_test(te, emu_exercise_2019_lines);
	tcase_add_test(te, threads_parse_concurrently);
	tcase_add_test(te, emu_two_indicators);
	tcase_add_test(te, emu_source_errors);
	tcase_add_test(te, emu_gapfill_and_mrv);
	tcase_add_test(te, emu_country_list_filters);
	suite_add_tcase(s, te);
	return s;
}
