/* The books list file: the format, every option and its errors, URL
 * rules and credential redaction, and hostile input (binary junk, NUL,
 * invalid UTF-8, a 1 MiB line, CRLF, bad schemes), plus a million-line
 * stream that must not grow memory. */
#include "runner.h"
#include "listfile.h"
#include "digest.h"
#include "error.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JOBS 64

struct parsed {
	struct fp_listjob *job[MAX_JOBS];
	int n;
};

/* Parse len bytes of text; every job is checked for the invariants that
 * hold whatever the input. */
static void parse_mem(const char *text, size_t len, struct parsed *out)
{
	struct fp_listfile *lf;
	struct fp_listjob *job;
	FILE *in = fmemopen((void *)text, len, "r");
	int rc;

	ck_assert_ptr_nonnull(in);
	out->n = 0;
	ck_assert_int_eq(fp_listfile_open(&lf, in, "books.txt"), FP_OK);
	ck_assert_str_eq(fp_listfile_name(lf), "books.txt");
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		ck_assert_ptr_nonnull(job);
		ck_assert_int_lt(out->n, MAX_JOBS);
		if (job->error) {
			ck_assert_uint_ge(job->err_line, job->line);
			ck_assert_ptr_null(job->url);
		} else {
			ck_assert_uint_eq(job->err_line, 0);
			ck_assert((job->url != NULL) != (job->id > 0));
			ck_assert_ptr_nonnull(job->source);
		}
		ck_assert_int_ge(job->priority, 1);
		ck_assert_int_le(job->priority, 5);
		out->job[out->n++] = job;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(job);
	/* finished: stays finished */
	ck_assert_int_eq(fp_listfile_next(lf, &job), 0);
	fp_listfile_close(lf);
	fclose(in);
}

static void parse_str(const char *text, struct parsed *out)
{
	parse_mem(text, strlen(text), out);
}

static void parsed_free(struct parsed *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		fp_listjob_free(p->job[i]);
	p->n = 0;
}

/* Parse text holding exactly one job and return it (caller frees). */
static struct fp_listjob *one(const char *text)
{
	struct parsed p;

	parse_str(text, &p);
	ck_assert_msg(p.n == 1, "%d jobs from \"%s\"", p.n, text);
	return p.job[0];
}

/* Assert that text gives one invalid job with exactly this reason. */
static void assert_invalid(const char *text, const char *reason)
{
	struct fp_listjob *job = one(text);

	ck_assert_msg(job->error != NULL, "\"%s\" accepted", text);
	ck_assert_str_eq(job->error, reason);
	fp_listjob_free(job);
}

static void assert_invalid_prefix(const char *text, const char *prefix)
{
	struct fp_listjob *job = one(text);

	ck_assert_msg(job->error != NULL, "\"%s\" accepted", text);
	ck_assert_msg(strncmp(job->error, prefix, strlen(prefix)) == 0,
		      "\"%s\": reason \"%s\"", text, job->error);
	fp_listjob_free(job);
}

START_TEST(test_spec_example)
{
	static const char text[] =
		"https://www.gutenberg.org/cache/epub/2600/pg2600.txt War and "
		"Peace\n"
		"1342 Pride and Prejudice\n"
		"  priority=1\n"
		"1661\n"
		"  out=sherlock.txt\n"
		"  sha256=4b7a000000000000000000000000000000000000000000000000"
		"00000000ffEE\n";
	struct parsed p;

	parse_str(text, &p);
	ck_assert_int_eq(p.n, 3);

	ck_assert_ptr_null(p.job[0]->error);
	ck_assert_uint_eq(p.job[0]->line, 1);
	ck_assert_str_eq(p.job[0]->url,
			 "https://www.gutenberg.org/cache/epub/2600/pg2600.txt");
	ck_assert_str_eq(p.job[0]->source, p.job[0]->url);
	ck_assert_int_eq(p.job[0]->id, 0);
	ck_assert_str_eq(p.job[0]->title, "War and Peace");
	ck_assert_int_eq(p.job[0]->priority, 3);
	ck_assert_ptr_null(p.job[0]->out);
	ck_assert_int_eq(p.job[0]->has_sha256, 0);

	ck_assert_ptr_null(p.job[1]->error);
	ck_assert_uint_eq(p.job[1]->line, 2);
	ck_assert_int_eq(p.job[1]->id, 1342);
	ck_assert_str_eq(p.job[1]->source, "1342");
	ck_assert_ptr_null(p.job[1]->url);
	ck_assert_str_eq(p.job[1]->title, "Pride and Prejudice");
	ck_assert_int_eq(p.job[1]->priority, 1);

	ck_assert_ptr_null(p.job[2]->error);
	ck_assert_uint_eq(p.job[2]->line, 4);
	ck_assert_int_eq(p.job[2]->id, 1661);
	ck_assert_ptr_null(p.job[2]->title);
	ck_assert_str_eq(p.job[2]->out, "sherlock.txt");
	ck_assert_int_eq(p.job[2]->has_sha256, 1);
	ck_assert_uint_eq(p.job[2]->sha256[0], 0x4b);
	ck_assert_uint_eq(p.job[2]->sha256[1], 0x7a);
	ck_assert_uint_eq(p.job[2]->sha256[30], 0xff);
	ck_assert_uint_eq(p.job[2]->sha256[31], 0xee);
	parsed_free(&p);
}
END_TEST

