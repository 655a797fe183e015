/* File names: from URLs (as written, decoded, sanitised, capped), out=
 * checks, and the collision table's deterministic suffixes. */
#include "runner.h"
#include "names.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Name for url, asserting success and the universal invariants. */
static char *name_of(const char *url)
{
	char *name = NULL;
	const char *why = NULL;

	ck_assert_int_eq(fp_name_from_url(url, &name), FP_OK);
	ck_assert_ptr_nonnull(name);
	/* Every produced name passes the out= rules except, by design, none:
	 * the .part rule included. */
	ck_assert_msg(fp_name_check_out(name, &why) == FP_OK,
		      "'%s' -> '%s' fails: %s", url, name, why);
	return name;
}

#define ASSERT_NAME(url, want)                                \
	do {                                                  \
		char *got_ = name_of(url);                    \
		ck_assert_str_eq(got_, want);                 \
		free(got_);                                   \
	} while (0)

START_TEST(test_plain)
{
	ASSERT_NAME("https://www.gutenberg.org/cache/epub/2600/pg2600.txt",
		    "pg2600.txt");
	ASSERT_NAME("http://127.0.0.1:8080/files/1342/1342-0.txt",
		    "1342-0.txt");
	ASSERT_NAME("https://h/a/b/report.tar.gz?x=1&y=/z#frag/x",
		    "report.tar.gz");
	ASSERT_NAME("https://h/dir/file#x?y", "file");
	/* as written: no dot-segment resolution, the last segment counts */
	ASSERT_NAME("https://h/a/b/../c.txt", "c.txt");
	ASSERT_NAME("https://u:secret@h/x/y.txt", "y.txt");
	/* case is kept */
	ASSERT_NAME("https://h/README", "README");
}
END_TEST

START_TEST(test_empty_segment)
{
	ASSERT_NAME("https://host", FP_NAME_INDEX);
	ASSERT_NAME("https://host/", FP_NAME_INDEX);
	ASSERT_NAME("https://host/dir/", FP_NAME_INDEX);
	ASSERT_NAME("https://host?q=a/b", FP_NAME_INDEX);
	ASSERT_NAME("https://host/#frag", FP_NAME_INDEX);
}
END_TEST

START_TEST(test_percent)
{
	ASSERT_NAME("https://h/War%20and%20Peace.txt", "War and Peace.txt");
	ASSERT_NAME("https://h/caf%C3%A9.txt", "caf\xc3\xa9.txt");
	/* decoded separators and NUL never survive */
	ASSERT_NAME("https://h/a%2Fb%2f..%2F..%2Fetc%2Fpasswd",
		    "a_b_.._.._etc_passwd");
	ASSERT_NAME("https://h/a%5Cb", "a_b");
	ASSERT_NAME("https://h/x%00y", "x_y");
	/* invalid escapes stay as written */
	ASSERT_NAME("https://h/100%25", "100%");
	ASSERT_NAME("https://h/100%", "100%");
	ASSERT_NAME("https://h/a%zzb%4", "a%zzb%4");
	/* decoded invalid UTF-8: one '_' per bad byte */
	ASSERT_NAME("https://h/%ff%fe.txt", "__.txt");
	ASSERT_NAME("https://h/%C3", "_");
	ASSERT_NAME("https://h/%C0%AF", "__"); /* overlong '/' */
	ASSERT_NAME("https://h/%ED%A0%80", "___"); /* surrogate */
}
END_TEST

START_TEST(test_dots_and_controls)
{
	ASSERT_NAME("https://h/.", "_");
	ASSERT_NAME("https://h/..", "_.");
	ASSERT_NAME("https://h/%2e%2e", "_.");
	ASSERT_NAME("https://h/.bashrc", "_bashrc");
	ASSERT_NAME("https://h/.fetchpool.lock", "_fetchpool.lock");
	ASSERT_NAME("https://h/%2Efetchpool.state", "_fetchpool.state");
	ASSERT_NAME("https://h/a..b", "a..b");
	ASSERT_NAME("https://h/a%0Ab%0D%09c%1B%5B31m%7F", "a_b__c_[31m_");
	/* C1 control (U+009B, CSI) and a right-to-left override */
	ASSERT_NAME("https://h/x%C2%9By", "x_y");
	ASSERT_NAME("https://h/cod%E2%80%AEtxt.exe", "cod_txt.exe");
}
END_TEST

START_TEST(test_part_suffix)
{
	ASSERT_NAME("https://h/x.part", "x.part_");
	ASSERT_NAME("https://h/.part", "_part");
	ASSERT_NAME("https://h/x.part_", "x.part_");
	ASSERT_NAME("https://h/x.PART", "x.PART");
}
END_TEST

