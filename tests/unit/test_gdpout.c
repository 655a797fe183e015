/* Unit tests for lib/gdpout.c: lines, summary, csv, json, sorting. */
#include "runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "gdpout.h"

/* Capture what FN writes to a FILE. */
struct cap {
	FILE *f;
	char *buf;
	size_t len;
};

static void cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->f);
}

static const char *cap_close(struct cap *c)
{
	ck_assert_int_eq(fclose(c->f), 0);
	return c->buf;
}

static struct fp_wb_record rec(const char *code, const char *name, int year,
			       double value, bool aggregate)
{
	struct fp_wb_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.code, sizeof(r.code), "%s", code);
	snprintf(r.date, sizeof(r.date), "%d", year);
	r.year = year;
	r.name = (char *)name; /* static strings: never freed here */
	r.value = value;
	r.aggregate = aggregate;
	return r;
}

static const char *billions(double v)
{
	static char buf[64];

	fp_gdpout_billions(v, buf, sizeof(buf));
	return buf;
}

START_TEST(billions_format)
{
	/* Values of the 2025-04-15 fixture, year 2019 (SOURCES.md). */
	ck_assert_str_eq(billions(18799444490.1128), "18.8B");
	ck_assert_str_eq(billions(1392723834562.64), "1392.7B");
	ck_assert_str_eq(billions(2899029698316.63), "2899.0B");
	ck_assert_str_eq(billions(647000000), "0.6B");
	ck_assert_str_eq(billions(87652300000000.0), "87652.3B");
	ck_assert_str_eq(billions(0), "0.0B");
	ck_assert_str_eq(billions(-1e7), "0.0B");
	ck_assert_str_eq(billions(-5.04e9), "-5.0B");
	ck_assert_str_eq(billions(1e30), "1000000000000000000000.0B");
	ck_assert_str_eq(billions(NAN), "n/a");
}
END_TEST

START_TEST(line_exact)
{
	struct fp_wb_record a =
		rec("AFG", "Afghanistan", 2019, 18799444490.1128, false);
	struct fp_wb_record b =
		rec("AUS", "Australia", 2019, 1392723834562.64, false);
	struct cap c;

	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_line(c.f, &a), FP_OK);
	ck_assert_int_eq(fp_gdpout_line(c.f, &b), FP_OK);
	ck_assert_str_eq(cap_close(&c), "country: AFG GDP: 18.8B\n"
					"country: AUS GDP: 1392.7B\n");
	free(c.buf);
}
END_TEST

START_TEST(write_error_reported)
{
	struct fp_wb_record a = rec("AFG", "Afghanistan", 2019, 1e9, false);
	FILE *f = fopen("/dev/null", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fp_gdpout_line(f, &a), FP_EIO);
	ck_assert_int_eq(fp_gdpout_csv_header(f), FP_EIO);
	fclose(f);
}
END_TEST

static struct fp_wb_record sample[] = {
	{ "USA", (char *)"United States", "2019", 2019, 21539982000000.0,
	  false },
	{ "WLD", (char *)"World", "2019", 2019, 87652300000000.0, true },
	{ "CHN", (char *)"China", "2019", 2019, 14279937500000.0, false },
	{ "AFG", (char *)"Afghanistan", "2019", 2019, 18799444490.1128,
	  false },
	{ "BHS", (char *)"Bahamas, The", "2019", 2019, 13578800000.0, false },
	{ "ARB", (char *)"Arab World", "2019", 2019, 2899029698316.63, true },
	{ "ASM", (char *)"American Samoa", "2019", 2019, 647000000, false },
	{ "AUS", (char *)"Australia", "2019", 2019, 1392723834562.64, false },
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

START_TEST(summary_exact)
{
	struct fp_gdp_summary s;
	struct cap c;

	ck_assert_int_eq(fp_gdpout_summarize(sample, NSAMPLE, 3, &s), FP_OK);
	ck_assert_uint_eq(s.economies, 8);
	ck_assert_uint_eq(s.countries, 6);
	ck_assert_uint_eq(s.aggregates, 2);
	ck_assert_uint_eq(s.missing, 3);
	ck_assert_uint_eq(s.ntop, 5);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_summary(c.f, &s), FP_OK);
	/* median of 6: (18.8 + 1392.7) / 2 */
	ck_assert_str_eq(cap_close(&c),
			 "summary: 8 economies with data (6 countries, 2 "
			 "aggregates), 3 without data\n"
			 "countries: total 37245.7B, mean 6207.6B, median "
			 "705.8B\n"
			 "top 5: USA 21540.0B, CHN 14279.9B, AUS 1392.7B, AFG "
			 "18.8B, BHS 13.6B\n");
	free(c.buf);
}
END_TEST

