/* Header stripping: every marker form is recognised and look-alikes are
 * not; every real fixture text (each era) keeps exactly its text between
 * the markers; synthetic old-style texts; the windows that keep markers
 * in the middle of a text from counting; a text without markers comes
 * out byte for byte. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "runner.h"
#include "strip.h"

static int mem_fd(const char *s, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(s, 1, len, f), len);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

/* Strip IN_FD; the output in a malloc'd NUL-terminated string. */
static char *strip_fd(int in, struct fp_strip_result *res, size_t *len)
{
	FILE *f = tmpfile();
	long n;
	char *out;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fp_strip_fd(in, fileno(f), res), FP_OK);
	n = lseek(fileno(f), 0, SEEK_END);
	ck_assert_int_ge(n, 0);
	out = malloc((size_t)n + 1);
	ck_assert_int_eq(pread(fileno(f), out, (size_t)n, 0), n);
	out[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return out;
}

static char *strip_str(const char *s, struct fp_strip_result *res)
{
	int fd = mem_fd(s, strlen(s));
	char *out = strip_fd(fd, res, NULL);

	close(fd);
	return out;
}

#define START(s) ck_assert_int_eq(fp_strip_marker(s, strlen(s)), \
				  FP_STRIP_START)
#define END(s) ck_assert_int_eq(fp_strip_marker(s, strlen(s)), FP_STRIP_END)
#define NONE(s) ck_assert_int_eq(fp_strip_marker(s, strlen(s)), \
				 FP_STRIP_NONE)

START_TEST(strip_marker_forms)
{
	START("*** START OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***");
	START("*** START OF THIS PROJECT GUTENBERG EBOOK A MODEST PROPOSAL");
	START("***START OF THE PROJECT GUTENBERG EBOOK THE IMPORTANCE***");
	START("*** START OF THE PROJECT GUTENBERG EBOOK, PRIDE ***");
	START("*** START OF THE PROJECT GUTENBERG ETEXT OF X ***");
	START("\xef\xbb\xbf*** START OF THE PROJECT GUTENBERG EBOOK 1342 ***");
	START("  *** start   of  the project gutenberg ebook x ***\r");
	START("*** START OF THE COPYRIGHTED PROJECT GUTENBERG EBOOK X ***");
	START("*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*"
	      "END*");
	START("*END THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.10/04/01*"
	      "END*");
	END("*** END OF THE PROJECT GUTENBERG EBOOK WAR AND PEACE ***");
	END("            *** END OF THE PROJECT GUTENBERG EBOOK X ***");
	END("*** END OF THIS PROJECT GUTENBERG EBOOK X ***");
	END("***END OF THE PROJECT GUTENBERG EBOOK X***");
	END("End of the Project Gutenberg EBook of A Modest Proposal");
	END("End of Project Gutenberg's Etext of Pride and Prejudice");
	END("End of Project Gutenberg\xe2\x80\x99s Alice\xe2\x80\x99s");
	END("END OF PROJECT GUTENBERG ETEXT");
	END("Ende dieses Projekt Gutenberg Etextes");
	END("Ende dieses Project Gutenberg Etextes");
	END("Ende diese Project Gutenberg Etextes");
	END("Fin de Project Gutenberg de Les Mis\xc3\xa9rables");
	/* Look-alikes. */
	NONE("            END OF THE FIRST DAY\xe2\x80\x99S FIGHTING");
	NONE("*** START: FULL LICENSE ***");
	NONE("START: FULL LICENSE");
	NONE("***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN ETEXTS**START***");
	NONE("START OF THE PROJECT GUTENBERG EBOOK (no stars)");
	NONE("Produced by An Anonymous Volunteer");
	NONE("The Project Gutenberg eBook of War and Peace");
	NONE("the end of the project");
	NONE("");
}
END_TEST

struct fixture {
	const char *file;
	int start, end;    /* markers expected */
	const char *first; /* the first line kept (CR removed) */
	const char *last;  /* the last line kept */
};

static const struct fixture fixtures[] = {
	{ "pg1080.txt", 1, 1, "Produced by An Anonymous Volunteer",
	  "child-bearing." },
	{ "pg120.txt", 1, 1, "TREASURE ISLAND",
	  "still ringing in my ears: \xe2\x80\x9cPieces of eight! Pieces of "
	  "eight!\xe2\x80\x9d" },
	{ "pg1342.txt", 1, 1, "                            [Illustration:",
	  "                  TOOKS COURT, CHANCERY LANE, LONDON." },
	{ "pg1661.txt", 1, 1, "The Adventures of Sherlock Holmes",
	  "Walsall, where I believe that she has met with considerable "
	  "success." },
	{ "pg2600.txt", 1, 1, "WAR AND PEACE", "conscious." },
	{ "pg7256.txt", 1, 1,
	  "Produced by Susan Ritchie.  HTML version by Jose Menendez.",
	  "Everywhere they are wisest. They are the magi." },
	{ "pg844.txt", 1, 1,
	  "Transcribed from the 1915 Methuen & Co. Ltd. edition by David "
	  "Price,",
	  "TABLEAU" },
	{ "files/11-0.txt", 1, 1,
	  "ALICE\xe2\x80\x99S ADVENTURES IN WONDERLAND",
	  "              THE END" },
	{ "files/1342-0.txt", 1, 1, "Produced by Anonymous Volunteers",
	  "her into Derbyshire, had been the means of uniting them." },
	{ "variants/alice30.txt", 1, 0,
	  "                ALICE'S ADVENTURES IN WONDERLAND",
	  "                             THE END" },
	{ "variants/pandp10.txt", 1, 1, "Pride and Prejudice",
	  "means of uniting them." },
	{ "variants/pandp12.txt", 1, 1, "Pride and Prejudice",
	  "means of uniting them." },
	{ "variants/pg1342-2023-04.txt", 1, 1,
	  "                            [Illustration:",
	  "                  TOOKS COURT, CHANCERY LANE, LONDON." },
};

