/* cmd/progress: line formats, the mode chosen for each setting, when lines
 * are drawn, and that lines printed from many threads never land inside
 * the status line. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fetchpool.h"
#include "output.h"
#include "progress.h"
#include "runner.h"

static struct fp_progress_snap snap(uint64_t done, uint64_t total, int known,
				    int64_t bytes, int64_t ms)
{
	struct fp_progress_snap s = { done, total, known, bytes, ms, 3,
				      "files" };
	return s;
}

START_TEST(plain_format)
{
	struct fp_progress_snap s = snap(45, 100, 1, 3200000, 12000);
	char buf[128];

	fp_progress_format_plain(buf, sizeof(buf), &s);
	ck_assert_str_eq(buf, "[12s] 45/100 files, 3.2 MB, 266.7 kB/s");
	s.total_known = 0;
	fp_progress_format_plain(buf, sizeof(buf), &s);
	ck_assert_str_eq(buf, "[12s] 45/? files, 3.2 MB, 266.7 kB/s");
	s = snap(0, 0, 0, 0, 0);
	s.unit = "requests";
	fp_progress_format_plain(buf, sizeof(buf), &s);
	ck_assert_str_eq(buf, "[0s] 0/? requests, 0 B, 0 B/s");
}
END_TEST

START_TEST(live_format)
{
	struct fp_progress_snap s = snap(5, 10, 1, 5000, 10000);
	char buf[256];
	size_t n;

	n = fp_progress_format_live(buf, sizeof(buf), &s, 200, 0);
	ck_assert_str_eq(buf, "5/10 files, 5.0 kB, 500 B/s, 10s, ETA 10s, "
			      "3 in flight");
	ck_assert_uint_eq(n, strlen(buf));
	/* Unknown total: no estimate. */
	s.total_known = 0;
	fp_progress_format_live(buf, sizeof(buf), &s, 200, 0);
	ck_assert_ptr_nonnull(strstr(buf, "5/? files"));
	ck_assert_ptr_nonnull(strstr(buf, "ETA ?"));
	/* Nothing done yet: no estimate either. */
	s = snap(0, 10, 1, 0, 3000);
	fp_progress_format_live(buf, sizeof(buf), &s, 200, 0);
	ck_assert_ptr_nonnull(strstr(buf, "ETA ?"));
	/* All done. */
	s = snap(10, 10, 1, 0, 3000);
	fp_progress_format_live(buf, sizeof(buf), &s, 200, 0);
	ck_assert_ptr_nonnull(strstr(buf, "ETA 0s"));
	/* Long runs. */
	s = snap(1, 4, 1, 0, 125000);
	fp_progress_format_live(buf, sizeof(buf), &s, 200, 0);
	ck_assert_ptr_nonnull(strstr(buf, ", 2m05s, ETA 6m15s,"));
}
END_TEST

START_TEST(live_width_and_colour)
{
	struct fp_progress_snap s = snap(5, 10, 1, 5000, 10000);
	char buf[256];

	/* Never wraps: at most WIDTH - 1 columns. */
	fp_progress_format_live(buf, sizeof(buf), &s, 20, 0);
	ck_assert_str_eq(buf, "5/10 files, 5.0 kB,");
	fp_progress_format_live(buf, sizeof(buf), &s, 1, 0);
	ck_assert_uint_eq(strlen(buf), 1);
	/* Colour: the counts in bold; escapes do not count as columns. */
	fp_progress_format_live(buf, sizeof(buf), &s, 20, 1);
	ck_assert_str_eq(buf, "\033[1m5/10\033[0m files, 5.0 kB,");
	/* Too narrow for the whole count: no escape cut in half. */
	fp_progress_format_live(buf, sizeof(buf), &s, 3, 1);
	ck_assert_str_eq(buf, "5/");
}
END_TEST

START_TEST(durations)
{
	char b[16];

	ck_assert_str_eq(fp_progress_duration(0, b, sizeof(b)), "0s");
	ck_assert_str_eq(fp_progress_duration(-5, b, sizeof(b)), "0s");
	ck_assert_str_eq(fp_progress_duration(59999, b, sizeof(b)), "59s");
	ck_assert_str_eq(fp_progress_duration(60000, b, sizeof(b)), "1m00s");
	ck_assert_str_eq(fp_progress_duration(3599000, b, sizeof(b)),
			 "59m59s");
	ck_assert_str_eq(fp_progress_duration(3725000, b, sizeof(b)),
			 "1h02m");
}
END_TEST