START_TEST(test_layout)
{
	/* BOM, CRLF, comments (also indented ones, also between a job and its
	 * options), blank and whitespace-only lines, tabs, no final newline */
	static const char text[] =
		"\xef\xbb\xbf# list\r\n"
		"\r\n"
		"   \t \r\n"
		"  # an indented comment is a comment\n"
		"120\tTreasure   Island \t\r\n"
		"# comment between a job and its options\n"
		"\tpriority = 2\r\n"
		"\n"
		"\t title=  Treasure\tIsland (1883)  \r\n"
		"844\r\n"
		"HTTPS://127.0.0.1:8080/a/b.txt";
	struct parsed p;

	parse_str(text, &p);
	ck_assert_int_eq(p.n, 3);
	ck_assert_ptr_null(p.job[0]->error);
	ck_assert_uint_eq(p.job[0]->line, 5);
	ck_assert_int_eq(p.job[0]->id, 120);
	ck_assert_str_eq(p.job[0]->title, "Treasure Island (1883)");
	ck_assert_int_eq(p.job[0]->priority, 2);
	ck_assert_ptr_null(p.job[1]->error);
	ck_assert_int_eq(p.job[1]->id, 844);
	ck_assert_ptr_null(p.job[1]->title);
	ck_assert_uint_eq(p.job[1]->line, 10);
	ck_assert_ptr_null(p.job[2]->error);
	ck_assert_str_eq(p.job[2]->url, "HTTPS://127.0.0.1:8080/a/b.txt");
	ck_assert_uint_eq(p.job[2]->line, 11);
	parsed_free(&p);

	/* Titles keep inner spacing but lose tabs and the CR. */
	{
		struct fp_listjob *job = one("7256 The  Gift\tof the Magi\r\n");

		ck_assert_str_eq(job->title, "The  Gift of the Magi");
		fp_listjob_free(job);
	}
	/* Empty input and comment-only input give no jobs. */
	parse_str("", &p);
	ck_assert_int_eq(p.n, 0);
	parse_str("# nothing\n\n   \n", &p);
	ck_assert_int_eq(p.n, 0);
}
END_TEST

START_TEST(test_ids)
{
	struct fp_listjob *job;

	job = one("2147483647\n");
	ck_assert_ptr_null(job->error);
	ck_assert_int_eq(job->id, 2147483647L);
	fp_listjob_free(job);
	job = one("007 Bond\n");
	ck_assert_ptr_null(job->error);
	ck_assert_int_eq(job->id, 7);
	ck_assert_str_eq(job->source, "007");
	fp_listjob_free(job);

	assert_invalid("0\n", "ID must be 1..2147483647");
	assert_invalid("2147483648\n", "ID must be 1..2147483647");
	assert_invalid("99999999999999999999999999999999\n",
		       "ID must be 1..2147483647");
	assert_invalid("12abc\n", "expected an http(s) URL or a Gutenberg ID");
	assert_invalid("-5\n", "expected an http(s) URL or a Gutenberg ID");
	assert_invalid("www.gutenberg.org/cache/epub/1/pg1.txt\n",
		       "expected an http(s) URL or a Gutenberg ID");
}
END_TEST

/* strip=yes|no, and -1 when not given (--strip-headers decides). */
START_TEST(test_option_strip)
{
	struct parsed p;

	parse_str("1\n  strip=yes\n2\n  strip = no\n3\n", &p);
	ck_assert_int_eq(p.n, 3);
	ck_assert_ptr_null(p.job[0]->error);
	ck_assert_int_eq(p.job[0]->strip, 1);
	ck_assert_int_eq(p.job[1]->strip, 0);
	ck_assert_int_eq(p.job[2]->strip, -1);
	parsed_free(&p);
}
END_TEST

