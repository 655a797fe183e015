/* Split plans and the ranges file: the ranges tile the body, the file
 * round-trips, and anything this program did not write (or that does not
 * tile the body) is refused rather than trusted. Also the out-of-order
 * writes of outfile (set_length, pwrite). */
#include "runner.h"
#include "scratch.h"

#include "error.h"
#include "outfile.h"
#include "split.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];
static int dirfd_;

static void setup(void)
{
	dirfd_ = unit_scratch_make(tmpdir, sizeof(tmpdir), "split", 1);
}

static void teardown(void)
{
	unit_scratch_remove(tmpdir, dirfd_);
}

static void put(const char *name, const char *text)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(plan_tiles)
{
	static const struct {
		int64_t total, min;
		unsigned parts, want;
	} cases[] = {
		{ 100, 10, 4, 4 },  { 100, 30, 4, 3 }, { 100, 50, 4, 2 },
		{ 99, 50, 4, 1 },   { 100, 60, 4, 1 }, { 1000, 1, 16, 16 },
		{ 1000, 1, 99, 16 }, { 7, 1, 4, 4 },   { 5, 1, 0, 1 },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct fp_split s;
		int64_t at = 0;
		unsigned i, n;

		n = fp_split_plan(&s, cases[k].total, cases[k].parts,
				  cases[k].min);
		ck_assert_uint_eq(n, cases[k].want);
		ck_assert_uint_eq(s.n, n);
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(s.r[i].start, at);
			ck_assert_int_gt(s.r[i].end, s.r[i].start);
			ck_assert_int_eq(s.r[i].got, 0);
			if (n > 1)
				ck_assert_int_ge(s.r[i].end - s.r[i].start,
						 cases[k].min);
			at = s.r[i].end;
		}
		ck_assert_int_eq(at, cases[k].total);
		ck_assert_int_eq(fp_split_have(&s), 0);
	}
}
END_TEST

START_TEST(validator_choice)
{
	ck_assert_str_eq(fp_split_validator("\"abc\"", "Mon, 01 Jan 2024"),
			 "\"abc\"");
	/* A weak ETag cannot guard a range: the date can. */
	ck_assert_str_eq(fp_split_validator("W/\"abc\"", "Mon, 01 Jan 2024"),
			 "Mon, 01 Jan 2024");
	ck_assert_ptr_null(fp_split_validator("W/\"abc\"", ""));
	ck_assert_ptr_null(fp_split_validator("", ""));
	ck_assert_ptr_null(fp_split_validator(NULL, NULL));
}
END_TEST

START_TEST(save_load_forget)
{
	struct fp_split s, t;
	struct stat st;

	fp_split_plan(&s, 1000, 4, 100);
	snprintf(s.validator, sizeof(s.validator), "\"v1\"");
	snprintf(s.last_modified, sizeof(s.last_modified),
		 "Wed, 02 Dec 2026 08:20:33 GMT");
	s.r[0].got = 250;
	s.r[2].got = 17;
	ck_assert_int_eq(fp_split_save(dirfd_, "f.bin", &s), FP_OK);
	ck_assert_int_eq(fstatat(dirfd_, "f.bin.part.ranges.tmp", &st, 0), -1);
	ck_assert_int_eq(fp_split_load(dirfd_, "f.bin", &t), FP_OK);
	ck_assert_int_eq(t.total, 1000);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(t.validator, "\"v1\"");
	ck_assert_str_eq(t.last_modified, "Wed, 02 Dec 2026 08:20:33 GMT");
	ck_assert_int_eq(t.r[0].got, 250);
	ck_assert_int_eq(t.r[1].got, 0);
	ck_assert_int_eq(t.r[2].got, 17);
	ck_assert_int_eq(t.r[3].end, 1000);
	ck_assert_int_eq(fp_split_have(&t), 267);
	ck_assert_int_eq(fp_split_forget(dirfd_, "f.bin"), FP_OK);
	ck_assert_int_eq(fp_split_load(dirfd_, "f.bin", &t), FP_ENOENT);
	ck_assert_int_eq(fp_split_forget(dirfd_, "f.bin"), FP_OK);
}
END_TEST

/* Each must be refused: trusting one could splice a file. */
START_TEST(load_refuses)
{
	static const char *bad[] = {
		"",
		"fetchpool-ranges 2\nlength 10\nvalidator \"v\"\n"
		"range 0 10 0\n",
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 5 0\n", /* a hole at the end */
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 5 0\nrange 6 10 0\n", /* a gap */
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 6 0\nrange 5 10 0\n", /* an overlap */
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 10 11\n", /* more received than the range */
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 10 -1\n",
		"fetchpool-ranges 1\nlength 10\nrange 0 10 0\n", /* no guard */
		"fetchpool-ranges 1\nlength 10x\nvalidator \"v\"\n"
		"range 0 10 0\n",
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 10 0 9\n",
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"range 0 10 0\nsomething else\n",
		/* It goes back in an If-Range header: no CR, no control. */
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\r\n"
		"range 0 10 0\n",
		"fetchpool-ranges 1\nlength 10\nvalidator \"v\"\n"
		"modified Wed\x01\nrange 0 10 0\n",
	};
	struct fp_split s;
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		put("b.bin.part.ranges", bad[k]);
		ck_assert_msg(fp_split_load(dirfd_, "b.bin", &s) == FP_EPARSE,
			      "case %zu accepted", k);
	}
}
END_TEST

START_TEST(pwrite_out_of_order)
{
	struct fp_outfile *o;
	struct stat st;
	char buf[16];
	int fd;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "o.bin", 0, NULL), FP_OK);
	ck_assert_int_eq(fp_outfile_set_length(o, 12), FP_OK);
	ck_assert_int_eq(fp_outfile_size(o), 12);
	ck_assert_int_eq(fp_outfile_pwrite(o, "WXYZ", 4, 8), FP_OK);
	ck_assert_int_eq(fp_outfile_pwrite(o, "abcd", 4, 0), FP_OK);
	ck_assert_int_eq(fp_outfile_pwrite(o, "1234", 4, 4), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_OK);
	fp_outfile_close(o);
	ck_assert_int_eq(fstatat(dirfd_, "o.bin", &st, 0), 0);
	ck_assert_int_eq(st.st_size, 12);
	fd = openat(dirfd_, "o.bin", O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 12);
	close(fd);
	ck_assert_int_eq(memcmp(buf, "abcd1234WXYZ", 12), 0);
}
END_TEST

START_TEST(dropped_counts_truncated_bytes)
{
	struct fp_outfile *o;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "d.bin", 0, NULL), FP_OK);
	ck_assert_int_eq(fp_outfile_dropped(o), 0);
	ck_assert_int_eq(fp_outfile_write(o, "hello", 5), FP_OK);
	fp_outfile_close(o);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "d.bin", 0, NULL), FP_OK);
	ck_assert_int_eq(fp_outfile_dropped(o), 5);
	ck_assert_int_eq(fp_outfile_size(o), 0);
	fp_outfile_close(o);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("split");
	TCase *tc = unit_tcase("split");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, plan_tiles);
	tcase_add_test(tc, validator_choice);
	tcase_add_test(tc, save_load_forget);
	tcase_add_test(tc, load_refuses);
	tcase_add_test(tc, pwrite_out_of_order);
	tcase_add_test(tc, dropped_counts_truncated_bytes);
	suite_add_tcase(s, tc);
	return s;
}