START_TEST(test_length_cap)
{
	char url[1200], want[300], *got;
	size_t i;

	/* 300 ASCII bytes + ".txt": cut to 196 + ".txt" */
	strcpy(url, "https://h/");
	for (i = 0; i < 300; i++)
		strcat(url, "a");
	strcat(url, ".txt");
	got = name_of(url);
	ck_assert_uint_eq(strlen(got), FP_NAME_MAX);
	memset(want, 'a', 196);
	strcpy(want + 196, ".txt");
	ck_assert_str_eq(got, want);
	free(got);

	/* 3-byte characters: the cut lands on a character boundary. */
	strcpy(url, "https://h/");
	for (i = 0; i < 100; i++)
		strcat(url, "%E2%82%AC"); /* U+20AC, 3 bytes */
	strcat(url, ".txt");
	got = name_of(url);
	/* 196 bytes for the stem: 65 characters (195 bytes) fit. */
	ck_assert_uint_eq(strlen(got), 195 + 4);
	ck_assert_str_eq(got + 195, ".txt");
	ck_assert_int_eq(memcmp(got, "\xe2\x82\xac", 3), 0);
	free(got);

	/* An "extension" longer than 16 bytes is not kept. */
	strcpy(url, "https://h/x.");
	for (i = 0; i < 250; i++)
		strcat(url, "b");
	got = name_of(url);
	ck_assert_uint_eq(strlen(got), FP_NAME_MAX);
	ck_assert_int_eq(strncmp(got, "x.bbb", 5), 0);
	free(got);

	/* A long name ending in .part: capped and moved off the suffix. */
	strcpy(url, "https://h/");
	for (i = 0; i < 250; i++)
		strcat(url, "c");
	strcat(url, ".part");
	got = name_of(url);
	ck_assert_uint_le(strlen(got), FP_NAME_MAX);
	ck_assert_str_eq(got + strlen(got) - 6, ".part_");
	free(got);
}
END_TEST

START_TEST(test_from_url_errors)
{
	char *name = (char *)"x";

	ck_assert_int_eq(fp_name_from_url(NULL, &name), FP_EINVAL);
	ck_assert_int_eq(fp_name_from_url("https://h/x", NULL), FP_EINVAL);
	ck_assert_int_eq(fp_name_from_url("not a url", &name), FP_EINVAL);
	ck_assert_ptr_null(name);
}
END_TEST

START_TEST(test_check_out)
{
	char long_name[260];
	const char *why;

	ck_assert_int_eq(fp_name_check_out("sherlock.txt", &why), FP_OK);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(fp_name_check_out("a..b", NULL), FP_OK);
	ck_assert_int_eq(fp_name_check_out("caf\xc3\xa9 au lait", NULL), FP_OK);

	ck_assert_int_eq(fp_name_check_out("../../x", &why), FP_EINVAL);
	ck_assert_str_eq(why, "contains '/'");
	ck_assert_int_eq(fp_name_check_out("/etc/x", &why), FP_EINVAL);
	ck_assert_str_eq(why, "contains '/'");
	ck_assert_int_eq(fp_name_check_out("..", &why), FP_EINVAL);
	ck_assert_str_eq(why, "is '.' or '..'");
	ck_assert_int_eq(fp_name_check_out(".", &why), FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out(".hidden", &why), FP_EINVAL);
	ck_assert_str_eq(why, "starts with '.' (hidden)");
	ck_assert_int_eq(fp_name_check_out(".fetchpool.lock", &why), FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out(".fetchpool.state", &why),
			 FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out("a\\b", &why), FP_EINVAL);
	ck_assert_str_eq(why, "contains '\\'");
	ck_assert_int_eq(fp_name_check_out("", &why), FP_EINVAL);
	ck_assert_str_eq(why, "is empty");
	ck_assert_int_eq(fp_name_check_out(NULL, &why), FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out("a\x1b[2Jb", &why), FP_EINVAL);
	ck_assert_str_eq(why, "contains a control character");
	ck_assert_int_eq(fp_name_check_out("tab\there", &why), FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out("x\xc2\x85", &why), FP_EINVAL);
	ck_assert_int_eq(fp_name_check_out("bad\xff", &why), FP_EINVAL);
	ck_assert_str_eq(why, "is not valid UTF-8");
	ck_assert_int_eq(fp_name_check_out("book.txt.part", &why), FP_EINVAL);
	ck_assert_str_eq(why, "ends in .part (reserved for partial downloads)");

	memset(long_name, 'n', 200);
	long_name[200] = '\0';
	ck_assert_int_eq(fp_name_check_out(long_name, NULL), FP_OK);
	long_name[200] = 'n';
	long_name[201] = '\0';
	ck_assert_int_eq(fp_name_check_out(long_name, &why), FP_EINVAL);
	ck_assert_str_eq(why, "is longer than 200 bytes");
}
END_TEST

