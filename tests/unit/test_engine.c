/* The engine without the network: every job reaches done() exactly once,
 * also when dropped by a cancel from another thread or from done() itself
 * with the channel full; jobs start only with a permit; holds keep the run
 * open; the deadline and --fail-fast stop it with their reason. */
#include "runner.h"
#include "cancel.h"
#include "engine.h"
#include "error.h"
#include "timeutil.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct tjob {
	struct fp_engine_job ej;
	int n;
	bool ran, cancelled;
};

struct tctx {
	struct fp_engine *e;
	atomic_int running, peak;
	int sleep_ms;       /* each run sleeps (cancellably) this long */
	int fail_first;     /* job 0 fails, fatally */
	int cancel_in_done; /* done() cancels the run at this many */
	unsigned done, dropped, events, last_event;
	bool order_ok;
	int64_t stall_at;   /* the main thread stalls 300 ms at this time */
	int64_t batch_ms;   /* the engine's batch_ms (0: its default) */
	bool no_fail_fast;
};

static void trun(void *ctx, struct fp_engine_job *ej,
		 struct fp_engine_worker *w, struct fp_cancel *tok)
{
	struct tctx *c = ctx;
	struct tjob *j = (struct tjob *)ej;
	int now = atomic_fetch_add(&c->running, 1) + 1, m;

	(void)w;
	m = atomic_load(&c->peak);
	while (now > m && !atomic_compare_exchange_weak(&c->peak, &m, now))
		;
	j->ran = true;
	if (c->sleep_ms && fp_cancel_sleep(tok, c->sleep_ms))
		j->cancelled = true;
	atomic_fetch_sub(&c->running, 1);
}

static enum fp_job_status tdone(void *ctx, struct fp_engine_job *ej,
				bool *fatal)
{
	struct tctx *c = ctx;
	struct tjob *j = (struct tjob *)ej;
	enum fp_job_status st = FP_JOB_OK;

	c->done++;
	if (fp_engine_job_dropped(ej)) {
		ck_assert(!j->ran);
		c->dropped++;
		st = FP_JOB_CANCELLED;
	} else if (j->cancelled) {
		st = FP_JOB_CANCELLED;
	} else if (c->fail_first && j->n == 0) {
		*fatal = true;
		st = FP_JOB_FAILED;
	}
	if (c->cancel_in_done && c->done == (unsigned)c->cancel_in_done)
		fp_engine_cancel(c->e, FP_STOP_NONE);
	free(j);
	return st;
}

static void tevent(void *ctx, int kind, void *data)
{
	struct tctx *c = ctx;

	(void)data;
	c->events++;
	if ((unsigned)kind != c->last_event + 1)
		c->order_ok = false;
	c->last_event = (unsigned)kind;
}

/* The progress tick, used here to keep the main thread busy across the
 * deadline, so that the workers see it first. */
static int64_t ttick(void *ctx, const struct fp_engine_stats *st,
		     int64_t now)
{
	struct tctx *c = ctx;

	(void)st;
	if (!c->stall_at)
		return -1;
	if (now < c->stall_at)
		return c->stall_at;
	c->stall_at = 0;
	usleep(300 * 1000);
	return -1;
}

static const struct fp_engine_ops tops = { trun, tdone, tevent, ttick };

static struct fp_engine *tengine(struct tctx *c, unsigned conc,
				 size_t queue, bool paused, int64_t deadline)
{
	struct fp_engine_config cfg = { 0 };

	cfg.max_conc = conc;
	cfg.queue_cap = queue;
	cfg.paused = paused;
	cfg.deadline_ms = deadline;
	cfg.dirfd = -1;
	cfg.fail_fast = !c->no_fail_fast;
	cfg.batch_ms = c->batch_ms;
	cfg.body_cap = 1024;
	cfg.ops = &tops;
	cfg.ctx = c;
	c->order_ok = true;
	ck_assert_int_eq(fp_engine_create(&c->e, &cfg), FP_OK);
	return c->e;
}