/* The first and the last line of S (LEN bytes), CR and LF removed. */
static void ends_of(const char *s, size_t len, char *first, char *last,
		    size_t cap)
{
	size_t a = strcspn(s, "\r\n"), e = len, b;

	snprintf(first, cap, "%.*s", (int)a, s);
	while (e > 0 && (s[e - 1] == '\n' || s[e - 1] == '\r'))
		e--;
	b = e;
	while (b > 0 && s[b - 1] != '\n')
		b--;
	snprintf(last, cap, "%.*s", (int)(e - b), s + b);
}

START_TEST(strip_every_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	char path[512], first[256], last[256];
	struct fp_strip_result res;
	size_t len;
	char *out;
	int fd;

	snprintf(path, sizeof(path), "%s/gutenberg/%s", FP_FIXTURES_DIR,
		 fx->file);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "%s", path);
	out = strip_fd(fd, &res, &len);
	close(fd);
	ck_assert_int_eq(res.found_start, fx->start);
	ck_assert_int_eq(res.found_end, fx->end);
	ends_of(out, len, first, last, sizeof(first));
	ck_assert_str_eq(first, fx->first);
	ck_assert_str_eq(last, fx->last);
	/* Nothing of the licence is left, and line ends stay CRLF. */
	ck_assert_ptr_null(strstr(out, "PROJECT GUTENBERG EBOOK"));
	ck_assert_ptr_null(strstr(out, "SMALL PRINT"));
	ck_assert_ptr_null(strstr(out, "FULL LICENSE"));
	ck_assert_ptr_null(strstr(out, "\x1a"));
	ck_assert_ptr_null(strstr(out, "\xef\xbb\xbf"));
	ck_assert(len > 2 && out[len - 2] == '\r' && out[len - 1] == '\n');
	ck_assert_uint_lt(len, (size_t)res.size);
	free(out);
}
END_TEST

/* A body of N lines "line K". */
static char *body(int n)
{
	char *s = malloc((size_t)n * 16 + 1);
	size_t k = 0;
	int i;

	for (i = 1; i <= n; i++)
		k += (size_t)sprintf(s + k, "line %d\n", i);
	s[k] = '\0';
	return s;
}

