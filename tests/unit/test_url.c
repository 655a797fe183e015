/* Unit tests for lib/url.c: scheme, validation, redaction (with the
 * fuzzing reproducers), host:port keys and the last path segment. */
#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "url.h"

START_TEST(test_scheme)
{
	char buf[8];

	ck_assert_str_eq(fp_url_scheme("HTTP://x", 8, buf, sizeof(buf)),
			 "http");
	ck_assert_str_eq(fp_url_scheme("svn+SSH:x", 9, buf, sizeof(buf)),
			 "svn+ssh");
	ck_assert_str_eq(fp_url_scheme("a1.-:", 5, buf, sizeof(buf)),
			 "a1.-");
	/* too long to echo: "" */
	ck_assert_str_eq(fp_url_scheme("abcdefgh:x", 10, buf, sizeof(buf)),
			 "");
	ck_assert_str_eq(fp_url_scheme("abcdefg:x", 9, buf, sizeof(buf)),
			 "abcdefg");
	ck_assert_ptr_null(fp_url_scheme("1http://x", 9, buf, sizeof(buf)));
	ck_assert_ptr_null(fp_url_scheme("ht tp://x", 9, buf, sizeof(buf)));
	ck_assert_ptr_null(fp_url_scheme("http", 4, buf, sizeof(buf)));
	ck_assert_ptr_null(fp_url_scheme("http://x", 4, buf, sizeof(buf)));
	ck_assert_ptr_null(fp_url_scheme(":x", 2, buf, sizeof(buf)));
	ck_assert_ptr_null(fp_url_scheme("", 0, buf, sizeof(buf)));
}
END_TEST

START_TEST(test_problem)
{
	char why[160];

	ck_assert_ptr_null(fp_url_problem("https://h/x", why, sizeof(why)));
	ck_assert_ptr_null(fp_url_problem("http://u:p@127.0.0.1:8080/b",
					  why, sizeof(why)));
	ck_assert_ptr_null(fp_url_problem("http://[::1]:8080/", why,
					  sizeof(why)));
	ck_assert_str_eq(fp_url_problem("http:/h/x", why, sizeof(why)),
			 "invalid URL (expected scheme://host/path)");
	ck_assert_str_eq(fp_url_problem("http", why, sizeof(why)),
			 "invalid URL (expected scheme://host/path)");
	ck_assert_str_eq(fp_url_problem("http:///h/x", why, sizeof(why)),
			 "URL has no host");
	ck_assert_str_eq(fp_url_problem("http://?q", why, sizeof(why)),
			 "URL has no host");
	ck_assert_str_eq(fp_url_problem("http://", why, sizeof(why)),
			 "URL has no host");
	ck_assert_str_eq(fp_url_problem("http://h:99999/", why, sizeof(why)),
			 "invalid URL (Port number was not a decimal number "
			 "between 0 and 65535)");
	ck_assert_ptr_eq(fp_url_problem("http://h/a b", why, sizeof(why)),
			 why);
	ck_assert_int_eq(strncmp(why, "invalid URL (", 13), 0);
}
END_TEST

START_TEST(test_redact)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://u:p@h/x", "https://h/x" },
		{ "https://u@h:8080/x?y@z#w@v", "https://h:8080/x?y@z#w@v" },
		{ "https://u:p@q@h/x", "https://h/x" },
		{ "https://h/npm/@scope/pkg", "https://h/npm/@scope/pkg" },
		{ "https://h", "https://h" },
		{ "http://u:p@h", "http://h" },
		{ "HTTP://U:P@H/", "HTTP://H/" },
		{ "https://@h/", "https://h/" },
		{ "1342", "1342" },
		{ "user:pw@host/x", "(redacted)" },
		{ "", "" },
		{ "no scheme at all", "no scheme at all" },
		/* the fuzzing reproducers (tests/fuzz/crashes/listfile) */
		{ "ftp:///e@x", "ftp:///x" },
		{ "ftp:///alice:hunter2@host/x", "ftp:///host/x" },
		{ "ftp:/alice:hunter2@host/x://y", "(redacted)" },
		{ "ftp:alice:hunter2@host/a?b://", "(redacted)" },
		/* more slashes, as libcurl reads them */
		{ "http:////u:p@h/x", "http:////h/x" },
		/* a "://" after a malformed scheme says nothing */
		{ "1ftp://u:p@h/", "(redacted)" },
		{ "h t://u@h/", "(redacted)" },
		{ "a@b://c", "(redacted)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = fp_url_redact(cases[i].in);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(strcmp(r, cases[i].out) == 0,
			      "case %zu: '%s' gave '%s'", i, cases[i].in, r);
		free(r);
	}
	ck_assert_ptr_null(fp_url_redact(NULL));
}
END_TEST

START_TEST(test_host_key)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://example.org/a", "example.org:443" },
		{ "https://example.org:443/b", "example.org:443" },
		{ "https://U:P@Example.ORG/x", "example.org:443" },
		{ "HTTP://Example.org", "example.org:80" },
		{ "http://example.org:8080/x?y#z", "example.org:8080" },
		{ "http://127.0.0.1:8080/b.txt", "127.0.0.1:8080" },
		{ "http://[::1]/x", "[::1]:80" },
		{ "https://[2001:DB8::1]:8443/", "[2001:db8::1]:8443" },
		{ "ftp://h/x", "h:21" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = fp_url_host_key(cases[i].in);

		ck_assert_msg(k != NULL, "case %zu: NULL", i);
		ck_assert_msg(strcmp(k, cases[i].out) == 0,
			      "case %zu: '%s' gave '%s'", i, cases[i].in, k);
		free(k);
	}
	ck_assert_ptr_null(fp_url_host_key(NULL));
	ck_assert_ptr_null(fp_url_host_key("not a url"));
	ck_assert_ptr_null(fp_url_host_key("http://h:99999/"));
	ck_assert_ptr_null(fp_url_host_key("http://h/\x01"));
}
END_TEST

