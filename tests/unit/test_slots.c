/* Request slots: permits bound requests, prepaid permits are used once or
 * refunded, a freed permit is announced, and a handle is reused for the
 * host it last served. No request is made: handles are only handed out. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
#include "sched.h"
#include "slots.h"
#include "timeutil.h"
#include "xfer.h"

#include <stdatomic.h>

static const struct fp_xfer_config cfg = { .user_agent = "test" };

START_TEST(permits_bound_acquires)
{
	struct fp_slots *s;
	struct fp_xfer *x[3], *extra = NULL;
	struct fp_cancel tok;

	ck_assert_int_eq(fp_slots_create(&s, 2, 0, NULL, &cfg), FP_OK);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &x[0]), FP_OK);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &x[1]), FP_OK);
	ck_assert_ptr_ne(x[0], x[1]);
	ck_assert_uint_eq(fp_slots_in_flight(s), 2);
	/* A third waits until its token's deadline. */
	fp_cancel_init(&tok);
	fp_cancel_set_deadline(&tok, fp_now_ms() + 50);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", &tok, &extra),
			 FP_ECANCELED);
	ck_assert_ptr_null(extra);
	fp_slots_release(s, x[0], "a:80");
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &x[2]), FP_OK);
	ck_assert_ptr_eq(x[2], x[0]);
	ck_assert_uint_eq(fp_slots_handles(s), 2);
	ck_assert_uint_eq(fp_slots_peak(s), 2);
	fp_slots_release(s, x[1], "a:80");
	fp_slots_release(s, x[2], "a:80");
	ck_assert_uint_eq(fp_slots_in_flight(s), 0);
	fp_cancel_destroy(&tok);
	fp_slots_destroy(s);
}
END_TEST

START_TEST(handle_prefers_its_hosts)
{
	struct fp_slots *s;
	struct fp_xfer *a, *b, *c, *d, *again;

	ck_assert_int_eq(fp_slots_create(&s, 2, 0, NULL, &cfg), FP_OK);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &a), FP_OK);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "b:443", NULL, &b), FP_OK);
	fp_slots_release(s, a, "a:80");
	fp_slots_release(s, b, "b:443");
	/* b's handle was freed last, a's handle is the idle one: still b's
	 * handle serves b, and a's serves a. */
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "b:443", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, b);
	fp_slots_release(s, again, "b:443");
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, a);
	fp_slots_release(s, again, "a:80");
	/* A new host gets a new handle while there are fewer than two per
	 * permit (the idle ones keep their connections)... */
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "c:80", NULL, &c), FP_OK);
	ck_assert_ptr_ne(c, a);
	ck_assert_ptr_ne(c, b);
	fp_slots_release(s, c, "c:80");
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "d:80", NULL, &d), FP_OK);
	ck_assert_ptr_ne(d, c);
	fp_slots_release(s, d, "d:80");
	ck_assert_uint_eq(fp_slots_handles(s), 4);
	/* ...then takes the one idle longest (b's, freed before a's). */
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "e:80", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, b);
	fp_slots_release(s, again, "e:80");
	/* b's handle still has its connection to b, and a's to a. */
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "b:443", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, b);
	fp_slots_release(s, again, "b:443");
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, a);
	fp_slots_release(s, again, "a:80");
	ck_assert_uint_eq(fp_slots_handles(s), 4);
	fp_slots_destroy(s);
}
END_TEST

static void count_wake(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(prepaid_permit_is_used_once_or_refunded)
{
	struct fp_slots *s;
	struct fp_permit p = { false };
	struct fp_xfer *x;
	atomic_int woken = 0;

	ck_assert_int_eq(fp_slots_create(&s, 2, 0, NULL, &cfg), FP_OK);
	fp_slots_on_free(s, count_wake, &woken);
	struct fp_permit q = { false, NULL }, r = { false, NULL };
	int job = 0;

	ck_assert_int_eq(fp_slots_gate(s, "a:80", &job, 3, &p), FP_SCHED_GO);
	ck_assert(p.held);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &job, 3, &q), FP_SCHED_GO);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &job, 3, &r),
			 FP_SCHED_WAIT);
	ck_assert(!r.held);
	fp_slots_refund(s, &q);
	/* Nothing free: a wake is not passed on. */
	ck_assert_int_eq(fp_slots_gate(s, "b:80", &job, 3, &q), FP_SCHED_GO);
	fp_slots_wake(s);
	ck_assert_int_eq(atomic_load(&woken), 0);
	fp_slots_refund(s, &q);
	/* The prepaid permit serves the request: nothing more is taken. */
	ck_assert_int_eq(fp_slots_acquire(s, &p, "a:80", NULL, &x), FP_OK);
	ck_assert(!p.held);
	ck_assert_uint_eq(fp_slots_in_flight(s), 1);
	fp_slots_release(s, x, "a:80");
	ck_assert_uint_eq(fp_slots_in_flight(s), 0);
	fp_slots_wake(s);
	ck_assert_int_eq(atomic_load(&woken), 1);
	/* A refund gives back a prepaid permit only once. */
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &job, 3, &p), FP_SCHED_GO);
	fp_slots_refund(s, &p);
	fp_slots_refund(s, &p);
	ck_assert_uint_eq(fp_slots_in_flight(s), 0);
	fp_slots_destroy(s);
}
END_TEST