static char *claim(struct fp_names *t, const char *name)
{
	char *final = NULL;

	ck_assert_int_eq(fp_names_claim(t, name, &final), FP_OK);
	ck_assert_ptr_nonnull(final);
	return final;
}

#define ASSERT_CLAIM(t, name, want)                           \
	do {                                                  \
		char *got_ = claim(t, name);                  \
		ck_assert_str_eq(got_, want);                 \
		free(got_);                                   \
	} while (0)

START_TEST(test_claim_suffixes)
{
	struct fp_names *t;

	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	ASSERT_CLAIM(t, "pg1.txt", "pg1.txt");
	ASSERT_CLAIM(t, "pg1.txt", "pg1.1.txt");
	ASSERT_CLAIM(t, "pg1.txt", "pg1.2.txt");
	ASSERT_CLAIM(t, "README", "README");
	ASSERT_CLAIM(t, "README", "README.1");
	ASSERT_CLAIM(t, "a.tar.gz", "a.tar.gz");
	ASSERT_CLAIM(t, "a.tar.gz", "a.tar.1.gz");
	/* case differs: distinct names (Linux semantics) */
	ASSERT_CLAIM(t, "PG1.txt", "PG1.txt");
	ASSERT_CLAIM(t, "x.part", "x.part_");
	ASSERT_CLAIM(t, "x.part", "x.1.part_");
	ASSERT_CLAIM(t, "x.part_", "x.2.part_");
	ASSERT_CLAIM(t, "trail.", "trail.");
	ASSERT_CLAIM(t, "trail.", "trail..1");
	ck_assert_uint_eq(fp_names_count(t), 13);
	fp_names_free(t);
}
END_TEST

/* A plain claim of a name generated earlier is suffixed in turn, and a
 * generated name skips plain claims made earlier. */
START_TEST(test_claim_generated_vs_plain)
{
	struct fp_names *t;

	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	ASSERT_CLAIM(t, "pg1.txt", "pg1.txt");
	ASSERT_CLAIM(t, "pg1.txt", "pg1.1.txt");
	ASSERT_CLAIM(t, "pg1.1.txt", "pg1.1.1.txt");
	ASSERT_CLAIM(t, "pg1.2.txt", "pg1.2.txt");
	ASSERT_CLAIM(t, "pg1.txt", "pg1.3.txt");
	ASSERT_CLAIM(t, "pg1.1.txt", "pg1.1.2.txt");
	fp_names_free(t);
}
END_TEST

/* Same claims, same names: a rerun gives identical results. */
START_TEST(test_claim_deterministic)
{
	static const char *in[] = { "index.html", "a.txt", "index.html",
				    "index.1.html", "a.txt", "index.html",
				    "b", "b", "b.1", "b" };
	char *first[10];
	int run, i;

	for (run = 0; run < 2; run++) {
		struct fp_names *t;

		ck_assert_int_eq(fp_names_new(&t), FP_OK);
		for (i = 0; i < 10; i++) {
			char *f = claim(t, in[i]);
			int j;

			for (j = 0; j < i && run == 0; j++)
				ck_assert_str_ne(first[j], f);
			if (run == 0)
				first[i] = f;
			else {
				ck_assert_str_eq(first[i], f);
				free(f);
			}
		}
		fp_names_free(t);
	}
	ck_assert_str_eq(first[3], "index.1.1.html");
	ck_assert_str_eq(first[5], "index.2.html");
	ck_assert_str_eq(first[9], "b.2");
	for (i = 0; i < 10; i++)
		free(first[i]);
}
END_TEST

/* Many equal names: all distinct, linear work, table grows. */
START_TEST(test_claim_many)
{
	struct fp_names *t;
	char want[32];
	int i;

	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	ASSERT_CLAIM(t, "index.html", "index.html");
	for (i = 1; i <= 20000; i++) {
		char *f = claim(t, "index.html");

		snprintf(want, sizeof(want), "index.%d.html", i);
		ck_assert_str_eq(f, want);
		free(f);
	}
	ck_assert_uint_eq(fp_names_count(t), 20001);
	fp_names_free(t);
}
END_TEST

START_TEST(test_claim_long)
{
	struct fp_names *t;
	char name[FP_NAME_MAX + 1], *f;

	memset(name, 'z', FP_NAME_MAX - 4);
	strcpy(name + FP_NAME_MAX - 4, ".txt");
	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	f = claim(t, name);
	ck_assert_str_eq(f, name);
	free(f);
	f = claim(t, name);
	ck_assert_uint_eq(strlen(f), FP_NAME_MAX);
	ck_assert_str_eq(f + FP_NAME_MAX - 6, ".1.txt");
	free(f);
	fp_names_free(t);
}
END_TEST