START_TEST(test_options_invalid)
{
	struct fp_listjob *job;

	assert_invalid("1\n  priority=9\n", "priority must be 1..5");
	assert_invalid("1\n  priority=0\n", "priority must be 1..5");
	assert_invalid("1\n  priority=\n", "priority must be 1..5");
	assert_invalid("1\n  priority=11\n", "priority must be 1..5");
	assert_invalid("1\n  priority=high\n", "priority must be 1..5");
	assert_invalid("1\n  col our=blue\n",
		       "unknown option (accepted: out, dir, priority, sha256, "
		       "checksum, title, header, strip, split)");
	assert_invalid("1\n  =1\n",
		       "unknown option (accepted: out, dir, priority, sha256, "
		       "checksum, title, header, strip, split)");
	assert_invalid("1\n  \xc3\xa9t\xc3\xa9=1\n",
		       "unknown option (accepted: out, dir, priority, sha256, "
		       "checksum, title, header, strip, split)");
	assert_invalid("1\n  priority 1\n",
		       "option must be key=value (keys: out, dir, priority, "
		       "sha256, checksum, title, header, strip, split)");
	assert_invalid("1\n  priority=1\n  priority=2\n",
		       "duplicate option 'priority'");
	assert_invalid("1\n  strip=maybe\n", "strip must be yes or no");
	assert_invalid("1\n  strip=YES\n", "strip must be yes or no");
	assert_invalid("1\n  strip=yes\n  strip=no\n",
		       "duplicate option 'strip'");
	assert_invalid("1\n  sha256=abc\n", "sha256 must be 64 hex digits");
	assert_invalid("1\n  sha256=zz00000000000000000000000000000000000000"
		       "00000000000000000000000000\n",
		       "sha256 must be 64 hex digits");
	assert_invalid("1\n  title=\n", "title must not be empty");
	assert_invalid("1\n  out=../../x\n",
		       "out must be a plain file name: it contains '/'");
	assert_invalid("1\n  out=/etc/x\n",
		       "out must be a plain file name: it contains '/'");
	assert_invalid("1\n  out=.hidden\n",
		       "out must be a plain file name: it starts with '.' "
		       "(hidden)");
	assert_invalid("1\n  out=..\n",
		       "out must be a plain file name: it is '.' or '..'");
	assert_invalid("1\n  out=\n", "out must be a plain file name: it is "
				      "empty");
	assert_invalid("1\n  out=x.part\n",
		       "out must be a plain file name: it ends in .part "
		       "(reserved for partial downloads)");
	assert_invalid("1\n  out=.fetchpool.lock\n",
		       "out must be a plain file name: it starts with '.' "
		       "(hidden)");

	/* The error names the option line; the job keeps its own line. */
	job = one("# x\n1342 P&P\n  out=ok.txt\n  priority=9\n  title=x\n");
	ck_assert_uint_eq(job->line, 2);
	ck_assert_uint_eq(job->err_line, 4);
	ck_assert_str_eq(job->error, "priority must be 1..5");
	ck_assert_str_eq(job->source, "1342");
	fp_listjob_free(job);

	/* First error wins. */
	job = one("1\n  f/oo=1\n  priority=9\n");
	ck_assert_uint_eq(job->err_line, 2);
	fp_listjob_free(job);
}
END_TEST

/* An invalid job does not disturb its neighbours. */
START_TEST(test_invalid_skipped_with_options)
{
	static const char text[] =
		"ftp://example.org/a.txt\n"
		"  priority=1\n"
		"  out=a.txt\n"
		"1342\n"
		"  priority=7\n"
		"  out=pp.txt\n"
		"1661\n"
		"  out=sh.txt\n";
	struct parsed p;

	parse_str(text, &p);
	ck_assert_int_eq(p.n, 3);
	ck_assert_str_eq(p.job[0]->error,
			 "unsupported scheme 'ftp' (only http and https)");
	ck_assert_uint_eq(p.job[0]->line, 1);
	ck_assert_str_eq(p.job[1]->error, "priority must be 1..5");
	ck_assert_uint_eq(p.job[1]->err_line, 5);
	ck_assert_ptr_null(p.job[2]->error);
	ck_assert_str_eq(p.job[2]->out, "sh.txt");
	ck_assert_uint_eq(p.job[2]->line, 7);
	parsed_free(&p);
}
END_TEST

START_TEST(test_orphan_option)
{
	struct parsed p;

	parse_str("  priority=1\n\tout=x\n1342\n", &p);
	ck_assert_int_eq(p.n, 3);
	ck_assert_str_eq(p.job[0]->error,
			 "option line without a job line above");
	ck_assert_uint_eq(p.job[0]->line, 1);
	ck_assert_ptr_null(p.job[0]->source);
	ck_assert_str_eq(p.job[1]->error,
			 "option line without a job line above");
	ck_assert_uint_eq(p.job[1]->line, 2);
	ck_assert_ptr_null(p.job[2]->error);
	ck_assert_int_eq(p.job[2]->id, 1342);
	parsed_free(&p);
}
END_TEST