START_TEST(summary_no_countries)
{
	struct fp_gdp_summary s;
	struct cap c;

	ck_assert_int_eq(fp_gdpout_summarize(&sample[1], 1, 0, &s), FP_OK);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_summary(c.f, &s), FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "summary: 1 economies with data (0 countries, 1 "
			 "aggregates), 0 without data\n"
			 "countries: no data\n");
	free(c.buf);
}
END_TEST

START_TEST(summary_rejects_nan)
{
	struct fp_wb_record r = rec("AFG", "Afghanistan", 2019, NAN, false);
	struct fp_gdp_summary s;

	ck_assert_int_eq(fp_gdpout_summarize(&r, 1, 0, &s), FP_EINVAL);
}
END_TEST

START_TEST(csv_quoting_and_precision)
{
	struct fp_wb_record r[4];
	struct cap c;

	r[0] = rec("BHS", "Bahamas, The", 2019, 13578800000.0, false);
	r[1] = rec("XXX", "Say \"hi\"", 2019, 0.1, false);
	r[2] = rec("ARB", "Arab\nWorld", 2019, 2817414584665.11, true);
	r[3] = rec("ASM", "American Samoa", 2019, 1.0 / 3.0, false);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_csv(c.f, r, 4), FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "code,name,year,value,aggregate\n"
			 "BHS,\"Bahamas, The\",2019,13578800000,false\n"
			 "XXX,\"Say \"\"hi\"\"\",2019,0.1,false\n"
			 "ARB,\"Arab\nWorld\",2019,2817414584665.11,true\n"
			 "ASM,American Samoa,2019,0.3333333333333333,false\n");
	free(c.buf);
}
END_TEST

START_TEST(value_round_trips)
{
	const double v[] = { 2817414584665.11,
			     77721714917.8506,
			     647000000,
			     0.1,
			     1.0 / 3.0,
			     5e-324,
			     1.7976931348623157e308,
			     -123.456 };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fp_gdpout_value(v[i], buf, sizeof(buf));
		ck_assert_msg(strtod(buf, NULL) == v[i], "%s", buf);
	}
	fp_gdpout_value(77721714917.8506, buf, sizeof(buf));
	ck_assert_str_eq(buf, "77721714917.8506");
	fp_gdpout_value(NAN, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(json_parse_back)
{
	struct fp_gdp_summary s;
	struct cap c;
	const cJSON *recs, *r, *sum;
	cJSON *doc;
	size_t i = 0;

	ck_assert_int_eq(fp_gdpout_summarize(sample, NSAMPLE, 2, &s), FP_OK);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_json(c.f, NULL, sample, NSAMPLE, &s),
			 FP_OK);
	cap_close(&c);
	ck_assert(c.len > 0 && c.buf[c.len - 1] == '\n');
	doc = cJSON_Parse(c.buf);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(cJSON_GetObjectItem(doc, "indicator")->valuestring,
			 "NY.GDP.MKTP.CD");
	recs = cJSON_GetObjectItem(doc, "records");
	ck_assert_int_eq(cJSON_GetArraySize(recs), (int)NSAMPLE);
	cJSON_ArrayForEach(r, recs) {
		ck_assert_str_eq(cJSON_GetObjectItem(r, "code")->valuestring,
				 sample[i].code);
		ck_assert_str_eq(cJSON_GetObjectItem(r, "name")->valuestring,
				 sample[i].name);
		ck_assert(cJSON_GetObjectItem(r, "year")->valuedouble == 2019);
		ck_assert(cJSON_GetObjectItem(r, "value")->valuedouble ==
			  sample[i].value);
		ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r, "aggregate")) ==
			  sample[i].aggregate);
		i++;
	}
	sum = cJSON_GetObjectItem(doc, "summary");
	ck_assert(cJSON_GetObjectItem(sum, "countries")->valuedouble == 6);
	ck_assert(cJSON_GetObjectItem(sum, "aggregates")->valuedouble == 2);
	ck_assert(cJSON_GetObjectItem(sum, "missing")->valuedouble == 2);
	ck_assert(cJSON_GetObjectItem(sum, "total")->valuedouble ==
		  s.stats.total);
	ck_assert(cJSON_GetObjectItem(sum, "mean")->valuedouble ==
		  s.stats.mean);
	ck_assert(cJSON_GetObjectItem(sum, "median")->valuedouble ==
		  s.stats.median);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sum, "top")),
			 5);
	cJSON_Delete(doc);
	free(c.buf);
}
END_TEST

