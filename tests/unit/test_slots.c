/* Request slots: permits bound requests, prepaid permits are used once or
 * refunded, a freed permit is announced, and a handle is reused for the
 * host it last served. No request is made: handles are only handed out. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
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

	ck_assert_int_eq(fp_slots_create(&s, 2, NULL, &cfg), FP_OK);
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

START_TEST(handle_prefers_its_last_host)
{
	struct fp_slots *s;
	struct fp_xfer *a, *b, *again;

	ck_assert_int_eq(fp_slots_create(&s, 2, NULL, &cfg), FP_OK);
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
	/* A new host takes the handle idle longest (b's, freed before a's). */
	ck_assert_int_eq(fp_slots_acquire(s, NULL, "c:80", NULL, &again),
			 FP_OK);
	ck_assert_ptr_eq(again, b);
	fp_slots_release(s, again, "c:80");
	ck_assert_uint_eq(fp_slots_handles(s), 2);
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

	ck_assert_int_eq(fp_slots_create(&s, 2, NULL, &cfg), FP_OK);
	fp_slots_on_free(s, count_wake, &woken);
	ck_assert(fp_slots_try_prepay(s));
	ck_assert(fp_slots_try_prepay(s));
	ck_assert(!fp_slots_try_prepay(s));
	/* Nothing free: a wake is not passed on. */
	fp_slots_wake(s);
	ck_assert_int_eq(atomic_load(&woken), 0);
	/* The prepaid permit serves the request: nothing more is taken. */
	p.held = true;
	ck_assert_int_eq(fp_slots_acquire(s, &p, "a:80", NULL, &x), FP_OK);
	ck_assert(!p.held);
	ck_assert_uint_eq(fp_slots_in_flight(s), 2);
	fp_slots_release(s, x, "a:80");
	ck_assert_uint_eq(fp_slots_in_flight(s), 1);
	fp_slots_wake(s);
	ck_assert_int_eq(atomic_load(&woken), 1);
	/* A refund gives back a prepaid permit only once. */
	p.held = true;
	fp_slots_refund(s, &p);
	fp_slots_refund(s, &p);
	ck_assert_uint_eq(fp_slots_in_flight(s), 0);
	fp_slots_destroy(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("slots");
	TCase *tc = unit_tcase("slots");

	tcase_add_test(tc, permits_bound_acquires);
	tcase_add_test(tc, handle_prefers_its_last_host);
	tcase_add_test(tc, prepaid_permit_is_used_once_or_refunded);
	suite_add_tcase(s, tc);
	return s;
}