START_TEST(test_schemes)
{
	struct fp_listjob *job;

	assert_invalid("file:///etc/passwd\n",
		       "unsupported scheme 'file' (only http and https)");
	assert_invalid("ftp://ftp.example.org/pub/x.txt\n",
		       "unsupported scheme 'ftp' (only http and https)");
	assert_invalid("gopher://gopher.example.org/0/x\n",
		       "unsupported scheme 'gopher' (only http and https)");
	assert_invalid("GOPHER://g/\n",
		       "unsupported scheme 'gopher' (only http and https)");
	assert_invalid("javascript:alert(1)\n",
		       "unsupported scheme 'javascript' (only http and "
		       "https)");
	assert_invalid("mailto:a@b.c\n",
		       "unsupported scheme 'mailto' (only http and https)");
	assert_invalid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa://x/\n",
		       "unsupported scheme (only http and https)");
	assert_invalid("http:///no/host\n", "URL has no host");
	assert_invalid("https://?q\n", "URL has no host");
	assert_invalid("http:/h/x\n",
		       "invalid URL (expected scheme://host/path)");
	assert_invalid("http:h\n", "invalid URL (expected scheme://host/path)");
	/* libcurl's own reasons vary between versions: check the prefix */
	assert_invalid_prefix("http://:80/x\n", "invalid URL (");
	assert_invalid_prefix("http://h\\x/y\n", "invalid URL (");
	assert_invalid_prefix("http://[zz]/\n", "invalid URL (");

	assert_invalid("https://\n", "URL has no host");
	assert_invalid_prefix("http://127.0.0.1:99999/x\n", "invalid URL (");
	assert_invalid_prefix("https://[::1/x\n", "invalid URL (");

	job = one("http://[::1]:8080/a%20b.txt?q=1#f Title\n");
	ck_assert_ptr_null(job->error);
	ck_assert_str_eq(job->url, "http://[::1]:8080/a%20b.txt?q=1#f");
	ck_assert_str_eq(job->title, "Title");
	fp_listjob_free(job);
}
END_TEST

static void assert_no_secret(const struct fp_listjob *job)
{
	ck_assert_msg(!job->source || !strstr(job->source, "s3cret"),
		      "source leaks: %s", job->source);
	ck_assert_msg(!job->error || !strstr(job->error, "s3cret"),
		      "error leaks: %s", job->error);
	ck_assert_msg(!job->title || !strstr(job->title, "s3cret"),
		      "title leaks");
}

START_TEST(test_credentials)
{
	static const char text[] =
		"https://alice:s3cret@books.example.org/a/pg1.txt Book\n"
		"http://s3cret@127.0.0.1:8080/b.txt\n"
		"ftp://bob:s3cret@ftp.example.org/x\n"
		"https://bob:s3cret@host:99999/x\n"
		"https://bob:s3/cret@host/x\n"
		"https://bob:s3cret@/x\n"
		"https://bob:s3?cret@host/x\n"
		"https://bob:s3cret@host/x\n"
		"  priority=9\n"
		"https://bob:s3cret@host/y\n"
		"  bogus=s3cret\n";
	struct parsed p;
	int i;

	parse_str(text, &p);
	ck_assert_int_eq(p.n, 9);
	for (i = 0; i < p.n; i++)
		assert_no_secret(p.job[i]);

	ck_assert_ptr_null(p.job[0]->error);
	ck_assert_str_eq(p.job[0]->source,
			 "https://books.example.org/a/pg1.txt");
	/* the request needs the credentials */
	ck_assert_str_eq(p.job[0]->url,
			 "https://alice:s3cret@books.example.org/a/pg1.txt");
	ck_assert_ptr_null(p.job[1]->error);
	ck_assert_str_eq(p.job[1]->source, "http://127.0.0.1:8080/b.txt");
	ck_assert_str_eq(p.job[2]->source, "ftp://ftp.example.org/x");
	ck_assert_str_eq(p.job[2]->error,
			 "unsupported scheme 'ftp' (only http and https)");
	for (i = 3; i <= 6; i++)
		ck_assert_msg(p.job[i]->error != NULL, "job %d accepted", i);
	ck_assert_str_eq(p.job[7]->error, "priority must be 1..5");
	/* An unknown key is ignored; its value goes nowhere. */
	ck_assert_ptr_null(p.job[8]->error);
	parsed_free(&p);
}
END_TEST