START_TEST(json_no_countries_gives_nulls)
{
	struct fp_wb_record r = rec("1M", "Odd \"name\"", 0, 5e9, true);
	struct fp_gdp_summary s;
	struct cap c;
	cJSON *doc;
	const cJSON *sum, *r0;

	snprintf(r.date, sizeof(r.date), "2012M01");
	ck_assert_int_eq(fp_gdpout_summarize(&r, 1, 0, &s), FP_OK);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_json(c.f, "X.Y", &r, 1, &s), FP_OK);
	cap_close(&c);
	doc = cJSON_Parse(c.buf);
	ck_assert_ptr_nonnull(doc);
	sum = cJSON_GetObjectItem(doc, "summary");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(sum, "total")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(sum, "median")));
	r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "records"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(r0, "year")->valuestring,
			 "2012M01");
	ck_assert_str_eq(cJSON_GetObjectItem(r0, "name")->valuestring,
			 "Odd \"name\"");
	cJSON_Delete(doc);
	free(c.buf);
}
END_TEST

static void codes_of(const struct fp_wb_record *r, size_t n, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, r[i].code);
		strcat(out, i + 1 < n ? " " : "");
	}
}

START_TEST(sort_modes)
{
	struct fp_wb_record r[NSAMPLE];
	char got[128];

	memcpy(r, sample, sizeof(r));
	ck_assert_int_eq(fp_gdpout_sort(r, NSAMPLE, FP_GDP_SORT_COMPLETION),
			 FP_OK);
	codes_of(r, NSAMPLE, got);
	ck_assert_str_eq(got, "USA WLD CHN AFG BHS ARB ASM AUS");
	ck_assert_int_eq(fp_gdpout_sort(r, NSAMPLE, FP_GDP_SORT_CODE), FP_OK);
	codes_of(r, NSAMPLE, got);
	ck_assert_str_eq(got, "AFG ARB ASM AUS BHS CHN USA WLD");
	ck_assert_int_eq(fp_gdpout_sort(r, NSAMPLE, FP_GDP_SORT_VALUE), FP_OK);
	codes_of(r, NSAMPLE, got);
	ck_assert_str_eq(got, "WLD USA CHN ARB AUS AFG BHS ASM");
}
END_TEST

START_TEST(sort_value_ties_by_code_and_stable)
{
	struct fp_wb_record r[4];
	char got[64];

	r[0] = rec("CCC", "c", 2019, 5, false);
	r[1] = rec("AAA", "a1", 2018, 5, false);
	r[2] = rec("BBB", "b", 2019, 7, false);
	r[3] = rec("AAA", "a2", 2019, 5, false);
	ck_assert_int_eq(fp_gdpout_sort(r, 4, FP_GDP_SORT_VALUE), FP_OK);
	codes_of(r, 4, got);
	ck_assert_str_eq(got, "BBB AAA AAA CCC");
	ck_assert_int_eq(r[1].year, 2019);
	ck_assert_int_eq(fp_gdpout_sort(r, 4, FP_GDP_SORT_CODE), FP_OK);
	ck_assert_str_eq(r[0].name, "a2"); /* same code: newest first */
	ck_assert_str_eq(r[1].name, "a1");
	ck_assert_int_eq(fp_gdpout_sort(r, 4, (enum fp_gdp_sort)7), FP_EINVAL);
}
END_TEST

START_TEST(parse_names)
{
	enum fp_gdp_output o;
	enum fp_gdp_sort s;

	ck_assert_int_eq(fp_gdpout_parse_output("csv", &o), FP_OK);
	ck_assert_int_eq(o, FP_GDP_OUT_CSV);
	ck_assert_int_eq(fp_gdpout_parse_output("json", &o), FP_OK);
	ck_assert_int_eq(o, FP_GDP_OUT_JSON);
	ck_assert_int_eq(fp_gdpout_parse_output("lines", &o), FP_OK);
	ck_assert_int_eq(o, FP_GDP_OUT_LINES);
	ck_assert_int_eq(fp_gdpout_parse_output("xml", &o), FP_EINVAL);
	ck_assert_int_eq(fp_gdpout_parse_sort("value", &s), FP_OK);
	ck_assert_int_eq(s, FP_GDP_SORT_VALUE);
	ck_assert_int_eq(fp_gdpout_parse_sort("code", &s), FP_OK);
	ck_assert_int_eq(s, FP_GDP_SORT_CODE);
	ck_assert_int_eq(fp_gdpout_parse_sort("completion", &s), FP_OK);
	ck_assert_int_eq(s, FP_GDP_SORT_COMPLETION);
	ck_assert_int_eq(fp_gdpout_parse_sort("", &s), FP_EINVAL);
	ck_assert_int_eq(fp_gdpout_parse_sort(NULL, &s), FP_EINVAL);
}
END_TEST


