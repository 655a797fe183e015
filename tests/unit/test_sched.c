/* Scheduler: priority order, FIFO within a level, cancel of queued vs
 * running jobs, reschedule, shutdown, bounded adds, and the two timelines of
 * the priority-scheduler exercise. Job "durations" are gates the test opens,
 * so no outcome depends on timing. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
#include "sched.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static char started[64][8]; /* names in start order */
static int nstarted;

struct tjob {
	const char *name;
	bool gated; /* runs until released or cancelled */
	bool started, released, finished, saw_cancel, dropped;
};

static void tjob_wake(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void tjob_run(void *arg, struct fp_cancel *tok, void *wctx)
{
	struct tjob *j = arg;
	struct fp_cancel_waker w = { tjob_wake, NULL, NULL };

	fp_cancel_add_waker(tok, &w);
	pthread_mutex_lock(&mu);
	j->started = true;
	strncpy(started[nstarted++], j->name, 7);
	pthread_cond_broadcast(&cv);
	while (j->gated && !j->released && !fp_cancel_is_set(tok))
		pthread_cond_wait(&cv, &mu);
	j->saw_cancel = fp_cancel_is_set(tok);
	j->finished = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	fp_cancel_remove_waker(tok, &w);
}

static void tjob_drop(void *arg)
{
	struct tjob *j = arg;

	pthread_mutex_lock(&mu);
	j->dropped = true;
	pthread_mutex_unlock(&mu);
}

static void reset_log(void)
{
	memset(started, 0, sizeof(started));
	nstarted = 0;
}

static void wait_flag(bool *flag)
{
	pthread_mutex_lock(&mu);
	while (!*flag)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

static void release(struct tjob *j)
{
	pthread_mutex_lock(&mu);
	j->released = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static bool flag(bool *f)
{
	bool v;

	pthread_mutex_lock(&mu);
	v = *f;
	pthread_mutex_unlock(&mu);
	return v;
}

static struct fp_sched *mk(unsigned workers, size_t cap, unsigned flags)
{
	struct fp_sched_config cfg = { 0 };
	struct fp_sched *s;

	cfg.workers = workers;
	cfg.capacity = cap;
	cfg.flags = flags;
	ck_assert_int_eq(fp_sched_create(&s, &cfg), FP_OK);
	return s;
}

static uint64_t add(struct fp_sched *s, int level, struct tjob *j)
{
	uint64_t id = 0;

	ck_assert_int_eq(fp_sched_add(s, level, tjob_run, tjob_drop, j, &id),
			 FP_OK);
	return id;
}

static void assert_order(const char *const *names, int n)
{
	int i;

	ck_assert_int_eq(nstarted, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(started[i], names[i]);
}

START_TEST(priority_then_fifo)
{
	struct fp_sched *s = mk(1, 100, FP_SCHED_PAUSED);
	struct tjob j[8] = { { "c1" }, { "a1" }, { "e1" }, { "c2" },
			     { "b1" }, { "a2" }, { "d1" }, { "c3" } };
	const int lv[8] = { 3, 1, 5, 3, 2, 1, 4, 3 };
	const char *want[8] = { "a1", "a2", "b1", "c1", "c2", "c3", "d1", "e1" };
	int i;

	reset_log();
	for (i = 0; i < 8; i++)
		add(s, lv[i], &j[i]);
	ck_assert_uint_eq(fp_sched_queued(s), 8);
	ck_assert_int_eq(nstarted, 0);
	fp_sched_close(s); /* also starts a paused scheduler */
	fp_sched_join(s);
	assert_order(want, 8);
	fp_sched_destroy(s);
}
END_TEST

START_TEST(bad_level_rejected)
{
	struct fp_sched *s = mk(1, 4, 0);
	struct tjob j = { "x" };

	ck_assert_int_eq(fp_sched_add(s, 0, tjob_run, NULL, &j, NULL), FP_EINVAL);
	ck_assert_int_eq(fp_sched_add(s, 6, tjob_run, NULL, &j, NULL), FP_EINVAL);
	fp_sched_close(s);
	ck_assert_int_eq(fp_sched_add(s, 3, tjob_run, NULL, &j, NULL),
			 FP_ECLOSED);
	fp_sched_join(s);
	fp_sched_destroy(s);
	ck_assert(!j.started);
}
END_TEST

START_TEST(cancel_queued_vs_running)
{
	struct fp_sched *s = mk(1, 10, 0);
	struct tjob a = { "a", true }, b = { "b", true };
	uint64_t ida, idb;

	reset_log();
	ida = add(s, 3, &a);
	wait_flag(&a.started);
	idb = add(s, 3, &b);
	ck_assert_int_eq(fp_sched_cancel(s, idb), FP_OK);
	ck_assert(flag(&b.dropped));
	ck_assert_int_eq(fp_sched_cancel(s, idb), FP_ENOENT);
	ck_assert_int_eq(fp_sched_cancel(s, ida), FP_EBUSY);
	wait_flag(&a.finished);
	ck_assert(a.saw_cancel);
	fp_sched_wait_idle(s);
	ck_assert_int_eq(fp_sched_cancel(s, ida), FP_ENOENT);
	fp_sched_close(s);
	fp_sched_join(s);
	ck_assert(!b.started);
	ck_assert(!a.dropped);
	fp_sched_destroy(s);
}
END_TEST

START_TEST(reschedule_moves_ahead)
{
	struct fp_sched *s = mk(1, 10, FP_SCHED_PAUSED);
	struct tjob a = { "a" }, b = { "b" }, c = { "c" };
	const char *want[3] = { "c", "a", "b" };
	uint64_t idc;

	reset_log();
	add(s, 3, &a);
	add(s, 3, &b);
	idc = add(s, 5, &c);
	ck_assert_int_eq(fp_sched_reschedule(s, idc, 1), FP_OK);
	ck_assert_int_eq(fp_sched_reschedule(s, idc, 9), FP_EINVAL);
	ck_assert_int_eq(fp_sched_reschedule(s, 999, 2), FP_ENOENT);
	fp_sched_close(s);
	fp_sched_join(s);
	assert_order(want, 3);
	fp_sched_destroy(s);
}
END_TEST

START_TEST(shutdown_cancels_and_joins)
{
	struct fp_sched *s = mk(4, 100, 0);
	struct tjob run[4] = { { "r0", true }, { "r1", true }, { "r2", true },
			       { "r3", true } };
	struct tjob q[10];
	int i;

	reset_log();
	for (i = 0; i < 4; i++)
		add(s, 3, &run[i]);
	for (i = 0; i < 4; i++)
		wait_flag(&run[i].started);
	for (i = 0; i < 10; i++) {
		q[i] = (struct tjob){ "q", true };
		add(s, 3, &q[i]);
	}
	ck_assert_uint_eq(fp_sched_running(s), 4);
	fp_sched_shutdown(s);
	for (i = 0; i < 4; i++) {
		ck_assert(run[i].finished);
		ck_assert(run[i].saw_cancel);
	}
	for (i = 0; i < 10; i++) {
		ck_assert(q[i].dropped);
		ck_assert(!q[i].started);
	}
	fp_sched_destroy(s);
}
END_TEST

struct adder {
	struct fp_sched *s;
	struct tjob *j;
	int rc;
	bool done;
};

static void *adder_main(void *p)
{
	struct adder *a = p;

	a->rc = fp_sched_add(a->s, 3, tjob_run, tjob_drop, a->j, NULL);
	pthread_mutex_lock(&mu);
	a->done = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

START_TEST(add_blocks_when_full)
{
	struct fp_sched *s = mk(1, 2, FP_SCHED_PAUSED);
	struct tjob j[3] = { { "a" }, { "b" }, { "c" } };
	struct adder ad = { s, &j[2], 1, false };
	pthread_t t;

	reset_log();
	add(s, 3, &j[0]);
	add(s, 3, &j[1]);
	pthread_create(&t, NULL, adder_main, &ad);
	/* Paused and full: the third add must wait. */
	ck_assert(!flag(&ad.done));
	ck_assert_uint_eq(fp_sched_queued(s), 2);
	fp_sched_start(s);
	pthread_join(t, NULL);
	ck_assert_int_eq(ad.rc, FP_OK);
	fp_sched_close(s);
	fp_sched_join(s);
	ck_assert_int_eq(nstarted, 3);
	fp_sched_destroy(s);
}
END_TEST

/* Timeline 1: levels 1 to 5 run in order, each level finishing before the
 * next starts; a job added mid-run at a level above the one executing
 * starts at once. Two workers, level barrier on. */
START_TEST(timeline_levels_in_order)
{
	struct fp_sched *s = mk(2, 100, FP_SCHED_PAUSED | FP_SCHED_LEVEL_BARRIER);
	struct tjob a1 = { "a1", true }, a2 = { "a2", true }, b1 = { "b1", true },
		    c1 = { "c1", true }, c2 = { "c2", true }, d1 = { "d1", true },
		    e1 = { "e1", true }, x = { "x", true };

	reset_log();
	add(s, 5, &e1);
	add(s, 3, &c1);
	add(s, 1, &a1);
	add(s, 4, &d1);
	add(s, 2, &b1);
	add(s, 1, &a2);
	add(s, 3, &c2);
	fp_sched_start(s);

	wait_flag(&a1.started);
	wait_flag(&a2.started);
	release(&a1);
	wait_flag(&a1.finished);
	/* a2 (level 1) still runs: level 2 must not start on the free worker. */
	ck_assert(!flag(&b1.started));
	release(&a2);
	wait_flag(&b1.started);
	/* b1 runs alone: level 3 waits for level 2 to finish. */
	ck_assert(!flag(&c1.started));

	/* Added mid-run at level 1, above the executing level 2: starts at
	 * once on the idle worker. */
	add(s, 1, &x);
	wait_flag(&x.started);
	ck_assert(!flag(&c1.started));
	release(&x);
	release(&b1);
	wait_flag(&c1.started);
	wait_flag(&c2.started);
	ck_assert(!flag(&d1.started));
	release(&c1);
	release(&c2);
	wait_flag(&d1.started);
	ck_assert(!flag(&e1.started));
	release(&d1);
	wait_flag(&e1.started);
	release(&e1);
	fp_sched_close(s);
	fp_sched_join(s);
	ck_assert_int_eq(nstarted, 8);
	ck_assert_str_eq(started[2], "b1");
	ck_assert_str_eq(started[3], "x");
	ck_assert_str_eq(started[6], "d1");
	ck_assert_str_eq(started[7], "e1");
	fp_sched_destroy(s);
}
END_TEST

/* Timeline 2: a removal, a reschedule that runs a job at once because its
 * new level is above the executing one, then shutdown mid-run. */
START_TEST(timeline_remove_reschedule_shutdown)
{
	struct fp_sched *s = mk(2, 100, FP_SCHED_PAUSED | FP_SCHED_LEVEL_BARRIER);
	struct tjob p = { "p", true }, q = { "q", true }, r = { "r", true },
		    u = { "u", true };
	uint64_t idq, idu;

	reset_log();
	add(s, 2, &p);
	idq = add(s, 3, &q);
	add(s, 4, &r);
	idu = add(s, 5, &u);
	fp_sched_start(s);
	wait_flag(&p.started);
	/* p (level 2) runs; q (level 3) waits on the barrier. */
	ck_assert(!flag(&q.started));

	ck_assert_int_eq(fp_sched_cancel(s, idq), FP_OK);
	ck_assert(flag(&q.dropped));

	ck_assert_int_eq(fp_sched_reschedule(s, idu, 1), FP_OK);
	wait_flag(&u.started); /* at once, while p still runs */
	ck_assert(!flag(&p.finished));
	ck_assert_int_eq(fp_sched_reschedule(s, idu, 2), FP_EBUSY);

	fp_sched_shutdown(s);
	ck_assert(p.saw_cancel);
	ck_assert(u.saw_cancel);
	ck_assert(r.dropped);
	ck_assert(!r.started);
	ck_assert(!q.started);
	fp_sched_destroy(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = unit_tcase("sched");

	tcase_add_test(tc, priority_then_fifo);
	tcase_add_test(tc, bad_level_rejected);
	tcase_add_test(tc, cancel_queued_vs_running);
	tcase_add_test(tc, reschedule_moves_ahead);
	tcase_add_test(tc, shutdown_cancels_and_joins);
	tcase_add_test(tc, add_blocks_when_full);
	tcase_add_test(tc, timeline_levels_in_order);
	tcase_add_test(tc, timeline_remove_reschedule_shutdown);
	suite_add_tcase(s, tc);
	return s;
}