START_TEST(test_bad_bytes)
{
	static const char text[] =
		"1342 Pride\0and Prejudice\n"             /* 1: NUL */
		"1661 Caf\xe9 Latin-1\n"                  /* 2: invalid UTF-8 */
		"120 \x1b[31mred\x1b[0m\n"                /* 3: ESC */
		"844 a\rb\n"                              /* 4: bare CR */
		"1080 \xc2\x9b" "2J\n"                    /* 5: C1 control */
		"7256 Gift\n"                             /* 6: fine */
		"  title=\xff\xfe\n"                      /* 7: bad option */
		"# comment with \xff and \0 is ignored\n" /* 8 */
		"11 \xe2\x80\x9c" "Curly\xe2\x80\x9d\n";     /* 9: fine */
	struct parsed p;

	parse_mem(text, sizeof(text) - 1, &p);
	ck_assert_int_eq(p.n, 7);
	ck_assert_str_eq(p.job[0]->error, "NUL byte in line");
	ck_assert_ptr_null(p.job[0]->source);
	ck_assert_str_eq(p.job[1]->error, "invalid UTF-8");
	ck_assert_uint_eq(p.job[1]->line, 2);
	ck_assert_str_eq(p.job[2]->error, "control character in line");
	ck_assert_str_eq(p.job[3]->error, "control character in line");
	ck_assert_str_eq(p.job[4]->error, "control character in line");
	ck_assert_str_eq(p.job[5]->error, "invalid UTF-8");
	ck_assert_uint_eq(p.job[5]->line, 6);
	ck_assert_uint_eq(p.job[5]->err_line, 7);
	ck_assert_ptr_null(p.job[6]->error);
	ck_assert_uint_eq(p.job[6]->line, 9);
	ck_assert_str_eq(p.job[6]->title,
			 "\xe2\x80\x9c" "Curly\xe2\x80\x9d");
	parsed_free(&p);
}
END_TEST

/* A 1 MiB line: reported, skipped without being stored, the next line
 * parsed with the right number. Also as an option and as a comment. */
START_TEST(test_long_lines)
{
	size_t big = 1024 * 1024, n;
	char *text = malloc(3 * big + 256), *p = text;
	struct parsed r;

	p += sprintf(p, "1342\n");
	memset(p, 'a', big); /* 2: job line */
	p += big;
	p += sprintf(p, "\n1661\n  title=");
	memset(p, 't', big); /* 4: option line */
	p += big;
	p += sprintf(p, "\n  priority=1\n#");
	memset(p, 'c', big); /* 6: comment */
	p += big;
	p += sprintf(p, "\n120 Treasure Island");
	n = (size_t)(p - text);

	parse_mem(text, n, &r);
	ck_assert_int_eq(r.n, 4);
	ck_assert_ptr_null(r.job[0]->error);
	ck_assert_str_eq(r.job[1]->error, "line too long (limit 65536 bytes)");
	ck_assert_uint_eq(r.job[1]->line, 2);
	ck_assert_ptr_null(r.job[1]->source);
	ck_assert_str_eq(r.job[2]->error, "line too long (limit 65536 bytes)");
	ck_assert_uint_eq(r.job[2]->line, 3);
	ck_assert_uint_eq(r.job[2]->err_line, 4);
	ck_assert_ptr_null(r.job[3]->error);
	ck_assert_uint_eq(r.job[3]->line, 7);
	ck_assert_str_eq(r.job[3]->title, "Treasure Island");
	parsed_free(&r);

	/* Exactly at the limit is fine, also with CRLF; one more is not. */
	p = text;
	p += sprintf(p, "1 ");
	memset(p, 'x', FP_LISTFILE_LINE_MAX - 2);
	p += FP_LISTFILE_LINE_MAX - 2;
	p += sprintf(p, "\r\n2 ");
	memset(p, 'y', FP_LISTFILE_LINE_MAX - 1);
	p += FP_LISTFILE_LINE_MAX - 1;
	p += sprintf(p, "\n3");
	parse_mem(text, (size_t)(p - text), &r);
	ck_assert_int_eq(r.n, 3);
	ck_assert_ptr_null(r.job[0]->error);
	ck_assert_uint_eq(strlen(r.job[0]->title), FP_LISTFILE_LINE_MAX - 2);
	ck_assert_str_eq(r.job[1]->error, "line too long (limit 65536 bytes)");
	ck_assert_ptr_null(r.job[2]->error);
	ck_assert_int_eq(r.job[2]->id, 3);
	parsed_free(&r);
	free(text);
}
END_TEST

/* Binary junk: whatever comes out, nothing crashes, every job is either
 * clean or carries a reason, and the parser reaches the end. */