static const char *scaled(double v, enum fp_gdp_unit u)
{
	static char buf[64];

	fp_gdpout_scaled(v, u, buf, sizeof(buf));
	return buf;
}

START_TEST(units_and_suffixes)
{
	const double gdp[] = { 27720.7e9, 4204.5e9, 18.8e9 };
	const double pop[] = { 334.9e6, 125.1e6, 41.1e6, NAN };
	const double small[] = { 2.5, 3.5 };
	const double k[] = { 1500, 999, 2000 };

	ck_assert_int_eq(fp_gdpout_unit(gdp, 3), FP_GDP_UNIT_T);
	ck_assert_int_eq(fp_gdpout_unit(gdp + 2, 1), FP_GDP_UNIT_B);
	ck_assert_int_eq(fp_gdpout_unit(pop, 4), FP_GDP_UNIT_M);
	ck_assert_int_eq(fp_gdpout_unit(small, 2), FP_GDP_UNIT_NONE);
	ck_assert_int_eq(fp_gdpout_unit(k, 3), FP_GDP_UNIT_K);
	ck_assert_int_eq(fp_gdpout_unit(NULL, 0), FP_GDP_UNIT_NONE);
	ck_assert_str_eq(scaled(27720.7e9, FP_GDP_UNIT_B), "27720.7B");
	ck_assert_str_eq(scaled(334.94e6, FP_GDP_UNIT_M), "334.9M");
	ck_assert_str_eq(scaled(27.72e12, FP_GDP_UNIT_T), "27.7T");
	ck_assert_str_eq(scaled(1549, FP_GDP_UNIT_K), "1.5K");
	ck_assert_str_eq(scaled(2.54, FP_GDP_UNIT_NONE), "2.5");
	ck_assert_str_eq(scaled(-1e3, FP_GDP_UNIT_M), "0.0M");
	ck_assert_str_eq(scaled(NAN, FP_GDP_UNIT_M), "n/a");
	ck_assert_str_eq(scaled(5, (enum fp_gdp_unit)9), "5.0");
}
END_TEST

START_TEST(multi_lines_grouped)
{
	struct fp_wb_record r[5];
	const char *ids[] = { "NY.GDP.MKTP.CD", "SP.POP.TOTL" };
	const enum fp_gdp_unit units[] = { FP_GDP_UNIT_B, FP_GDP_UNIT_M };
	struct cap c;

	r[0] = rec("USA", "United States", 2023, 27720.7e9, false);
	r[1] = rec("JPN", "Japan", 2023, 4204.5e9, false);
	r[2] = rec("USA", "United States", 2023, 334.9e6, false);
	r[3] = rec("WLD", "World", 2023, 8.0e9, true);
	r[4] = rec("JPN", "Japan", 2022, 125.1e6, false);
	strcpy(r[0].indicator, ids[0]);
	strcpy(r[1].indicator, ids[0]);
	strcpy(r[2].indicator, ids[1]);
	strcpy(r[3].indicator, ids[1]);
	strcpy(r[4].indicator, ids[1]);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_multi_lines(c.f, r, 5, ids, units, 2,
					       false),
			 FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "country: USA NY.GDP.MKTP.CD: 27720.7B "
			 "SP.POP.TOTL: 334.9M\n"
			 "country: JPN NY.GDP.MKTP.CD: 4204.5B "
			 "SP.POP.TOTL: 125.1M\n"
			 "country: WLD NY.GDP.MKTP.CD: n/a "
			 "SP.POP.TOTL: 8000.0M\n");
	free(c.buf);
	/* By date: JPN 2022 is a line of its own. */
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_multi_lines(c.f, r, 5, ids, units, 2,
					       true),
			 FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "country: USA 2023 NY.GDP.MKTP.CD: 27720.7B "
			 "SP.POP.TOTL: 334.9M\n"
			 "country: JPN 2023 NY.GDP.MKTP.CD: 4204.5B "
			 "SP.POP.TOTL: n/a\n"
			 "country: WLD 2023 NY.GDP.MKTP.CD: n/a "
			 "SP.POP.TOTL: 8000.0M\n"
			 "country: JPN 2022 NY.GDP.MKTP.CD: n/a "
			 "SP.POP.TOTL: 125.1M\n");
	free(c.buf);
}
END_TEST