START_TEST(mode_pick)
{
	/* auto */
	ck_assert_int_eq(fp_progress_pick(-1, 0, 1, "xterm"),
			 FP_PROGRESS_LIVE);
	ck_assert_int_eq(fp_progress_pick(-1, 0, 1, NULL), FP_PROGRESS_LIVE);
	ck_assert_int_eq(fp_progress_pick(-1, 0, 0, "xterm"),
			 FP_PROGRESS_OFF);
	ck_assert_int_eq(fp_progress_pick(-1, 1, 1, "xterm"),
			 FP_PROGRESS_OFF);
	ck_assert_int_eq(fp_progress_pick(-1, 0, 1, "dumb"),
			 FP_PROGRESS_PLAIN);
	/* --progress */
	ck_assert_int_eq(fp_progress_pick(1, 0, 0, "xterm"),
			 FP_PROGRESS_PLAIN);
	ck_assert_int_eq(fp_progress_pick(1, 1, 0, NULL), FP_PROGRESS_PLAIN);
	ck_assert_int_eq(fp_progress_pick(1, 1, 1, "xterm"),
			 FP_PROGRESS_LIVE);
	/* --no-progress */
	ck_assert_int_eq(fp_progress_pick(0, 0, 1, "xterm"), FP_PROGRESS_OFF);
}
END_TEST

START_TEST(off_is_null)
{
	struct fp_progress *p = (struct fp_progress *)&p;

	ck_assert_int_eq(fp_progress_create(&p, FP_PROGRESS_OFF, stderr,
					    "files", 1, 1),
			 FP_OK);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(fp_progress_next_ms(NULL), -1);
	ck_assert_int_eq(fp_progress_covers(NULL, stderr), 0);
	/* Every call takes NULL. */
	fp_progress_update(NULL, 1, 2, 1, 3, 0);
	fp_progress_tick(NULL, 0);
	fp_progress_hide(NULL);
	fp_progress_show(NULL);
	fp_progress_finish(NULL);
	fp_progress_destroy(NULL);
}
END_TEST

START_TEST(plain_ticks)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct fp_progress *p;
	int64_t due;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fp_progress_create(&p, FP_PROGRESS_PLAIN, f, "files",
					    1, 1),
			 FP_OK);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fp_progress_covers(p, f), 0);
	due = fp_progress_next_ms(p);
	ck_assert_int_ge(due - fp_now_ms(), FP_PROGRESS_PLAIN_MS - 1000);
	fp_progress_update(p, 2, 7, 0, 1500, 0);
	fp_progress_tick(p, due - 1); /* not yet */
	fflush(f);
	ck_assert_uint_eq(len, 0);
	fp_progress_tick(p, due);
	fflush(f);
	ck_assert_ptr_nonnull(strstr(text, " 2/? files, 1.5 kB, "));
	ck_assert_int_eq(text[0], '[');
	ck_assert_int_eq(text[len - 1], '\n');
	ck_assert_ptr_null(strchr(text, '\033'));
	ck_assert_ptr_null(strchr(text, '\r'));
	/* The next line is at least 3 s later. */
	ck_assert_int_ge(fp_progress_next_ms(p) - due, FP_PROGRESS_PLAIN_MS);
	fp_progress_finish(p);
	ck_assert_int_eq(fp_progress_next_ms(p), -1);
	fp_progress_destroy(p);
	fclose(f);
	free(text);
}
END_TEST