START_TEST(test_binary_junk)
{
	size_t len = 256 * 1024, i;
	unsigned char *junk = malloc(len);
	unsigned long x = 0x12345678UL;
	struct fp_listfile *lf;
	struct fp_listjob *job;
	FILE *in;
	int rc, jobs = 0, invalid = 0;

	for (i = 0; i < len; i++) {
		x = x * 1103515245UL + 12345UL;
		junk[i] = (unsigned char)(x >> 16);
	}
	in = fmemopen(junk, len, "r");
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fp_listfile_open(&lf, in, NULL), FP_OK);
	ck_assert_str_eq(fp_listfile_name(lf), "-");
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		jobs++;
		if (job->error)
			invalid++;
		fp_listjob_free(job);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_gt(jobs, 100);
	ck_assert_int_eq(invalid, jobs);
	fp_listfile_close(lf);
	fclose(in);
	free(junk);
}
END_TEST

/* A generated input stream: "N\n" lines, counted, never stored. */
struct gen {
	long next, last;
	char pending[32];
	size_t plen, ppos;
	int fail_after; /* reads before an error; -1 = never */
};

static ssize_t gen_read(void *cookie, char *buf, size_t size)
{
	struct gen *g = cookie;
	size_t done = 0;

	if (g->fail_after == 0)
		return -1;
	if (g->fail_after > 0)
		g->fail_after--;
	while (done < size) {
		if (g->ppos == g->plen) {
			if (g->next > g->last)
				break;
			g->plen = (size_t)snprintf(g->pending,
						   sizeof(g->pending),
						   "%ld\n", g->next++);
			g->ppos = 0;
		}
		buf[done++] = g->pending[g->ppos++];
	}
	return (ssize_t)done;
}

START_TEST(test_million_lines_flat_memory)
{
	cookie_io_functions_t io = { .read = gen_read };
	struct gen g = { .next = 1, .last = 1000000, .fail_after = -1 };
	struct fp_listfile *lf;
	struct fp_listjob *job;
	struct mallinfo2 at_1k = { 0 }, at_end;
	FILE *in = fopencookie(&g, "r", io);
	long count = 0, wrong = 0;
	int rc;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fp_listfile_open(&lf, in, "gen"), FP_OK);
	/* Plain checks in the loop: each Check assertion costs a write(). */
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		count++;
		if (job->error || job->id != count ||
		    job->line != (unsigned)count)
			wrong++;
		fp_listjob_free(job);
		if (count == 1000)
			at_1k = mallinfo2();
	}
	at_end = mallinfo2();
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(count, 1000000);
	ck_assert_int_eq(wrong, 0);
	/* Heap in use after a million jobs is what it was after a thousand
	 * (allowing allocator noise); under sanitizers both read 0. */
	ck_assert_msg(at_end.uordblks <= at_1k.uordblks + 65536,
		      "heap grew from %zu to %zu", at_1k.uordblks,
		      at_end.uordblks);
	fp_listfile_close(lf);
	fclose(in);
}
END_TEST

START_TEST(test_read_error)
{
	cookie_io_functions_t io = { .read = gen_read };
	struct gen g = { .next = 1, .last = 1000000, .fail_after = 1 };
	struct fp_listfile *lf;
	struct fp_listjob *job;
	FILE *in = fopencookie(&g, "r", io);
	int rc, jobs = 0;

	ck_assert_ptr_nonnull(in);
	setvbuf(in, NULL, _IOFBF, 4096);
	ck_assert_int_eq(fp_listfile_open(&lf, in, "gen"), FP_OK);
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		jobs++;
		fp_listjob_free(job);
	}
	ck_assert_int_eq(rc, FP_EIO);
	ck_assert_ptr_null(job);
	ck_assert_int_gt(jobs, 0);
	ck_assert_int_eq(fp_listfile_next(lf, &job), FP_EIO);
	fp_listfile_close(lf);
	fclose(in);
}
END_TEST

START_TEST(test_args)
{
	struct fp_listfile *lf = NULL;
	struct fp_listjob *job;

	ck_assert_int_eq(fp_listfile_open(&lf, NULL, "x"), FP_EINVAL);
	ck_assert_int_eq(fp_listfile_open(NULL, stdin, "x"), FP_EINVAL);
	ck_assert_int_eq(fp_listfile_next(NULL, &job), FP_EINVAL);
	fp_listfile_close(NULL);
	fp_listjob_free(NULL);
}
END_TEST