static void tsubmit(struct fp_engine *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct tjob *j = calloc(1, sizeof(*j));

		ck_assert_ptr_nonnull(j);
		j->n = i;
		ck_assert_int_eq(fp_engine_submit(e, 1 + i % 5, &j->ej),
				 FP_OK);
	}
}

START_TEST(every_job_once_and_no_more_running_than_permits)
{
	struct tctx c = { 0 };
	struct fp_engine *e = tengine(&c, 3, 500, false, 0);

	c.sleep_ms = 1;
	tsubmit(e, 300);
	fp_engine_run(e);
	ck_assert_uint_eq(c.done, 300);
	ck_assert_uint_eq(fp_engine_count_of(e, FP_JOB_OK), 300);
	/* Six workers, but a job starts only with one of the 3 permits. */
	ck_assert_int_le(atomic_load(&c.peak), 3);
	ck_assert_int_eq(fp_engine_stop_reason(e), FP_STOP_NONE);
	fp_engine_destroy(e);
}
END_TEST

struct canceller {
	struct fp_engine *e;
	int delay_ms;
};

static void *cancel_later(void *p)
{
	struct canceller *k = p;

	usleep((useconds_t)k->delay_ms * 1000);
	fp_engine_cancel(k->e, FP_STOP_SIGNAL);
	return NULL;
}

START_TEST(cancel_from_another_thread_drops_the_queue)
{
	struct tctx c = { 0 };
	struct fp_engine *e = tengine(&c, 2, 100, true, 0);
	struct canceller k = { e, 50 };
	pthread_t t;

	/* Paused: nothing runs, so every job is dropped. */
	tsubmit(e, 80);
	ck_assert_int_eq(pthread_create(&t, NULL, cancel_later, &k), 0);
	fp_engine_run(e);
	pthread_join(t, NULL);
	ck_assert_uint_eq(c.done, 80);
	ck_assert_uint_eq(c.dropped, 80);
	ck_assert_uint_eq(fp_engine_count_of(e, FP_JOB_CANCELLED), 80);
	ck_assert_int_eq(fp_engine_stop_reason(e), FP_STOP_SIGNAL);
	fp_engine_destroy(e);
}
END_TEST

START_TEST(cancel_in_done_with_a_full_channel)
{
	struct tctx c = { 0 };
	/* 3000 quick jobs fill the 1024-event channel while done() is
	 * slow to come; then done() itself cancels. */
	struct fp_engine *e = tengine(&c, 8, 4000, true, 0);

	c.cancel_in_done = 1;
	tsubmit(e, 3000);
	fp_engine_start(e);
	usleep(100 * 1000);
	fp_engine_run(e);
	ck_assert_uint_eq(c.done, 3000);
	ck_assert_uint_eq(c.done - c.dropped,
			  fp_engine_count_of(e, FP_JOB_OK));
	fp_engine_destroy(e);
}
END_TEST

START_TEST(deadline_cancels_running_jobs)
{
	struct tctx c = { 0 };
	struct fp_engine *e = tengine(&c, 2, 10, false, 100);
	int64_t t0 = fp_now_ms();

	c.sleep_ms = 30000;
	c.stall_at = t0 + 80;
	tsubmit(e, 6);
	fp_engine_run(e);
	ck_assert_int_lt(fp_now_ms() - t0, 10000);
	ck_assert_uint_eq(c.done, 6);
	ck_assert_uint_eq(fp_engine_count_of(e, FP_JOB_CANCELLED), 6);
	/* The two running ones were cancelled; the four queued never
	 * started, though permits came free at the deadline. */
	ck_assert_uint_eq(c.dropped, 4);
	ck_assert_int_eq(fp_engine_stop_reason(e), FP_STOP_DEADLINE);
	fp_engine_destroy(e);
}
END_TEST

/* The failure wakes the main thread at once: with outcomes otherwise
 * taken only every minute, the rest is still dropped. */
