/* CSV reader: the RFC 4180 cases (quoted fields, doubled quotes, line
 * breaks inside quotes, CRLF, LF and CR line ends, empty fields), the
 * lenient parts (BOM, empty lines, a quote inside an unquoted field),
 * malformed records reported and skipped without losing the next one,
 * and the same records whatever the read sizes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "runner.h"

/* A source over a string, handing out at most `step` bytes per read. */
struct src {
	const char *s;
	size_t len, pos, step;
	int fail_at; /* reads before a failure, or -1 */
};

static ssize_t src_read(void *ctx, void *buf, size_t len)
{
	struct src *s = ctx;
	size_t n = s->len - s->pos;

	if (s->fail_at == 0) {
		errno = EIO;
		return -1;
	}
	if (s->fail_at > 0)
		s->fail_at--;
	if (n > len)
		n = len;
	if (s->step && n > s->step)
		n = s->step;
	memcpy(buf, s->s + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/* Every record of TEXT as "LINE:f1|f2|..." or "LINE:!error", joined by
 * newlines, read STEP bytes at a time (0: as much as asked). */
static char *dump(const char *text, size_t len, size_t step)
{
	struct src s = { text, len, 0, step, -1 };
	struct fp_csv *c;
	struct fp_csv_record r;
	size_t cap = 4 * len + 4096, n = 0, i;
	char *out = malloc(cap);
	int rc;

	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	ck_assert_int_eq(fp_csv_open(&c, src_read, &s), FP_OK);
	while ((rc = fp_csv_next(c, &r)) == 1) {
		n += (size_t)snprintf(out + n, cap - n, "%s%lu:", n ? "\n" : "",
				      r.line);
		if (r.error) {
			n += (size_t)snprintf(out + n, cap - n, "!%s",
					      r.error);
			continue;
		}
		for (i = 0; i < r.nfields; i++) {
			ck_assert_uint_eq(strlen(r.fields[i]), r.lens[i]);
			n += (size_t)snprintf(out + n, cap - n, "%s%s",
					      i ? "|" : "", r.fields[i]);
		}
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(fp_csv_next(c, &r), 0); /* sticky */
	fp_csv_close(c);
	return out;
}

/* The same dump, read whole and one byte at a time. */
static void check(const char *text, const char *want)
{
	size_t len = strlen(text);
	char *a = dump(text, len, 0), *b = dump(text, len, 1);

	ck_assert_str_eq(a, want);
	ck_assert_str_eq(b, want);
	free(a);
	free(b);
}

START_TEST(csv_plain_records)
{
	check("a,b,c\nd,e,f\n", "1:a|b|c\n2:d|e|f");
	check("a,b\r\nc,d\r\n", "1:a|b\n2:c|d");
	check("a,b\rc,d\r", "1:a|b\n2:c|d");
	check("last,without,newline", "1:last|without|newline");
	check("", "");
}
END_TEST

START_TEST(csv_quoted_fields)
{
	check("\"a,b\",\"c\"\"d\",\"\"\n", "1:a,b|c\"d|");
	check("\"\"\"\"\n", "1:\"");
	check("x,\"multi\nline\",y\nnext\n", "1:x|multi\nline|y\n3:next");
	check("x,\"crlf\r\ninside\",y\r\nnext\r\n",
	      "1:x|crlf\r\ninside|y\n3:next");
	check("\"a\nb\nc\"\n\"d\"\n", "1:a\nb\nc\n4:d");
}
END_TEST

START_TEST(csv_empty_fields_and_lines)
{
	check(",,\n", "1:||");
	check("a,,c\n", "1:a||c");
	check("a\n\n\r\n\nb\n", "1:a\n5:b");
	check("\n\na\n", "3:a");
	check("a,\n", "1:a|");
}
END_TEST

START_TEST(csv_lenient)
{
	check("\xef\xbb\xbfText#,Title\n1,x\n", "1:Text#|Title\n2:1|x");
	check("ab\"c,d\n", "1:ab\"c|d");
}
END_TEST

START_TEST(csv_malformed_records)
{
	check("\"ab\"c,d\nok,1\n", "1:!text after a closing quote\n2:ok|1");
	check("ok\n\"never closed,\nmore\n",
	      "1:ok\n2:!quoted field not closed at the end of the input");
	/* The bad record ends at its line end; quotes still count. */
	check("\"a\"b,\"x\ny\"\nz\n", "1:!text after a closing quote\n3:z");
}
END_TEST

START_TEST(csv_record_too_long)
{
	size_t big = FP_CSV_RECORD_MAX + 10, n = 0;
	char *t = malloc(big + 64), *a;

	ck_assert_ptr_nonnull(t);
	n += (size_t)sprintf(t, "1,\"");
	memset(t + n, 'x', big);
	n += big;
	n += (size_t)sprintf(t + n, ",\n\"\nnext,2\n");
	a = dump(t, n, 0);
	ck_assert_str_eq(a, "1:!record longer than 1 MiB\n3:next|2");
	free(a);
	free(t);
}
END_TEST

START_TEST(csv_too_many_fields)
{
	char *t = malloc(FP_CSV_FIELDS_MAX * 2 + 64), *a;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < FP_CSV_FIELDS_MAX + 5; i++)
		t[n++] = ',';
	n += (size_t)sprintf(t + n, "\nok\n");
	a = dump(t, n, 0);
	ck_assert_str_eq(a, "1:!more than 1024 fields\n2:ok");
	free(a);
	free(t);
}
END_TEST

START_TEST(csv_nul_byte_kept)
{
	static const char in[] = "a\0b,c\n";
	struct src s = { in, sizeof(in) - 1, 0, 0, -1 };
	struct fp_csv *c;
	struct fp_csv_record r;

	ck_assert_int_eq(fp_csv_open(&c, src_read, &s), FP_OK);
	ck_assert_int_eq(fp_csv_next(c, &r), 1);
	ck_assert_uint_eq(r.nfields, 2);
	ck_assert_uint_eq(r.lens[0], 3);
	ck_assert_int_eq(memcmp(r.fields[0], "a\0b", 3), 0);
	fp_csv_close(c);
}
END_TEST

START_TEST(csv_read_error)
{
	struct src s = { "a,b\nc,d\n", 8, 0, 4, 1 };
	struct fp_csv *c;
	struct fp_csv_record r;

	ck_assert_int_eq(fp_csv_open(&c, src_read, &s), FP_OK);
	ck_assert_int_eq(fp_csv_next(c, &r), 1); /* the first read's */
	ck_assert_int_eq(fp_csv_next(c, &r), FP_EIO);
	ck_assert_int_eq(fp_csv_next(c, &r), FP_EIO);
	fp_csv_close(c);
	fp_csv_close(NULL);
}
END_TEST

START_TEST(csv_lines_counted)
{
	struct src s = { "a\r\nb\rc\nd", 9, 0, 0, -1 };
	struct fp_csv *c;
	struct fp_csv_record r;

	ck_assert_int_eq(fp_csv_open(&c, src_read, &s), FP_OK);
	while (fp_csv_next(c, &r) == 1)
		;
	ck_assert_uint_eq(fp_csv_lines(c), 4);
	fp_csv_close(c);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = unit_tcase("csv");

	tcase_add_test(tc, csv_plain_records);
	tcase_add_test(tc, csv_quoted_fields);
	tcase_add_test(tc, csv_empty_fields_and_lines);
	tcase_add_test(tc, csv_lenient);
	tcase_add_test(tc, csv_malformed_records);
	tcase_add_test(tc, csv_record_too_long);
	tcase_add_test(tc, csv_too_many_fields);
	tcase_add_test(tc, csv_nul_byte_kept);
	tcase_add_test(tc, csv_read_error);
	tcase_add_test(tc, csv_lines_counted);
	suite_add_tcase(s, tc);
	return s;
}