/* The sample list shipped at the top of the tree parses cleanly. */
START_TEST(test_books_txt)
{
	static const struct {
		long id;
		const char *title;
	} want[] = {
		{ 2600, "War and Peace" },
		{ 1342, "Pride and Prejudice" },
		{ 1661, "The Adventures of Sherlock Holmes" },
		{ 120, "Treasure Island" },
		{ 844, "The Importance of Being Earnest" },
		{ 1080, "A Modest Proposal" },
		{ 7256, "The Gift of the Magi" },
	};
	const char *top = getenv("TOP_SRCDIR");
	char path[4096], url[128];
	struct fp_listfile *lf;
	struct fp_listjob *job;
	FILE *in;
	int n = 0, rc;

	snprintf(path, sizeof(path), "%s/books.txt",
		 top && *top ? top : FP_TOP_SRCDIR);
	in = fopen(path, "r");
	ck_assert_msg(in != NULL, "cannot open %s", path);
	ck_assert_int_eq(fp_listfile_open(&lf, in, path), FP_OK);
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		ck_assert_int_lt(n, 7);
		ck_assert_ptr_null(job->error);
		snprintf(url, sizeof(url),
			 "https://www.gutenberg.org/cache/epub/%ld/pg%ld.txt",
			 want[n].id, want[n].id);
		ck_assert_str_eq(job->url, url);
		ck_assert_str_eq(job->title, want[n].title);
		fp_listjob_free(job);
		n++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(n, 7);
	fp_listfile_close(lf);
	fclose(in);
}
END_TEST

/* header= is repeatable, kept in order, and checked; a bad one makes the
 * job invalid with a reason that never quotes the value. */
START_TEST(test_header_key)
{
	struct parsed p;

	parse_str("http://h/a\n"
		  "  header=X-One: 1\n"
		  "  header = Cookie: id=SECRET \n"
		  "http://h/b\n"
		  "  header=Authorization SECRET\n"
		  "http://h/c\n"
		  "  header=Bad Name: SECRET\n"
		  "http://h/d\n",
		  &p);
	ck_assert_int_eq(p.n, 4);
	ck_assert_ptr_null(p.job[0]->error);
	ck_assert_uint_eq(p.job[0]->nheaders, 2);
	ck_assert_str_eq(p.job[0]->headers[0], "X-One: 1");
	ck_assert_str_eq(p.job[0]->headers[1], "Cookie: id=SECRET");
	ck_assert_ptr_nonnull(p.job[1]->error);
	ck_assert_uint_eq(p.job[1]->err_line, 5);
	ck_assert_ptr_null(strstr(p.job[1]->error, "SECRET"));
	ck_assert_ptr_nonnull(strstr(p.job[1]->error, "header=: "));
	ck_assert_ptr_nonnull(p.job[2]->error);
	ck_assert_ptr_null(strstr(p.job[2]->error, "SECRET"));
	ck_assert_ptr_null(p.job[3]->error);
	ck_assert_uint_eq(p.job[3]->nheaders, 0);
	parsed_free(&p);
}
END_TEST

/* dir=: a folder below the output directory, checked like out=. */
START_TEST(test_option_dir)
{
	struct fp_listjob *job;

	job = one("http://h/a.txt\n  dir=books/fr/\n  out=b.txt\n");
	ck_assert_ptr_null(job->error);
	ck_assert_str_eq(job->dir, "books/fr");
	ck_assert_str_eq(job->out, "b.txt");
	fp_listjob_free(job);
	job = one("1342\n  dir=a\n");
	ck_assert_ptr_null(job->error);
	ck_assert_str_eq(job->dir, "a");
	fp_listjob_free(job);
	job = one("1342\n");
	ck_assert_ptr_null(job->dir);
	fp_listjob_free(job);

#define DIR_BAD "dir must be a folder below the output directory: it "
	assert_invalid("1\n  dir=/tmp\n", DIR_BAD "is an absolute path");
	assert_invalid("1\n  dir=//\n", DIR_BAD "is an absolute path");
	assert_invalid("1\n  dir=..\n", DIR_BAD "has a '..' component");
	assert_invalid("1\n  dir=a/../..\n", DIR_BAD "has a '..' component");
	assert_invalid("1\n  dir=a/..\n", DIR_BAD "has a '..' component");
	assert_invalid("1\n  dir=./a\n", DIR_BAD "has a '.' component");
	assert_invalid("1\n  dir=a//b\n",
		       DIR_BAD "has an empty component ('//')");
	assert_invalid("1\n  dir=\n", DIR_BAD "is empty");
	assert_invalid("1\n  dir=a/.git\n", DIR_BAD "starts with '.' (hidden)");
	assert_invalid("1\n  dir=a\\b\n", DIR_BAD "contains '\\'");
	assert_invalid("1\n  dir=a\xe2\x80\xae\n",
		       DIR_BAD "contains a control character");
	assert_invalid("1\n  dir=a\n  dir=b\n", "duplicate option 'dir'");
#undef DIR_BAD
}
END_TEST