START_TEST(fail_fast_stops_the_rest)
{
	struct tctx c = { .batch_ms = 60000 };
	struct fp_engine *e = tengine(&c, 1, 100, true, 0);

	c.fail_first = 1;
	c.sleep_ms = 20;
	tsubmit(e, 50);
	fp_engine_start(e);
	fp_engine_run(e);
	ck_assert_uint_eq(c.done, 50);
	ck_assert_uint_eq(fp_engine_count_of(e, FP_JOB_FAILED), 1);
	ck_assert_uint_gt(c.dropped, 0);
	ck_assert_int_eq(fp_engine_stop_reason(e), FP_STOP_FAIL_FAST);
	fp_engine_destroy(e);
}
END_TEST

/* Outcomes wait for the main thread's poll, but the last one wakes it:
 * with a poll every minute the run still ends at once (a run waiting
 * for the poll would outlast the case's 30 s limit). */
START_TEST(the_last_outcome_ends_the_run_at_once)
{
	struct tctx c = { .batch_ms = 60000, .no_fail_fast = true };
	struct fp_engine *e = tengine(&c, 2, 100, true, 0);
	int64_t t0;

	tsubmit(e, 5);
	t0 = fp_now_ms();
	fp_engine_start(e);
	fp_engine_run(e);
	ck_assert_uint_eq(c.done, 5);
	ck_assert_int_lt(fp_now_ms() - t0, 20000);
	fp_engine_destroy(e);
}
END_TEST

static void *producer(void *p)
{
	struct tctx *c = p;
	int i;

	for (i = 1; i <= 100; i++)
		fp_engine_post(c->e, i, NULL);
	usleep(50 * 1000);
	tsubmit(c->e, 20);
	fp_engine_release(c->e);
	return NULL;
}

START_TEST(a_hold_keeps_the_run_open)
{
	struct tctx c = { 0 };
	struct fp_engine *e = tengine(&c, 2, 100, false, 0);
	pthread_t t;

	fp_engine_hold(e);
	ck_assert_int_eq(pthread_create(&t, NULL, producer, &c), 0);
	fp_engine_run(e);
	pthread_join(t, NULL);
	ck_assert_uint_eq(c.events, 100);
	ck_assert(c.order_ok);
	ck_assert_uint_eq(c.done, 20);
	fp_engine_destroy(e);
}
END_TEST

static void *post_and_release(void *p)
{
	struct tctx *c = p;
	int i;

	for (i = 1; i <= 50; i++)
		fp_engine_post(c->e, i, NULL);
	fp_engine_release(c->e);
	return NULL;
}

START_TEST(events_before_the_last_release_are_taken)
{
	struct tctx c = { 0 };
	struct fp_engine *e = tengine(&c, 2, 10, false, 0);
	pthread_t t;

	/* Everything is posted and released before the run starts: no job
	 * and no hold is left, yet the events must still come. */
	fp_engine_hold(e);
	ck_assert_int_eq(pthread_create(&t, NULL, post_and_release, &c), 0);
	pthread_join(t, NULL);
	fp_engine_run(e);
	ck_assert_uint_eq(c.events, 50);
	ck_assert(c.order_ok);
	fp_engine_destroy(e);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = unit_tcase("engine");

	tcase_add_test(tc, every_job_once_and_no_more_running_than_permits);
	tcase_add_test(tc, cancel_from_another_thread_drops_the_queue);
	tcase_add_test(tc, cancel_in_done_with_a_full_channel);
	tcase_add_test(tc, deadline_cancels_running_jobs);
	tcase_add_test(tc, fail_fast_stops_the_rest);
	tcase_add_test(tc, the_last_outcome_ends_the_run_at_once);
	tcase_add_test(tc, a_hold_keeps_the_run_open);
	tcase_add_test(tc, events_before_the_last_release_are_taken);
	suite_add_tcase(s, tc);
	return s;
}