struct unparked {
	int n;
	int *jobs[8];
	int levels[8];
};

static void note_unpark(void *job, int level, void *arg)
{
	struct unparked *u = arg;

	u->jobs[u->n] = job;
	u->levels[u->n++] = level;
}

static void note_drop(void *job, void *arg)
{
	note_unpark(job, 0, arg);
}

START_TEST(full_host_parks_jobs_until_it_has_room)
{
	struct fp_slots *s;
	struct fp_permit p1 = { false, NULL }, p2 = { false, NULL };
	struct unparked u = { 0 };
	int a1 = 1, a2 = 2, a3 = 3, b1 = 4;
	struct fp_xfer *x;

	/* Four permits, at most one request per host. */
	ck_assert_int_eq(fp_slots_create(&s, 4, 1, NULL, &cfg), FP_OK);
	fp_slots_on_unpark(s, note_unpark, &u);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a1, 1, &p1), FP_SCHED_GO);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a2, 2, &p2),
			 FP_SCHED_PARKED);
	ck_assert(!p2.held);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a3, 3, &p2),
			 FP_SCHED_PARKED);
	/* Another host is not held up. */
	ck_assert_int_eq(fp_slots_gate(s, "b:80", &b1, 3, &p2), FP_SCHED_GO);
	fp_slots_refund(s, &p2);
	ck_assert_int_eq(u.n, 0);
	/* a's request ends: one parked job (the first) gets its room. */
	ck_assert_int_eq(fp_slots_acquire(s, &p1, "a:80", NULL, &x), FP_OK);
	fp_slots_release(s, x, "a:80");
	ck_assert_int_eq(u.n, 1);
	ck_assert_ptr_eq(u.jobs[0], &a2);
	ck_assert_int_eq(u.levels[0], 2);
	/* A cancel hands over what is still parked. */
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a2, 2, &p1), FP_SCHED_GO);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a1, 1, &p2),
			 FP_SCHED_PARKED);
	u.n = 0;
	fp_slots_drop_parked(s, note_drop, &u);
	ck_assert_int_eq(u.n, 2);
	ck_assert_ptr_eq(u.jobs[0], &a3);
	ck_assert_ptr_eq(u.jobs[1], &a1);
	fp_slots_refund(s, &p1);
	fp_slots_destroy(s);
}
END_TEST

START_TEST(paused_host_parks_jobs_until_the_time_given)
{
	struct fp_slots *s;
	struct fp_permit p = { false, NULL };
	struct unparked u = { 0 };
	struct fp_cancel tok;
	struct fp_xfer *x = NULL;
	int a1 = 1, b1 = 2;
	int64_t now = fp_now_ms();

	ck_assert_int_eq(fp_slots_create(&s, 2, 0, NULL, &cfg), FP_OK);
	fp_slots_on_unpark(s, note_unpark, &u);
	fp_slots_pause_host(s, "a:80", now + 60000);
	ck_assert_int_eq(fp_slots_gate(s, "a:80", &a1, 3, &p),
			 FP_SCHED_PARKED);
	ck_assert_int_eq(fp_slots_gate(s, "b:80", &b1, 3, &p), FP_SCHED_GO);
	fp_slots_refund(s, &p);
	/* A request already under way waits for the pause too. */
	fp_cancel_init(&tok);
	fp_cancel_set_deadline(&tok, fp_now_ms() + 50);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", &tok, &x),
			 FP_ECANCELED);
	ck_assert_int_eq(fp_slots_unpause_due(s, now + 1000), now + 60000);
	ck_assert_int_eq(u.n, 0);
	ck_assert_int_eq(fp_slots_unpause_due(s, now + 60000), -1);
	ck_assert_int_eq(u.n, 1);
	ck_assert_ptr_eq(u.jobs[0], &a1);
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "a:80", NULL, &x), FP_OK);
	fp_slots_release(s, x, "a:80");
	fp_cancel_destroy(&tok);
	fp_slots_destroy(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("slots");
	TCase *tc = unit_tcase("slots");

	tcase_add_test(tc, permits_bound_acquires);
	tcase_add_test(tc, handle_prefers_its_hosts);
	tcase_add_test(tc, prepaid_permit_is_used_once_or_refunded);
	tcase_add_test(tc, full_host_parks_jobs_until_it_has_room);
	tcase_add_test(tc, paused_host_parks_jobs_until_the_time_given);
	suite_add_tcase(s, tc);
	return s;
}