START_TEST(test_claim_rejects)
{
	struct fp_names *t;
	char *f = NULL;

	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	ck_assert_int_eq(fp_names_claim(t, "../x", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, ".fetchpool.lock", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, ".fetchpool.state", &f),
			 FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, NULL, &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(NULL, "a", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "a", NULL), FP_EINVAL);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(fp_names_count(t), 0);
	fp_names_free(t);
	fp_names_free(NULL);
}
END_TEST

START_TEST(test_check_dir)
{
	const char *why = NULL;
	char long_dir[300];

	ck_assert_int_eq(fp_name_check_dir("books", &why), FP_OK);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(fp_name_check_dir("books/fr/1900s", NULL), FP_OK);
#define BAD_DIR(d, w)                                                \
	do {                                                         \
		ck_assert_int_eq(fp_name_check_dir(d, &why), FP_EINVAL); \
		ck_assert_str_eq(why, w);                            \
	} while (0)
	BAD_DIR(NULL, "is missing");
	BAD_DIR("", "is empty");
	BAD_DIR("/etc", "is an absolute path");
	BAD_DIR("..", "has a '..' component");
	BAD_DIR("a/../../b", "has a '..' component");
	BAD_DIR("a/..", "has a '..' component");
	BAD_DIR(".", "has a '.' component");
	BAD_DIR("a//b", "has an empty component ('//')");
	BAD_DIR("a/", "has an empty component ('//')");
	BAD_DIR(".git", "starts with '.' (hidden)");
	BAD_DIR("a/.fetchpool.state", "starts with '.' (hidden)");
	BAD_DIR("a\\b", "contains '\\'");
	BAD_DIR("a\x01", "contains a control character");
	BAD_DIR("x.part", "ends in .part (reserved for partial downloads)");
	memset(long_dir, 'd', 256);
	long_dir[256] = '\0';
	BAD_DIR(long_dir, "is longer than 255 bytes");
	long_dir[255] = '\0';
	BAD_DIR(long_dir, "has a component longer than 200 bytes");
	long_dir[100] = '/';
	ck_assert_int_eq(fp_name_check_dir(long_dir, NULL), FP_OK);
#undef BAD_DIR
}
END_TEST

/* "DIR/NAME": the folder stays, NAME gets the suffix, and the whole path
 * is what collides. */
START_TEST(test_claim_in_folder)
{
	struct fp_names *t;
	char *f = NULL;

	ck_assert_int_eq(fp_names_new(&t), FP_OK);
	ASSERT_CLAIM(t, "pg1.txt", "pg1.txt");
	ASSERT_CLAIM(t, "a/pg1.txt", "a/pg1.txt");
	ASSERT_CLAIM(t, "b/c/pg1.txt", "b/c/pg1.txt");
	ASSERT_CLAIM(t, "a/pg1.txt", "a/pg1.1.txt");
	ASSERT_CLAIM(t, "a.d/README", "a.d/README");
	ASSERT_CLAIM(t, "a.d/README", "a.d/README.1");
	ASSERT_CLAIM(t, "a/x.part", "a/x.part_");
	ASSERT_CLAIM(t, "pg1.txt", "pg1.1.txt");
	ck_assert_int_eq(fp_names_claim(t, "../x", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "/a/x", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "a/../x", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "a/.x", &f), FP_EINVAL);
	ck_assert_int_eq(fp_names_claim(t, "a/", &f), FP_EINVAL);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(fp_names_count(t), 8);
	fp_names_free(t);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("names");
	TCase *url = unit_tcase("from_url");
	TCase *out = unit_tcase("check_out");
	TCase *tab = unit_tcase("claim");

	tcase_add_test(url, test_plain);
	tcase_add_test(url, test_empty_segment);
	tcase_add_test(url, test_percent);
	tcase_add_test(url, test_dots_and_controls);
	tcase_add_test(url, test_part_suffix);
	tcase_add_test(url, test_length_cap);
	tcase_add_test(url, test_from_url_errors);
	tcase_add_test(out, test_check_out);
	tcase_add_test(out, test_check_dir);
	tcase_add_test(tab, test_claim_in_folder);
	tcase_add_test(tab, test_claim_suffixes);
	tcase_add_test(tab, test_claim_generated_vs_plain);
	tcase_add_test(tab, test_claim_deterministic);
	tcase_add_test(tab, test_claim_many);
	tcase_add_test(tab, test_claim_long);
	tcase_add_test(tab, test_claim_rejects);
	suite_add_tcase(s, url);
	suite_add_tcase(s, out);
	suite_add_tcase(s, tab);
	return s;
}