#define ASSERT_SEG(url, want, wantlen)                                       \
	do {                                                                 \
		char *seg_ = NULL;                                           \
		size_t len_ = 99;                                            \
		ck_assert_int_eq(fp_url_last_segment(url, &seg_, &len_),     \
				 FP_OK);                                     \
		ck_assert_uint_eq(len_, wantlen);                            \
		ck_assert_int_eq(memcmp(seg_, want, wantlen + 1), 0);        \
		free(seg_);                                                  \
	} while (0)

START_TEST(test_last_segment)
{
	ASSERT_SEG("https://h/a/b/c.txt", "c.txt", 5);
	ASSERT_SEG("https://u:p@h/a/b.txt?x=1/2#f/g", "b.txt", 5);
	ASSERT_SEG("https://h/a/b/../c.txt", "c.txt", 5);
	ASSERT_SEG("https://h", "", 0);
	ASSERT_SEG("https://h/", "", 0);
	ASSERT_SEG("https://h/dir/", "", 0);
	ASSERT_SEG("https://h?q=a/b", "", 0);
	ASSERT_SEG("https://h#a/b", "", 0);
	ASSERT_SEG("https://h/..", "..", 2);
	/* as written, where libcurl would read host "b.txt" */
	ASSERT_SEG("http:///b.txt", "b.txt", 5);
	/* percent-encoding: decoded; an invalid escape stays */
	ASSERT_SEG("https://h/War%20and%20Peace.txt", "War and Peace.txt", 17);
	ASSERT_SEG("https://h/caf%C3%a9", "caf\xc3\xa9", 5);
	ASSERT_SEG("https://h/a%2Fb", "a/b", 3);
	ASSERT_SEG("https://h/100%25", "100%", 4);
	ASSERT_SEG("https://h/100%", "100%", 4);
	ASSERT_SEG("https://h/a%zzb%4", "a%zzb%4", 7);
	ASSERT_SEG("https://h/x%00y", "x\0y", 3);
	/* bytes libcurl refuses are still split as written */
	ASSERT_SEG("http://h/a\x01" "b c", "a\x01" "b c", 5);
}
END_TEST

START_TEST(test_last_segment_errors)
{
	char *seg = (char *)1;
	size_t len = 1;

	ck_assert_int_eq(fp_url_last_segment("no-scheme/x", &seg, &len),
			 FP_EINVAL);
	ck_assert_ptr_null(seg);
	ck_assert_int_eq(fp_url_last_segment("http:/h/x", &seg, &len),
			 FP_EINVAL);
	ck_assert_int_eq(fp_url_last_segment(NULL, &seg, &len), FP_EINVAL);
	ck_assert_int_eq(fp_url_last_segment("http://h/x", NULL, &len),
			 FP_EINVAL);
	ck_assert_int_eq(fp_url_last_segment("http://h/x", &seg, NULL),
			 FP_EINVAL);
}
END_TEST

/* Extra request headers: what is refused, and secrets hidden. */
START_TEST(test_header_problem_and_redact)
{
	char *r;

	ck_assert_ptr_null(fp_header_problem("X-Test: 1"));
	ck_assert_ptr_null(fp_header_problem("Accept:"));
	ck_assert_ptr_null(fp_header_problem("X-T: a\tb \xc3\xa9"));
	ck_assert_ptr_nonnull(fp_header_problem(""));
	ck_assert_ptr_nonnull(fp_header_problem("NoColon"));
	ck_assert_ptr_nonnull(fp_header_problem(": v"));
	ck_assert_ptr_nonnull(fp_header_problem("Bad Name: v"));
	ck_assert_ptr_nonnull(fp_header_problem("X: a\r\nY: b"));
	ck_assert_ptr_nonnull(fp_header_problem("X: a\n"));
	ck_assert_ptr_nonnull(fp_header_problem("X: \x7f"));
	ck_assert_int_eq(fp_header_is_secret("authorization: x"), 1);
	ck_assert_int_eq(fp_header_is_secret("COOKIE:x"), 1);
	ck_assert_int_eq(fp_header_is_secret("Proxy-Authorization: x"), 1);
	ck_assert_int_eq(fp_header_is_secret("Authorization-X: x"), 0);
	ck_assert_int_eq(fp_header_is_secret("Cookies: x"), 0);
	ck_assert_int_eq(fp_header_same_name("x-a: 1", "X-A:2"), 1);
	ck_assert_int_eq(fp_header_same_name("x-a: 1", "X-AB:2"), 0);
	r = fp_header_redact("Cookie: id=SECRET");
	ck_assert_str_eq(r, "Cookie: ***");
	free(r);
	r = fp_header_redact("X-Test: a\rb");
	ck_assert_str_eq(r, "X-Test: a?b");
	free(r);
	r = fp_header_redact("Authorization: x\r\nSecret: y");
	ck_assert_str_eq(r, "Authorization: ***");
	free(r);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("url");
	TCase *check = unit_tcase("check");
	TCase *redact = unit_tcase("redact");
	TCase *host = unit_tcase("host_key");
	TCase *seg = unit_tcase("last_segment");

	tcase_add_test(check, test_scheme);
	tcase_add_test(check, test_problem);
	tcase_add_test(redact, test_redact);
	tcase_add_test(host, test_host_key);
	tcase_add_test(seg, test_last_segment);
	tcase_add_test(seg, test_last_segment_errors);
	suite_add_tcase(s, check);
	suite_add_tcase(s, redact);
	suite_add_tcase(s, host);
	suite_add_tcase(s, seg);
	return s;
}