START_TEST(summary_per_indicator)
{
	struct fp_wb_record r[2];
	struct fp_gdp_summary s;
	struct cap c;

	r[0] = rec("USA", "United States", 2023, 334.9e6, false);
	r[1] = rec("JPN", "Japan", 2023, 125.1e6, false);
	ck_assert_int_eq(fp_gdpout_summarize(r, 2, 1, &s), FP_OK);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_summary_ind(c.f, "SP.POP.TOTL",
					       FP_GDP_UNIT_M, &s),
			 FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "summary SP.POP.TOTL: 2 economies with data (2 "
			 "countries, 0 aggregates), 1 without data\n"
			 "countries SP.POP.TOTL: total 460.0M, mean 230.0M, "
			 "median 230.0M\n"
			 "top 2 SP.POP.TOTL: USA 334.9M, JPN 125.1M\n");
	free(c.buf);
}
END_TEST

START_TEST(csv_long_and_json_multi)
{
	struct fp_wb_record r[2];
	struct fp_gdp_summary s[2];
	const char *ids[] = { "NY.GDP.MKTP.CD", "SP.POP.TOTL" };
	cJSON *doc;
	struct cap c;

	r[0] = rec("USA", "United States", 2023, 27720700000000.0, false);
	r[1] = rec("USA", "United States", 2023, 334914895, false);
	strcpy(r[0].indicator, ids[0]);
	strcpy(r[1].indicator, ids[1]);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_csv_long(c.f, r, 2), FP_OK);
	ck_assert_str_eq(cap_close(&c),
			 "code,name,indicator,year,value,aggregate\n"
			 "USA,United States,NY.GDP.MKTP.CD,2023,"
			 "27720700000000,false\n"
			 "USA,United States,SP.POP.TOTL,2023,334914895,"
			 "false\n");
	free(c.buf);
	ck_assert_int_eq(fp_gdpout_summarize(r, 1, 0, &s[0]), FP_OK);
	ck_assert_int_eq(fp_gdpout_summarize(r + 1, 1, 2, &s[1]), FP_OK);
	cap_open(&c);
	ck_assert_int_eq(fp_gdpout_json_multi(c.f, ids, 2, r, 2, s), FP_OK);
	doc = cJSON_Parse(cap_close(&c));
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
							 "indicators"),
					    1)->valuestring,
			 "SP.POP.TOTL");
	ck_assert_str_eq(
		cJSON_GetObjectItem(
			cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "records"),
					   1),
			"indicator")
			->valuestring,
		"SP.POP.TOTL");
	ck_assert_int_eq(
		cJSON_GetObjectItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"),
					    "SP.POP.TOTL"),
			"missing")
			->valueint,
		2);
	cJSON_Delete(doc);
	free(c.buf);
}
END_TEST

START_TEST(aggsel_names)
{
	enum fp_gdp_aggsel a;

	ck_assert_int_eq(fp_gdpout_parse_aggsel("only", &a), FP_OK);
	ck_assert_int_eq(a, FP_GDP_AGG_ONLY);
	ck_assert_int_eq(fp_gdpout_parse_aggsel("exclude", &a), FP_OK);
	ck_assert_int_eq(a, FP_GDP_AGG_EXCLUDE);
	ck_assert_int_eq(fp_gdpout_parse_aggsel("include", &a), FP_OK);
	ck_assert_int_eq(fp_gdpout_parse_aggsel("all", &a), FP_EINVAL);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_INCLUDE, true), 1);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_INCLUDE, false), 1);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_EXCLUDE, true), 0);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_EXCLUDE, false), 1);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_ONLY, true), 1);
	ck_assert_int_eq(fp_gdpout_agg_prints(FP_GDP_AGG_ONLY, false), 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("gdpout");
	TCase *tc = unit_tcase("gdpout");

	tcase_add_test(tc, billions_format);
	tcase_add_test(tc, line_exact);
	tcase_add_test(tc, write_error_reported);
	tcase_add_test(tc, summary_exact);
	tcase_add_test(tc, summary_no_countries);
	tcase_add_test(tc, summary_rejects_nan);
	tcase_add_test(tc, csv_quoting_and_precision);
	tcase_add_test(tc, value_round_trips);
	tcase_add_test(tc, json_parse_back);
	tcase_add_test(tc, json_no_countries_gives_nulls);
	tcase_add_test(tc, sort_modes);
	tcase_add_test(tc, sort_value_ties_by_code_and_stable);
	tcase_add_test(tc, parse_names);
	tcase_add_test(tc, units_and_suffixes);
	tcase_add_test(tc, multi_lines_grouped);
	tcase_add_test(tc, summary_per_indicator);
	tcase_add_test(tc, csv_long_and_json_multi);
	tcase_add_test(tc, aggsel_names);
	suite_add_tcase(s, tc);
	return s;
}