/* split=1..16, 0 when not given. */
START_TEST(test_option_split)
{
	struct fp_listjob *job;

	job = one("1\n  split=1\n");
	ck_assert_ptr_null(job->error);
	ck_assert_uint_eq(job->split, 1);
	fp_listjob_free(job);
	job = one("1\n  split = 16\n");
	ck_assert_uint_eq(job->split, 16);
	fp_listjob_free(job);
	job = one("1\n");
	ck_assert_uint_eq(job->split, 0);
	fp_listjob_free(job);
	assert_invalid("1\n  split=0\n", "split must be 1..16");
	assert_invalid("1\n  split=17\n", "split must be 1..16");
	assert_invalid("1\n  split=\n", "split must be 1..16");
	assert_invalid("1\n  split=-1\n", "split must be 1..16");
	assert_invalid("1\n  split=4x\n", "split must be 1..16");
	assert_invalid("1\n  split=0004\n", "split must be 1..16");
	assert_invalid("1\n  split=4294967300\n", "split must be 1..16");
	assert_invalid("1\n  split=2\n  split=3\n", "duplicate option 'split'");
}
END_TEST

/* Another downloader's keys: ignored, named once with their first line. */
START_TEST(test_ignored_keys)
{
	static const char text[] =
		"http://h/a.txt\n"
		"  continue=true\n"
		"  max-connection-per-server=4\n"
		"2\n"
		"  continue=false\n"
		"  referer=*\n"
		"  out=b.txt\n";
	struct fp_listfile *lf;
	struct fp_listjob *job;
	FILE *in = fmemopen((void *)text, sizeof(text) - 1, "r");
	char buf[256];
	int n = 0;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fp_listfile_open(&lf, in, "l"), FP_OK);
	ck_assert_uint_eq(fp_listfile_ignored(lf, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	while (fp_listfile_next(lf, &job) == 1) {
		ck_assert_ptr_null(job->error);
		n++;
		fp_listjob_free(job);
	}
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(fp_listfile_ignored(lf, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "continue (line 2), max-connection-per-server "
			      "(line 3), referer (line 6)");
	/* Cut to fit, always terminated. */
	ck_assert_uint_eq(fp_listfile_ignored(lf, buf, 12), 3);
	ck_assert_str_eq(buf, "continue (l");
	fp_listfile_close(lf);
	fclose(in);
}
END_TEST

/* Past 16 distinct keys the rest are counted, memory stays fixed. */
START_TEST(test_ignored_keys_capped)
{
	char text[4096], buf[1024];
	struct fp_listfile *lf;
	struct fp_listjob *job;
	size_t used = 0;
	FILE *in;
	int i;

	used += (size_t)snprintf(text, sizeof(text), "1\n");
	for (i = 0; i < 20; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "  k%02d=1\n", i);
	in = fmemopen(text, used, "r");
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(fp_listfile_open(&lf, in, "l"), FP_OK);
	while (fp_listfile_next(lf, &job) == 1)
		fp_listjob_free(job);
	ck_assert_uint_eq(fp_listfile_ignored(lf, buf, sizeof(buf)), 20);
	ck_assert_ptr_nonnull(strstr(buf, "k15 (line 17) and up to 4 more"));
	ck_assert_ptr_null(strstr(buf, "k16"));
	fp_listfile_close(lf);
	fclose(in);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("listfile");
	TCase *fmt = unit_tcase("format");
	TCase *url = unit_tcase("urls");
	TCase *bad = unit_tcase("hostile");

	tcase_add_test(fmt, test_spec_example);
	tcase_add_test(fmt, test_layout);
	tcase_add_test(fmt, test_ids);
	tcase_add_test(fmt, test_options_invalid);
	tcase_add_test(fmt, test_option_strip);
	tcase_add_test(fmt, test_option_dir);
	tcase_add_test(fmt, test_option_split);
	tcase_add_test(fmt, test_ignored_keys);
	tcase_add_test(fmt, test_ignored_keys_capped);
	tcase_add_test(fmt, test_invalid_skipped_with_options);
	tcase_add_test(fmt, test_orphan_option);
	tcase_add_test(fmt, test_args);
	tcase_add_test(fmt, test_books_txt);
	tcase_add_test(url, test_schemes);
	tcase_add_test(url, test_credentials);
	tcase_add_test(bad, test_bad_bytes);
	tcase_add_test(bad, test_long_lines);
	tcase_add_test(bad, test_binary_junk);
	tcase_add_test(bad, test_million_lines_flat_memory);
	tcase_add_test(bad, test_read_error);
	suite_add_tcase(s, fmt);
	suite_add_tcase(s, url);
	suite_add_tcase(s, bad);
	return s;
}