START_TEST(strip_small_print_era)
{
	char *b = body(5), in[2048], *out;
	struct fp_strip_result res;

	/* 1990s: the small print ends the header; "End of Project
	 * Gutenberg's Etext" the text. */
	snprintf(in, sizeof(in),
		 "The Project Gutenberg Etext of X\n"
		 "***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN ETEXTS**"
		 "START***\nlawyers.\n"
		 "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93"
		 "*END*\n\n\n%s\n\nEnd of Project Gutenberg's Etext of X\n",
		 b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	ck_assert(res.found_start && res.found_end);
	free(out);

	/* 2001: "*END THE SMALL PRINT!" with a blank. */
	snprintf(in, sizeof(in),
		 "header\n*END THE SMALL PRINT! FOR PUBLIC DOMAIN "
		 "ETEXTS*Ver.10/04/01*END*\n%sEnd of the Project Gutenberg "
		 "Etext\nfooter\n",
		 b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);

	/* 2002: the small print at the end, after the end marker, is no
	 * start marker. */
	snprintf(in, sizeof(in),
		 "header\n*** START OF THE PROJECT GUTENBERG EBOOK, X ***\n"
		 "%s*** END OF THE PROJECT GUTENBERG EBOOK, X ***\n"
		 "***START**THE SMALL PRINT!**FOR PUBLIC DOMAIN EBOOKS**"
		 "START***\n*END THE SMALL PRINT! FOR PUBLIC DOMAIN "
		 "EBOOKS*Ver.02/11/02*END*\n",
		 b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);
	free(b);
}
END_TEST

START_TEST(strip_wrapped_and_foreign)
{
	char *b = body(3), in[1024], *out;
	struct fp_strip_result res;

	snprintf(in, sizeof(in),
		 "*** START OF THIS PROJECT GUTENBERG EBOOK THE ADVENTURES "
		 "OF SHERLOCK\r\nHOLMES ***\r\n\r\n%s\r\n*** END OF THIS "
		 "PROJECT GUTENBERG EBOOK THE ADVENTURES OF SHERLOCK\r\n",
		 b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);

	snprintf(in, sizeof(in),
		 "Kopf\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\n%s"
		 "Ende dieses Projekt Gutenberg Etextes\nLizenz\n", b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);

	snprintf(in, sizeof(in),
		 "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n%s"
		 "Fin de Project Gutenberg de X\nlicence\n", b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);

	/* The 2024 source file: a BOM, the marker on line 1. */
	snprintf(in, sizeof(in),
		 "\xef\xbb\xbf*** START OF THE PROJECT GUTENBERG EBOOK 1342 "
		 "***\r\n%s*** END OF THE PROJECT GUTENBERG EBOOK 1342 ***\r\n",
		 b);
	out = strip_str(in, &res);
	ck_assert_str_eq(out, b);
	free(out);
	free(b);
}
END_TEST

START_TEST(strip_no_markers_unchanged)
{
	static const char in[] = "\xef\xbb\xbf\r\n  just a text\r\n\r\n\x1a";
	struct fp_strip_result res;
	size_t len;
	int fd = mem_fd(in, sizeof(in) - 1);
	char *out = strip_fd(fd, &res, &len);

	close(fd);
	ck_assert(!res.found_start && !res.found_end);
	ck_assert_uint_eq(len, sizeof(in) - 1);
	ck_assert_int_eq(memcmp(out, in, len), 0);
	free(out);

	out = strip_str("", &res);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

START_TEST(strip_only_one_marker)
{
	struct fp_strip_result res;
	char *out = strip_str("\n\nText on.\nMore.\n\nEnd of the Project "
			      "Gutenberg EBook\nlicence\n",
			      &res);

	ck_assert(!res.found_start && res.found_end);
	ck_assert_str_eq(out, "Text on.\nMore.\n");
	free(out);
	out = strip_str("*** START OF THE PROJECT GUTENBERG EBOOK X ***\n"
			"Text.\nTHE END\n\x1a",
			&res);
	ck_assert(res.found_start && !res.found_end);
	ck_assert_str_eq(out, "Text.\nTHE END\n");
	free(out);
	out = strip_str("*** START OF THE PROJECT GUTENBERG EBOOK X ***\n\n"
			"*** END OF THE PROJECT GUTENBERG EBOOK X ***\n",
			&res);
	ck_assert_str_eq(out, "");
	free(out);
}
END_TEST

/* In a big text, markers in the middle half do not count. */
START_TEST(strip_windows)
{
	int n = 40000; /* about 450 KB: each window is a quarter */
	char *b = body(n), *in, *out, *mid;
	size_t blen = strlen(b), k, from, to;
	struct fp_strip_result res;

	in = malloc(blen * 2 + 1024);
	mid = strstr(b, "line 20000\n");
	ck_assert_ptr_nonnull(mid);
	/* An end marker quoted in the middle, a start marker too. */
	k = (size_t)sprintf(in, "H\n*** START OF THE PROJECT GUTENBERG "
				"EBOOK X ***\n");
	from = k;
	memcpy(in + k, b, (size_t)(mid - b));
	k += (size_t)(mid - b);
	k += (size_t)sprintf(in + k, "End of the Project Gutenberg EBook "
				     "(quoted)\n*** START OF THE PROJECT "
				     "GUTENBERG EBOOK Y ***\n");
	memcpy(in + k, mid, blen - (size_t)(mid - b));
	k += blen - (size_t)(mid - b);
	to = k;
	k += (size_t)sprintf(in + k, "*** END OF THE PROJECT GUTENBERG "
				     "EBOOK X ***\nlicence\n");
	in[k] = '\0';
	out = strip_str(in, &res);
	ck_assert(res.found_start && res.found_end);
	ck_assert_int_eq(res.start, (int64_t)from);
	ck_assert_int_eq(res.end, (int64_t)to);
	ck_assert_uint_eq(strlen(out), to - from);
	ck_assert_int_eq(memcmp(out, in + from, to - from), 0);
	free(out);

	/* A start marker past the first window is ignored: no start. */
	k = (size_t)sprintf(in, "%s*** START OF THE PROJECT GUTENBERG EBOOK "
				"X ***\nTail.\n", b);
	out = strip_str(in, &res);
	ck_assert(!res.found_start && !res.found_end);
	ck_assert_str_eq(out, in);
	free(out);
	free(in);
	free(b);
}
END_TEST

START_TEST(strip_read_error)
{
	struct fp_strip_result res;

	ck_assert_int_eq(fp_strip_scan(-1, &res), FP_EIO);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("strip");
	TCase *tc = unit_tcase("strip");

	tcase_add_test(tc, strip_marker_forms);
	tcase_add_loop_test(tc, strip_every_fixture, 0,
			    (int)(sizeof(fixtures) / sizeof(fixtures[0])));
	tcase_add_test(tc, strip_small_print_era);
	tcase_add_test(tc, strip_wrapped_and_foreign);
	tcase_add_test(tc, strip_no_markers_unchanged);
	tcase_add_test(tc, strip_only_one_marker);
	tcase_add_test(tc, strip_windows);
	tcase_add_test(tc, strip_read_error);
	suite_add_tcase(s, tc);
	return s;
}
