/* Unit tests for the fixture server's pure parts: HTTP dates, fault rule
 * parsing and consumption, range and conditional decisions, Gutenberg
 * routes, and the statistics collector. The HTTP side is tested by the
 * t01*-server* integration scripts. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/runner.h"
#include "body.h"
#include "files.h"
#include "gutenberg.h"
#include "httpdate.h"
#include "rules.h"
#include "stats.h"

/* ---- HTTP dates --------------------------------------------------- */

START_TEST(date_format)
{
	char buf[FSRV_HTTPDATE_LEN];

	ck_assert_str_eq(fsrv_httpdate_format(784111777, buf, sizeof buf),
			 "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_str_eq(fsrv_httpdate_format(0, buf, sizeof buf),
			 "Thu, 01 Jan 1970 00:00:00 GMT");
}
END_TEST

START_TEST(date_parse_forms)
{
	time_t t = 0;

	ck_assert_int_eq(fsrv_httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT",
					     &t), 0);
	ck_assert_int_eq((long long)t, 784111777);
	t = 0;
	ck_assert_int_eq(fsrv_httpdate_parse(
				 "Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	ck_assert_int_eq((long long)t, 784111777);
	t = 0;
	ck_assert_int_eq(fsrv_httpdate_parse("Sun Nov  6 08:49:37 1994", &t),
			 0);
	ck_assert_int_eq((long long)t, 784111777);
	t = 0;
	ck_assert_int_eq(fsrv_httpdate_parse(" Mon, 29 Feb 2016 23:59:59 GMT ",
					     &t), 0);
	ck_assert_int_eq((long long)t, 1456790399);
}
END_TEST

START_TEST(date_parse_rejects)
{
	static const char *bad[] = {
		"", "yesterday", "Sun, 06 Nov 1994 08:49:37 +0000",
		"Sun, 06 Nov 1994 08:49:37 GMT junk",
		"Sun, 32 Nov 1994 08:49:37 GMT",
		"Sun, 06 Foo 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:-1:37 GMT", "\"abc\"",
	};
	time_t t;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(fsrv_httpdate_parse(bad[i], &t) == -1,
			      "accepted '%s'", bad[i]);
	ck_assert_int_eq(fsrv_httpdate_parse(NULL, &t), -1);
}
END_TEST

/* ---- rules -------------------------------------------------------- */

static struct fsrv_action parse_ok(const char *s)
{
	struct fsrv_action a;
	char err[256];

	int rc = fsrv_action_parse(s, strlen(s), &a, err, sizeof err);

	ck_assert_msg(rc == 0, "'%s': %s", s, err);
	return a;
}

START_TEST(action_parse_kinds)
{
	struct fsrv_action a;

	a = parse_ok("ok");
	ck_assert_int_eq(a.kind, FSRV_ACT_OK);
	a = parse_ok(" reset ");
	ck_assert_int_eq(a.kind, FSRV_ACT_RESET);
	a = parse_ok("endless");
	ck_assert_int_eq(a.kind, FSRV_ACT_ENDLESS);
	a = parse_ok("503");
	ck_assert_int_eq(a.kind, FSRV_ACT_STATUS);
	ck_assert_uint_eq(a.status, 503);
	ck_assert_int_eq(a.ra, FSRV_RA_NONE);
	a = parse_ok("429+ra=7");
	ck_assert_uint_eq(a.status, 429);
	ck_assert_int_eq(a.ra, FSRV_RA_SECONDS);
	ck_assert_uint_eq(a.retry_after, 7);
	a = parse_ok("503 radate=30"); /* '+' decoded to a blank */
	ck_assert_int_eq(a.ra, FSRV_RA_DATE);
	ck_assert_uint_eq(a.retry_after, 30);
	a = parse_ok("delay=250");
	ck_assert_int_eq(a.kind, FSRV_ACT_DELAY);
	ck_assert_uint_eq(a.arg, 250);
	a = parse_ok("truncate=0");
	ck_assert_int_eq(a.kind, FSRV_ACT_TRUNCATE);
	ck_assert_uint_eq(a.arg, 0);
	a = parse_ok("stall=5000");
	ck_assert_int_eq(a.kind, FSRV_ACT_STALL);
	a = parse_ok("drip=1");
	ck_assert_int_eq(a.kind, FSRV_ACT_DRIP);
	ck_assert_uint_eq(a.arg, 1);
	a = parse_ok("redirect=file:///etc/passwd");
	ck_assert_int_eq(a.kind, FSRV_ACT_REDIRECT);
	ck_assert_str_eq(a.url, "file:///etc/passwd");
	fsrv_action_clear(&a);
	ck_assert_ptr_null(a.url);
}
END_TEST

START_TEST(action_parse_rejects)
{
	static const char *bad[] = {
		"", "  ", "nope", "99", "600", "5031", "503+", "503+ra=",
		"503+ra=x", "503+foo=1", "delay", "delay=", "delay=-1",
		"delay=1x", "delay=86400001", "drip=0",
		"truncate=99999999999999999999",
		"redirect=", "OK",
	};
	struct fsrv_action a;
	char err[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		int rc = fsrv_action_parse(bad[i], strlen(bad[i]), &a, err,
					   sizeof err);

		ck_assert_msg(rc == -1, "accepted '%s'", bad[i]);
		ck_assert_msg(err[0] != '\0', "no message for '%s'", bad[i]);
	}
}
END_TEST

START_TEST(rules_take_in_turn)
{
	struct fsrv_rules *r = fsrv_rules_new();
	struct fsrv_action a;
	char err[256];

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(fsrv_rules_set(r, "/a", "503,delay=5,ok,redirect=/b",
					err, sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	ck_assert_int_eq(a.kind, FSRV_ACT_STATUS);
	ck_assert_int_eq(fsrv_rules_take(r, "/other", NULL, &a), 0);
	ck_assert_int_eq(a.kind, FSRV_ACT_OK);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	ck_assert_int_eq(a.kind, FSRV_ACT_DELAY);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	ck_assert_int_eq(a.kind, FSRV_ACT_OK);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	ck_assert_int_eq(a.kind, FSRV_ACT_REDIRECT);
	ck_assert_str_eq(a.url, "/b");
	fsrv_action_clear(&a);
	/* Used up: served normally from now on. */
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 0);
	fsrv_rules_free(r);
}
END_TEST

START_TEST(rules_replace_remove_clear)
{
	struct fsrv_rules *r = fsrv_rules_new();
	struct fsrv_action a;
	char err[256];

	ck_assert_int_eq(fsrv_rules_set(r, "/a", "500,500", err, sizeof err),
			 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	/* Replacing restarts the list. */
	ck_assert_int_eq(fsrv_rules_set(r, "/a", "404", err, sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 1);
	ck_assert_uint_eq(a.status, 404);
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 0);
	/* A bad list changes nothing. */
	ck_assert_int_eq(fsrv_rules_set(r, "/a", "503,bogus", err, sizeof err),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	ck_assert_int_eq(fsrv_rules_take(r, "/a", NULL, &a), 0);
	/* Empty actions remove; clear removes all. */
	ck_assert_int_eq(fsrv_rules_set(r, "/b", "503", err, sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_set(r, "/b", "", err, sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/b", NULL, &a), 0);
	ck_assert_int_eq(fsrv_rules_set(r, "/c", "503", err, sizeof err), 0);
	fsrv_rules_clear(r);
	ck_assert_int_eq(fsrv_rules_take(r, "/c", NULL, &a), 0);
	ck_assert_int_eq(fsrv_rules_set(r, "nopath", "503", err, sizeof err),
			 -1);
	fsrv_rules_free(r);
}
END_TEST

START_TEST(rules_spec_and_second_path)
{
	struct fsrv_rules *r = fsrv_rules_new();
	struct fsrv_action a;
	char err[256];

	ck_assert_int_eq(fsrv_rules_set_spec(r, "/a%20b 503+ra=2, ok", err,
					     sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a b", "/a%20b", &a), 1);
	ck_assert_uint_eq(a.status, 503);
	ck_assert_uint_eq(a.retry_after, 2);
	ck_assert_int_eq(fsrv_rules_take(r, "/a b", "/a%20b", &a), 1);
	ck_assert_int_eq(a.kind, FSRV_ACT_OK);
	/* A used-up rule for the first path lets the second one's work. */
	ck_assert_int_eq(fsrv_rules_set(r, "/a b", "404", err, sizeof err), 0);
	ck_assert_int_eq(fsrv_rules_set(r, "/a%20b", "410", err, sizeof err),
			 0);
	ck_assert_int_eq(fsrv_rules_take(r, "/a b", "/a%20b", &a), 1);
	ck_assert_uint_eq(a.status, 404);
	ck_assert_int_eq(fsrv_rules_take(r, "/a b", "/a%20b", &a), 1);
	ck_assert_uint_eq(a.status, 410);
	ck_assert_int_eq(fsrv_rules_take(r, "/a b", "/a%20b", &a), 0);
	ck_assert_int_eq(fsrv_rules_set_spec(r, "/x bad", err, sizeof err),
			 -1);
	fsrv_rules_free(r);
}
END_TEST

/* ---- ranges and conditionals ------------------------------------- */

START_TEST(range_parse)
{
	uint64_t f = 0, l = 0;

	ck_assert_int_eq(fsrv_range_parse("bytes=0-", 100, &f, &l), 1);
	ck_assert_uint_eq(f, 0);
	ck_assert_uint_eq(l, 100);
	ck_assert_int_eq(fsrv_range_parse("bytes=10-19", 100, &f, &l), 1);
	ck_assert_uint_eq(f, 10);
	ck_assert_uint_eq(l, 10);
	ck_assert_int_eq(fsrv_range_parse("bytes=90-500", 100, &f, &l), 1);
	ck_assert_uint_eq(f, 90);
	ck_assert_uint_eq(l, 10);
	ck_assert_int_eq(fsrv_range_parse("bytes=-30", 100, &f, &l), 1);
	ck_assert_uint_eq(f, 70);
	ck_assert_uint_eq(l, 30);
	ck_assert_int_eq(fsrv_range_parse("bytes=-300", 100, &f, &l), 1);
	ck_assert_uint_eq(f, 0);
	ck_assert_uint_eq(l, 100);
	ck_assert_int_eq(fsrv_range_parse(" Bytes = 99 - 99 ", 100, &f, &l),
			 1);
	ck_assert_uint_eq(f, 99);
	ck_assert_uint_eq(l, 1);
	/* Unsatisfiable. */
	ck_assert_int_eq(fsrv_range_parse("bytes=100-", 100, &f, &l), -1);
	ck_assert_int_eq(fsrv_range_parse("bytes=200-300", 100, &f, &l), -1);
	ck_assert_int_eq(fsrv_range_parse("bytes=-0", 100, &f, &l), -1);
	ck_assert_int_eq(fsrv_range_parse("bytes=0-", 0, &f, &l), -1);
	/* Ignored. */
	ck_assert_int_eq(fsrv_range_parse("bytes=5-1", 100, &f, &l), 0);
	ck_assert_int_eq(fsrv_range_parse("bytes=0-1,5-6", 100, &f, &l), 0);
	ck_assert_int_eq(fsrv_range_parse("items=0-1", 100, &f, &l), 0);
	ck_assert_int_eq(fsrv_range_parse("bytes=-", 100, &f, &l), 0);
	ck_assert_int_eq(fsrv_range_parse("bytes=x-", 100, &f, &l), 0);
	ck_assert_int_eq(fsrv_range_parse(
				 "bytes=99999999999999999999-", 100, &f, &l),
			 0);
}
END_TEST

START_TEST(etag_lists)
{
	const char *e = "\"64-abc\"";

	ck_assert(fsrv_etag_list_match("\"64-abc\"", e));
	ck_assert(fsrv_etag_list_match("W/\"64-abc\"", e));
	ck_assert(fsrv_etag_list_match("\"x\", \"64-abc\"", e));
	ck_assert(fsrv_etag_list_match(" * ", e));
	ck_assert(!fsrv_etag_list_match("\"64-abd\"", e));
	ck_assert(!fsrv_etag_list_match("64-abc", e));
	ck_assert(!fsrv_etag_list_match("\"64-abc", e));
	ck_assert(!fsrv_etag_list_match("", e));
}
END_TEST

static struct fsrv_file plan_file(void)
{
	struct fsrv_file f = { .fd = -1, .size = 1000, .mtime = 784111777 };

	fsrv_file_set_validators(&f, 5);
	return f;
}

static struct fsrv_plan plan(const struct fsrv_conditions *c)
{
	struct fsrv_file f = plan_file();
	struct fsrv_plan p;

	fsrv_file_plan(&f, c, &p);
	return p;
}

START_TEST(plan_validators)
{
	struct fsrv_file f = plan_file();

	ck_assert_str_eq(f.etag, "\"3e8-ae1b981bc490a05\"");
	ck_assert_str_eq(f.last_modified, "Sun, 06 Nov 1994 08:49:37 GMT");
}
END_TEST

START_TEST(plan_conditionals)
{
	struct fsrv_file f = plan_file();
	struct fsrv_conditions c = { .is_get = true, .validators = true,
				     .now = 2000000000 };
	struct fsrv_plan p;

	p = plan(&c);
	ck_assert_int_eq(p.status, 200);
	ck_assert_uint_eq(p.len, 1000);
	c.if_none_match = f.etag;
	ck_assert_int_eq(plan(&c).status, 304);
	/* If-None-Match that does not match wins over a matching IMS. */
	c.if_none_match = "\"other\"";
	c.if_modified_since = "Sun, 06 Nov 1994 08:49:37 GMT";
	ck_assert_int_eq(plan(&c).status, 200);
	c.if_none_match = NULL;
	ck_assert_int_eq(plan(&c).status, 304);
	c.if_modified_since = "Sun, 06 Nov 1994 08:49:36 GMT";
	ck_assert_int_eq(plan(&c).status, 200);
	c.if_modified_since = "garbage";
	ck_assert_int_eq(plan(&c).status, 200);
	/* A date in the future is ignored. */
	c.if_modified_since = "Fri, 01 Jan 2100 00:00:00 GMT";
	ck_assert_int_eq(plan(&c).status, 200);
	/* --no-validators: conditionals ignored. */
	c.validators = false;
	c.if_modified_since = "Sun, 06 Nov 1994 08:49:37 GMT";
	c.if_none_match = f.etag;
	ck_assert_int_eq(plan(&c).status, 200);
}
END_TEST

START_TEST(plan_ranges)
{
	struct fsrv_file f = plan_file();
	struct fsrv_conditions c = { .is_get = true,
				     .validators = true,
				     .now = 2000000000,
				     .range = "bytes=100-" };
	struct fsrv_plan p;

	p = plan(&c);
	ck_assert_int_eq(p.status, 206);
	ck_assert_uint_eq(p.first, 100);
	ck_assert_uint_eq(p.len, 900);
	c.if_range = f.etag;
	ck_assert_int_eq(plan(&c).status, 206);
	c.if_range = f.last_modified;
	ck_assert_int_eq(plan(&c).status, 206);
	c.if_range = "\"stale\"";
	p = plan(&c);
	ck_assert_int_eq(p.status, 200);
	ck_assert_uint_eq(p.first, 0);
	ck_assert_uint_eq(p.len, 1000);
	c.if_range = "Sun, 06 Nov 1994 08:49:38 GMT";
	ck_assert_int_eq(plan(&c).status, 200);
	c.if_range = "W/\"3e8-ae1b981bc490a05\""; /* weak never matches */
	ck_assert_int_eq(plan(&c).status, 200);
	c.if_range = NULL;
	c.range = "bytes=1000-";
	ck_assert_int_eq(plan(&c).status, 416);
	c.range = "bytes=1-0";
	ck_assert_int_eq(plan(&c).status, 200);
	/* HEAD ignores Range. */
	c.range = "bytes=10-";
	c.is_get = false;
	ck_assert_int_eq(plan(&c).status, 200);
	/* Without validators an If-Range cannot match. */
	c.is_get = true;
	c.validators = false;
	ck_assert_int_eq(plan(&c).status, 206);
	c.if_range = f.etag;
	ck_assert_int_eq(plan(&c).status, 200);
}
END_TEST

START_TEST(mime_types)
{
	ck_assert_str_eq(fsrv_mime_type("/a/b.txt"),
			 "text/plain; charset=utf-8");
	ck_assert_str_eq(fsrv_mime_type("/x.RDF"), "application/rdf+xml");
	ck_assert_str_eq(fsrv_mime_type("/x.json"), "application/json");
	ck_assert_str_eq(fsrv_mime_type("/dir.txt/blob"),
			 "application/octet-stream");
	ck_assert_str_eq(fsrv_mime_type("/noext"), "application/octet-stream");
}
END_TEST

/* ---- Gutenberg ---------------------------------------------------- */

START_TEST(gutenberg_routes)
{
	char out[64];
	const char *ct = NULL;

	ck_assert_int_eq(fsrv_gutenberg_route("/cache/epub/1342/pg1342.txt",
					      out, sizeof out, &ct),
			 FSRV_GB_FILE);
	ck_assert_str_eq(out, "/pg1342.txt");
	ck_assert_str_eq(ct, "text/plain; charset=utf-8");
	ck_assert_int_eq(fsrv_gutenberg_route("/cache/epub/84/pg84.rdf", out,
					      sizeof out, &ct),
			 FSRV_GB_FILE);
	ck_assert_str_eq(out, "/pg84.rdf");
	ck_assert_str_eq(ct, "application/rdf+xml");
	ck_assert_int_eq(fsrv_gutenberg_route("/files/11/11-0.txt", out,
					      sizeof out, &ct),
			 FSRV_GB_FILE);
	ck_assert_str_eq(out, "/files/11-0.txt");
	ck_assert_int_eq(fsrv_gutenberg_route("/ebooks/2600.txt.utf-8", out,
					      sizeof out, &ct),
			 FSRV_GB_REDIRECT);
	ck_assert_str_eq(out, "/cache/epub/2600/pg2600.txt");
	ck_assert_int_eq(fsrv_gutenberg_route("/ebooks/2600.rdf", out,
					      sizeof out, &ct),
			 FSRV_GB_REDIRECT);
	ck_assert_str_eq(out, "/cache/epub/2600/pg2600.rdf");

	static const char *none[] = {
		"/cache/epub/1342/pg1343.txt", "/cache/epub/1342/pg1342.epub",
		"/cache/epub/01342/pg01342.txt", "/cache/epub//pg.txt",
		"/ebooks/1342.txt", "/ebooks/1342", "/files/11/12-0.txt",
		"/files/11/11.txt", "/cache/epub/1234567890/pg1234567890.txt",
		"/", "/pg1342.txt",
	};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		ck_assert_msg(fsrv_gutenberg_route(none[i], out, sizeof out,
						   &ct) == FSRV_GB_NONE,
			      "routed '%s'", none[i]);
}
END_TEST

START_TEST(gutenberg_404_escapes)
{
	size_t len;
	char *html = fsrv_gutenberg_404("/a<b>&\"c", &len);

	ck_assert_ptr_nonnull(html);
	ck_assert_uint_eq(len, strlen(html));
	ck_assert_ptr_nonnull(strstr(html, "<title>404 Not Found</title>"));
	ck_assert_ptr_nonnull(strstr(html, "/a&lt;b&gt;&amp;&quot;c"));
	free(html);
}
END_TEST

START_TEST(endless_pattern_is_continuous)
{
	char a[200], b[100];

	fsrv_body_pattern(0, a, sizeof a);
	fsrv_body_pattern(100, b, sizeof b);
	ck_assert_mem_eq(a + 100, b, sizeof b);
	ck_assert_ptr_nonnull(memchr(a, '\n', sizeof a));
}
END_TEST

/* ---- statistics --------------------------------------------------- */

static cJSON *stats_doc(struct fsrv_stats *s)
{
	char *json = fsrv_stats_json(s);
	cJSON *doc;

	ck_assert_ptr_nonnull(json);
	doc = cJSON_Parse(json);
	free(json);
	ck_assert_ptr_nonnull(doc);
	return doc;
}

static double stats_num(cJSON *doc, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);

	ck_assert_msg(cJSON_IsNumber(v), "no number '%s'", key);
	return v->valuedouble;
}

START_TEST(stats_log_and_flight)
{
	struct fsrv_stats *s = fsrv_stats_new(10);
	struct fsrv_conn c1 = { 0 }, c2 = { 0 };
	struct fsrv_req_info info = { .method = "GET", .path = "/a",
				      .query = "x=1", .range = "bytes=0-" };
	struct fsrv_ticket t1, t2, t3;
	cJSON *doc, *reqs, *e;

	fsrv_stats_accepted(s);
	fsrv_stats_begin(s, &c1, &info, &t1);
	info.path = "/b";
	info.query = NULL;
	info.range = NULL;
	info.user_agent = "ua/1";
	fsrv_stats_begin(s, &c2, &info, &t2);
	fsrv_stats_begin(s, &c1, &info, &t3);
	fsrv_stats_status(s, &t1, 206);
	fsrv_stats_end(s, &t1);
	fsrv_stats_end(s, &t1); /* twice: counted once */

	doc = stats_doc(s);
	ck_assert_int_eq((int)stats_num(doc, "peak_in_flight"), 3);
	ck_assert_int_eq((int)stats_num(doc, "in_flight"), 2);
	ck_assert_int_eq((int)stats_num(doc, "connections"), 2);
	ck_assert_int_eq((int)stats_num(doc, "accepted"), 1);
	reqs = cJSON_GetObjectItemCaseSensitive(doc, "requests");
	ck_assert_int_eq(cJSON_GetArraySize(reqs), 3);
	e = cJSON_GetArrayItem(reqs, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(e, "path")->valuestring, "/a");
	ck_assert_str_eq(cJSON_GetObjectItem(e, "query")->valuestring, "x=1");
	ck_assert_str_eq(cJSON_GetObjectItem(e, "range")->valuestring,
			 "bytes=0-");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(e, "user_agent")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(e, "if_none_match")));
	ck_assert_int_eq((int)stats_num(e, "status"), 206);
	ck_assert_int_eq((int)stats_num(e, "conn"), 1);
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(e, "end_ms")));
	e = cJSON_GetArrayItem(reqs, 1);
	ck_assert_int_eq((int)stats_num(e, "conn"), 2);
	ck_assert_int_eq((int)stats_num(e, "status"), 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(e, "end_ms")));
	ck_assert_str_eq(cJSON_GetObjectItem(e, "user_agent")->valuestring,
			 "ua/1");
	e = cJSON_GetArrayItem(reqs, 2);
	ck_assert_int_eq((int)stats_num(e, "conn"), 1);
	cJSON_Delete(doc);

	/* Reset: log and counters go; requests still running stay in
	 * flight; a kept-alive connection is numbered afresh. */
	fsrv_stats_reset(s);
	fsrv_stats_end(s, &t2);
	doc = stats_doc(s);
	ck_assert_int_eq(cJSON_GetArraySize(
				 cJSON_GetObjectItem(doc, "requests")), 0);
	ck_assert_int_eq((int)stats_num(doc, "in_flight"), 1);
	ck_assert_int_eq((int)stats_num(doc, "peak_in_flight"), 2);
	ck_assert_int_eq((int)stats_num(doc, "connections"), 0);
	cJSON_Delete(doc);
	fsrv_stats_status(s, &t3, 200); /* stale ticket: ignored */
	fsrv_stats_end(s, &t3);
	fsrv_stats_begin(s, &c2, &info, &t2);
	fsrv_stats_end(s, &t2);
	doc = stats_doc(s);
	e = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "requests"), 0);
	ck_assert_int_eq((int)stats_num(e, "conn"), 1);
	ck_assert_int_eq((int)stats_num(doc, "in_flight"), 0);
	ck_assert_int_eq((int)stats_num(doc, "connections"), 1);
	cJSON_Delete(doc);
	fsrv_stats_free(s);
}
END_TEST

START_TEST(stats_log_is_bounded)
{
	struct fsrv_stats *s = fsrv_stats_new(3);
	struct fsrv_conn c = { 0 };
	struct fsrv_req_info info = { .method = "GET", .path = "/" };
	struct fsrv_ticket t;
	cJSON *doc;

	for (int i = 0; i < 5; i++) {
		fsrv_stats_begin(s, &c, &info, &t);
		fsrv_stats_status(s, &t, 200);
		fsrv_stats_end(s, &t);
	}
	doc = stats_doc(s);
	ck_assert_int_eq(cJSON_GetArraySize(
				 cJSON_GetObjectItem(doc, "requests")), 3);
	ck_assert_int_eq((int)stats_num(doc, "total_requests"), 5);
	ck_assert_int_eq((int)stats_num(doc, "in_flight"), 0);
	cJSON_Delete(doc);
	fsrv_stats_free(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("fixture-server");
	TCase *tc;

	tc = unit_tcase("httpdate");
	tcase_add_test(tc, date_format);
	tcase_add_test(tc, date_parse_forms);
	tcase_add_test(tc, date_parse_rejects);
	suite_add_tcase(s, tc);

	tc = unit_tcase("rules");
	tcase_add_test(tc, action_parse_kinds);
	tcase_add_test(tc, action_parse_rejects);
	tcase_add_test(tc, rules_take_in_turn);
	tcase_add_test(tc, rules_replace_remove_clear);
	tcase_add_test(tc, rules_spec_and_second_path);
	suite_add_tcase(s, tc);

	tc = unit_tcase("files");
	tcase_add_test(tc, range_parse);
	tcase_add_test(tc, etag_lists);
	tcase_add_test(tc, plan_validators);
	tcase_add_test(tc, plan_conditionals);
	tcase_add_test(tc, plan_ranges);
	tcase_add_test(tc, mime_types);
	suite_add_tcase(s, tc);

	tc = unit_tcase("gutenberg");
	tcase_add_test(tc, gutenberg_routes);
	tcase_add_test(tc, gutenberg_404_escapes);
	tcase_add_test(tc, endless_pattern_is_continuous);
	suite_add_tcase(s, tc);

	tc = unit_tcase("stats");
	tcase_add_test(tc, stats_log_and_flight);
	tcase_add_test(tc, stats_log_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}
