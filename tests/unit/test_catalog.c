/* Catalog rows and filters: columns found by name, malformed rows
 * reported by line without stopping the reader, plain and gzip input
 * (several members, corrupt data), every filter alone and combined, case
 * folding beyond ASCII, titles folded to one clean line, and the
 * committed fixture catalog read whole. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "catalog.h"
#include "error.h"
#include "runner.h"

#define HEADER "Text#,Type,Issued,Title,Language,Authors,Subjects,LoCC," \
	       "Bookshelves\n"

/* A descriptor reading BYTES (LEN of them), through a pipe-less temp
 * file so that large inputs need no thread. */
static int fd_of(const void *bytes, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static struct fp_catalog *open_str(const char *s)
{
	struct fp_catalog *c;

	ck_assert_int_eq(fp_catalog_open(&c, fd_of(s, strlen(s))), FP_OK);
	return c;
}

/* gzip of S, as one member. */
static unsigned char *gz(const char *s, size_t *len)
{
	size_t cap = strlen(s) + 256;
	unsigned char *out = malloc(cap);
	z_stream z;

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)strlen(s);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* Every row of C as "LINE:ID TITLE" or "LINE:!error", newline-joined. */
static char *rows(struct fp_catalog *c)
{
	static char out[8192];
	struct fp_catalog_row r;
	size_t n = 0;
	int rc;

	out[0] = '\0';
	while ((rc = fp_catalog_next(c, &r)) == 1) {
		if (r.error)
			n += (size_t)snprintf(out + n, sizeof(out) - n,
					      "%s%lu:!%s", n ? "\n" : "",
					      r.line, r.error);
		else
			n += (size_t)snprintf(out + n, sizeof(out) - n,
					      "%s%lu:%ld %s", n ? "\n" : "",
					      r.line, r.id,
					      r.col[FP_CAT_TITLE]);
	}
	ck_assert_int_eq(rc, 0);
	return out;
}

START_TEST(catalog_rows_and_errors)
{
	struct fp_catalog *c = open_str(
		HEADER "1,Text,2000-01-01,One,en,,,,\n"
		"2,Text,2000-01-01,Too few\n"
		"3,Text,2000-01-01,Too many,en,,,,,x\n"
		"x4,Text,2000-01-01,Bad id,en,,,,\n"
		"0,Text,2000-01-01,Zero,en,,,,\n"
		"\"5\"x,Text,,Quote,en,,,,\n"
		"6,Text,2000-01-01,\"Six\nlines\",en,,,,\n"
		"7,Text,2000-01-01,Seven,en,,,,\n");

	ck_assert_str_eq(rows(c), "2:1 One\n"
				  "3:!4 fields, expected 9\n"
				  "4:!10 fields, expected 9\n"
				  "5:!Text# is not a book number\n"
				  "6:!Text# is not a book number\n"
				  "7:!text after a closing quote\n"
				  "8:6 Six\nlines\n"
				  "10:7 Seven");
	fp_catalog_close(c);
}
END_TEST

START_TEST(catalog_columns_by_name)
{
	struct fp_catalog *c = open_str(
		"Title,Extra,Text#\r\nHello,zz,42\r\n");
	struct fp_catalog_row r;

	ck_assert_int_eq(fp_catalog_next(c, &r), 1);
	ck_assert_ptr_null(r.error);
	ck_assert_int_eq(r.id, 42);
	ck_assert_str_eq(r.col[FP_CAT_TITLE], "Hello");
	ck_assert_str_eq(r.col[FP_CAT_AUTHORS], "");
	fp_catalog_close(c);

	c = open_str("Type,Title\nText,Hello\n");
	ck_assert_int_eq(fp_catalog_next(c, &r), FP_EPARSE);
	ck_assert_ptr_nonnull(strstr(fp_catalog_error(c), "no Text# column"));
	fp_catalog_close(c);

	c = open_str("<html><body>404</body></html>\n");
	ck_assert_int_eq(fp_catalog_next(c, &r), FP_EPARSE);
	fp_catalog_close(c);

	c = open_str("");
	ck_assert_int_eq(fp_catalog_next(c, &r), 0);
	fp_catalog_close(c);
}
END_TEST

START_TEST(catalog_gzip)
{
	static const char text[] = HEADER "1,Text,2000-01-01,One,en,,,,\n";
	static const char text2[] = "2,Text,2000-01-01,Two,en,,,,\n";
	size_t n1, n2;
	unsigned char *a = gz(text, &n1), *b = gz(text2, &n2);
	unsigned char *both = malloc(n1 + n2);
	struct fp_catalog *c;
	struct fp_catalog_row r;

	/* Two members, as `gzip -c a; gzip -c b` makes. */
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	ck_assert_int_eq(fp_catalog_open(&c, fd_of(both, n1 + n2)), FP_OK);
	ck_assert_str_eq(rows(c), "2:1 One\n3:2 Two");
	fp_catalog_close(c);

	/* Cut short. */
	ck_assert_int_eq(fp_catalog_open(&c, fd_of(a, n1 - 12)), FP_OK);
	while (fp_catalog_next(c, &r) == 1)
		;
	ck_assert_int_eq(fp_catalog_next(c, &r), FP_EIO);
	ck_assert_str_eq(fp_catalog_error(c), "gzip data cut short");
	fp_catalog_close(c);

	/* Corrupt. */
	memset(a + 12, 0xff, 8);
	ck_assert_int_eq(fp_catalog_open(&c, fd_of(a, n1)), FP_OK);
	ck_assert_int_eq(fp_catalog_next(c, &r), FP_EIO);
	ck_assert_str_eq(fp_catalog_error(c), "corrupt gzip data");
	fp_catalog_close(c);
	free(a);
	free(b);
	free(both);
}
END_TEST

/* One row from a CSV line (after HEADER), kept in static storage. */
static struct fp_catalog_row *row_of(const char *line)
{
	static struct fp_catalog *c;
	static struct fp_catalog_row r;
	char buf[1024];

	fp_catalog_close(c);
	snprintf(buf, sizeof(buf), HEADER "%s\n", line);
	c = open_str(buf);
	ck_assert_int_eq(fp_catalog_next(c, &r), 1);
	ck_assert_ptr_null(r.error);
	return &r;
}

START_TEST(catalog_filters)
{
	struct fp_catalog_row *r = row_of(
		"1342,Text,1998-06-01,Pride and Prejudice,en; fr,"
		"\"Austen, Jane, 1775-1817\",\"England -- Fiction; Love "
		"stories\",PR,Best Books Ever Listings; Harvard Classics");
	const char *en[] = { "EN" }, *de_fr[] = { "de", "fr" },
		   *de[] = { "de" }, *e[] = { "e" };
	struct fp_catalog_filter f;

#define M(...)                                                         \
	(f = (struct fp_catalog_filter){ __VA_ARGS__ },                \
	 fp_catalog_match(&f, r))
	ck_assert(M(.type = NULL));
	ck_assert(M(.type = "text"));
	ck_assert(!M(.type = "Sound"));
	ck_assert(!M(.type = "Tex"));
	ck_assert(M(.languages = en, .nlanguages = 1));
	ck_assert(M(.languages = de_fr, .nlanguages = 2));
	ck_assert(!M(.languages = de, .nlanguages = 1));
	ck_assert(!M(.languages = e, .nlanguages = 1)); /* codes, whole */
	ck_assert(M(.author = "AUSTEN"));
	ck_assert(M(.author = "jane, 1775"));
	ck_assert(!M(.author = "austin"));
	ck_assert(M(.title = "prejudice"));
	ck_assert(!M(.title = "persuasion"));
	ck_assert(M(.subject = "love STORIES"));
	ck_assert(!M(.subject = "war"));
	ck_assert(M(.bookshelf = "harvard"));
	ck_assert(!M(.bookshelf = "novels"));
	ck_assert(M(.issued_since = "1998-06-01"));
	ck_assert(M(.issued_since = "1998-05-31"));
	ck_assert(!M(.issued_since = "1998-06-02"));
	ck_assert(M(.author = "austen", .title = "pride", .type = "Text",
		    .languages = en, .nlanguages = 1));
	ck_assert(!M(.author = "austen", .title = "emma"));
	ck_assert(M(.author = "")); /* empty: not given */

	r = row_of("7,Text,,Война и мир,ru,\"MÜLLER, JÖRG\",Ästhetik,,");
	ck_assert(M(.title = "ВОЙНА"));
	ck_assert(M(.title = "война И"));
	ck_assert(M(.author = "müller, jörg"));
	ck_assert(M(.subject = "äSTHETIK"));
	ck_assert(!M(.author = "muller"));
	/* No valid date never matches a date filter. */
	ck_assert(!M(.issued_since = "1900-01-01"));
#undef M
}
END_TEST

START_TEST(catalog_malformed_row_never_matches)
{
	struct fp_catalog *c = open_str(HEADER "1,Text\n");
	struct fp_catalog_filter f = { 0 };
	struct fp_catalog_row r;

	ck_assert_int_eq(fp_catalog_next(c, &r), 1);
	ck_assert_ptr_nonnull(r.error);
	ck_assert(!fp_catalog_match(&f, &r));
	fp_catalog_close(c);
}
END_TEST

START_TEST(catalog_dates)
{
	ck_assert(fp_catalog_date_ok("2024-02-29"));
	ck_assert(fp_catalog_date_ok("1971-12-31"));
	ck_assert(!fp_catalog_date_ok("1971-13-01"));
	ck_assert(!fp_catalog_date_ok("1971-00-01"));
	ck_assert(!fp_catalog_date_ok("1971-01-32"));
	ck_assert(!fp_catalog_date_ok("1971-1-01"));
	ck_assert(!fp_catalog_date_ok("1971-01-01x"));
	ck_assert(!fp_catalog_date_ok(""));
}
END_TEST

START_TEST(catalog_title_one_line)
{
	char out[64];

	ck_assert_str_eq(fp_catalog_title("A Modest Proposal\r\nFor "
					  "preventing", out, sizeof(out)),
			 "A Modest Proposal For preventing");
	ck_assert_str_eq(fp_catalog_title("  a\t\tb \n c  ", out,
					  sizeof(out)),
			 "a b c");
	ck_assert_str_eq(fp_catalog_title("bell\a, del\x7f, esc\x1b[2J.",
					  out, sizeof(out)),
			 "bell, del, esc[2J.");
	ck_assert_str_eq(fp_catalog_title("c1 \xc2\x85 x", out, sizeof(out)),
			 "c1 x");
	ck_assert_str_eq(fp_catalog_title("bidi\xe2\x80\xae" "evil", out,
					  sizeof(out)),
			 "bidievil");
	ck_assert_str_eq(fp_catalog_title("bad \xff utf8", out, sizeof(out)),
			 "bad \xef\xbf\xbd utf8");
	ck_assert_str_eq(fp_catalog_title("", out, sizeof(out)), "");
	/* Cut at a character boundary: "ab" then a 2-byte letter. */
	ck_assert_str_eq(fp_catalog_title("ab\xc3\xa9z", out, 4), "ab");
	ck_assert_str_eq(fp_catalog_title("ab\xc3\xa9z", out, 5),
			 "ab\xc3\xa9");
}
END_TEST

START_TEST(catalog_url)
{
	char *u = fp_catalog_url("http://m.example/pg//");

	ck_assert_str_eq(u, "http://m.example/pg/cache/epub/feeds/"
			    "pg_catalog.csv");
	free(u);
	ck_assert_ptr_null(fp_catalog_url(""));
	ck_assert_ptr_null(fp_catalog_url(NULL));
}
END_TEST

START_TEST(catalog_fixture)
{
	int fd = open(FP_FIXTURES_DIR "/gutenberg/pg_catalog.csv", O_RDONLY);
	struct fp_catalog *c;
	struct fp_catalog_row r;
	long last = 0;
	int n = 0, rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fp_catalog_open(&c, fd), FP_OK);
	while ((rc = fp_catalog_next(c, &r)) == 1) {
		ck_assert_ptr_null(r.error);
		ck_assert_int_gt(r.id, last);
		last = r.id;
		ck_assert(fp_catalog_date_ok(r.col[FP_CAT_ISSUED]));
		ck_assert_str_eq(r.col[FP_CAT_TYPE], "Text");
		n++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(n, 10);
	fp_catalog_close(c);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc = unit_tcase("catalog");

	tcase_add_test(tc, catalog_rows_and_errors);
	tcase_add_test(tc, catalog_columns_by_name);
	tcase_add_test(tc, catalog_gzip);
	tcase_add_test(tc, catalog_filters);
	tcase_add_test(tc, catalog_malformed_row_never_matches);
	tcase_add_test(tc, catalog_dates);
	tcase_add_test(tc, catalog_title_one_line);
	tcase_add_test(tc, catalog_url);
	tcase_add_test(tc, catalog_fixture);
	suite_add_tcase(s, tc);
	return s;
}