START_TEST(live_draw_hide_show)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct fp_progress *p;
	size_t at;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fp_progress_create(&p, FP_PROGRESS_LIVE, f, "files",
					    0, 0),
			 FP_OK);
	ck_assert_int_eq(fp_progress_covers(p, f), 1);
	ck_assert_int_eq(fp_progress_covers(p, stdout), 0);
	/* Nothing drawn yet: hiding writes nothing. */
	fp_progress_hide(p);
	fp_progress_show(p);
	fflush(f);
	ck_assert_uint_eq(len, 0);
	/* Drawn at its due time, 200 ms after the start: 10 B in 0.2 s. */
	fp_progress_update(p, 1, 3, 1, 10, 0);
	fp_progress_tick(p, fp_progress_next_ms(p));
	fflush(f);
	ck_assert_str_eq(text, "\r1/3 files, 10 B, 50 B/s, 0s, ETA 0s, "
			       "0 in flight\033[K");
	at = len;
	fp_progress_hide(p);
	fputs("an event\n", f);
	fp_progress_show(p);
	fflush(f);
	ck_assert_str_eq(text + at, "\r\033[Kan event\n\r1/3 files, 10 B, 50 B/s,"
				    " 0s, ETA 0s, 0 in flight\033[K");
	/* New counts show at the next redraw, without waiting for a tick. */
	at = len;
	fp_progress_update(p, 2, 3, 1, 20, 0);
	fp_progress_hide(p);
	fputs("another\n", f);
	fp_progress_show(p);
	fflush(f);
	ck_assert_ptr_nonnull(strstr(text + at, "another\n\r2/3 files, 20 B, "));
	at = len;
	fp_progress_finish(p);
	fflush(f);
	ck_assert_str_eq(text + at, "\r\033[K");
	at = len;
	/* Finished: no more drawing, hiding clears nothing. */
	fp_progress_tick(p, fp_now_ms() + 100000);
	fp_progress_hide(p);
	fp_progress_show(p);
	fflush(f);
	ck_assert_uint_eq(len, at);
	fp_progress_destroy(p);
	fclose(f);
	free(text);
}
END_TEST

#define WORKERS 4
#define LINES 500

struct printer {
	struct fp_out *out;
	int id;
};

static void *printer_main(void *arg)
{
	struct printer *pr = arg;
	int i;

	for (i = 0; i < LINES; i++)
		fp_out_verbose(pr->out, "worker %d line %d", pr->id, i);
	return NULL;
}

START_TEST(threads_never_split_the_line)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct fp_out out = { NULL, NULL, 0, 1, NULL };
	struct printer pr[WORKERS];
	pthread_t t[WORKERS];
	char *line, *save = NULL;
	int i, seen = 0;

	ck_assert_ptr_nonnull(f);
	out.out = f;
	out.err = f;
	ck_assert_int_eq(fp_progress_create(&out.progress, FP_PROGRESS_LIVE,
					    f, "files", 1, 0),
			 FP_OK);
	for (i = 0; i < WORKERS; i++) {
		pr[i] = (struct printer){ &out, i };
		ck_assert_int_eq(pthread_create(&t[i], NULL, printer_main,
						&pr[i]),
				 0);
	}
	/* The consumer draws as fast as it can meanwhile. */
	for (i = 0; i < 2000; i++) {
		fp_progress_update(out.progress, (uint64_t)i, 2000, 1, i, 0);
		fp_progress_tick(out.progress,
				 fp_progress_next_ms(out.progress));
	}
	for (i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	fp_progress_finish(out.progress);
	fp_progress_destroy(out.progress);
	fclose(f);

	/* Every worker line is whole, and the status line was cleared
	 * right before it: split at '\n', each piece ends with the worker
	 * line, preceded by the clear sequence (or nothing). */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *w = strstr(line, "worker ");
		int id, n;

		if (!w) {
			/* Only the final redraw and clear follow the last
			 * worker line. */
			ck_assert_ptr_null(strtok_r(NULL, "\n", &save));
			break;
		}
		ck_assert_int_eq(sscanf(w, "worker %d line %d", &id, &n), 2);
		ck_assert(w == line ||
			  (w - line >= 4 && !strncmp(w - 4, "\r\033[K", 4)));
		ck_assert_ptr_null(strchr(w, '\r'));
		seen++;
	}
	ck_assert_int_eq(seen, WORKERS * LINES);
	free(text);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = unit_tcase("format");

	tcase_add_test(tc, plain_format);
	tcase_add_test(tc, live_format);
	tcase_add_test(tc, live_width_and_colour);
	tcase_add_test(tc, durations);
	suite_add_tcase(s, tc);
	tc = unit_tcase("modes");
	tcase_add_test(tc, mode_pick);
	tcase_add_test(tc, off_is_null);
	tcase_add_test(tc, plain_ticks);
	tcase_add_test(tc, live_draw_hide_show);
	tcase_add_test(tc, threads_never_split_the_line);
	suite_add_tcase(s, tc);
	return s;
}
