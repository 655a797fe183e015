/* Semaphore: the bound holds under contention and is reached; close and
 * cancellation wake blocked acquirers. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
#include "sem.h"
#include "timeutil.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define WAIT_UNTIL(cond)               \
	do {                           \
		while (!(cond))        \
			sched_yield(); \
	} while (0)

#define K 4
#define THREADS 16

struct contend {
	struct fp_sem *sem;
	atomic_int *inflight;
	atomic_int *max;
	atomic_bool *gate; /* first acquirers hold until it opens */
	int rc;
};

static void note_max(atomic_int *max, int cur)
{
	int m = atomic_load(max);

	while (cur > m && !atomic_compare_exchange_weak(max, &m, cur))
		;
}

static void *contend_main(void *p)
{
	struct contend *c = p;
	int i;

	for (i = 0; i < 2000; i++) {
		if (fp_sem_acquire(c->sem, NULL) != FP_OK) {
			c->rc = -1;
			return NULL;
		}
		note_max(c->max, atomic_fetch_add(c->inflight, 1) + 1);
		while (i == 0 && !atomic_load(c->gate))
			sched_yield();
		atomic_fetch_sub(c->inflight, 1);
		fp_sem_release(c->sem);
	}
	return NULL;
}

START_TEST(bound_is_reached_and_never_exceeded)
{
	struct fp_sem *sem;
	struct contend c[THREADS];
	pthread_t t[THREADS];
	atomic_int inflight = 0, max = 0;
	atomic_bool gate = false;
	int i;

	ck_assert_int_eq(fp_sem_create(&sem, K), FP_OK);
	for (i = 0; i < THREADS; i++) {
		c[i] = (struct contend){ sem, &inflight, &max, &gate, 0 };
		pthread_create(&t[i], NULL, contend_main, &c[i]);
	}
	/* Every thread holds its first unit until the gate opens, so exactly
	 * K hold and the others must be parked in acquire. */
	WAIT_UNTIL(fp_sem_held(sem) == K && fp_sem_waiting(sem) == THREADS - K);
	ck_assert_int_eq(atomic_load(&inflight), K);
	atomic_store(&gate, true);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(c[i].rc, 0);
	}
	ck_assert_int_eq(atomic_load(&max), K);
	ck_assert_uint_eq(fp_sem_peak(sem), K);
	ck_assert_uint_eq(fp_sem_held(sem), 0);
	fp_sem_destroy(sem);
}
END_TEST

struct waiter {
	struct fp_sem *sem;
	struct fp_cancel *tok;
	int rc;
};

static void *waiter_main(void *p)
{
	struct waiter *w = p;

	w->rc = fp_sem_acquire(w->sem, w->tok);
	return NULL;
}

START_TEST(close_wakes_acquirers)
{
	struct fp_sem *sem;
	struct waiter w[3];
	pthread_t t[3];
	int i;

	ck_assert_int_eq(fp_sem_create(&sem, 1), FP_OK);
	ck_assert_int_eq(fp_sem_acquire(sem, NULL), FP_OK);
	for (i = 0; i < 3; i++) {
		w[i] = (struct waiter){ sem, NULL, 1 };
		pthread_create(&t[i], NULL, waiter_main, &w[i]);
	}
	WAIT_UNTIL(fp_sem_waiting(sem) == 3);
	fp_sem_close(sem);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].rc, FP_ECLOSED);
	}
	ck_assert_int_eq(fp_sem_acquire(sem, NULL), FP_ECLOSED);
	fp_sem_release(sem);
	fp_sem_destroy(sem);
}
END_TEST

START_TEST(token_fire_wakes_one_acquirer)
{
	struct fp_sem *sem;
	struct fp_cancel tok, other;
	struct waiter w1, w2;
	pthread_t t1, t2;

	fp_cancel_init(&tok);
	fp_cancel_init(&other);
	ck_assert_int_eq(fp_sem_create(&sem, 1), FP_OK);
	ck_assert_int_eq(fp_sem_acquire(sem, NULL), FP_OK);
	w1 = (struct waiter){ sem, &tok, 1 };
	w2 = (struct waiter){ sem, &other, 1 };
	pthread_create(&t1, NULL, waiter_main, &w1);
	pthread_create(&t2, NULL, waiter_main, &w2);
	WAIT_UNTIL(fp_sem_waiting(sem) == 2);
	fp_cancel_fire(&tok);
	pthread_join(t1, NULL);
	ck_assert_int_eq(w1.rc, FP_ECANCELED);
	/* The other waiter is unaffected and gets the unit on release. */
	ck_assert_uint_eq(fp_sem_waiting(sem), 1);
	fp_sem_release(sem);
	pthread_join(t2, NULL);
	ck_assert_int_eq(w2.rc, FP_OK);
	fp_sem_release(sem);
	fp_sem_destroy(sem);
	fp_cancel_destroy(&tok);
	fp_cancel_destroy(&other);
}
END_TEST

START_TEST(deadline_ends_wait)
{
	struct fp_sem *sem;
	struct fp_cancel tok;

	fp_cancel_init(&tok);
	fp_cancel_set_deadline(&tok, fp_now_ms() + 30);
	ck_assert_int_eq(fp_sem_create(&sem, 1), FP_OK);
	ck_assert_int_eq(fp_sem_acquire(sem, NULL), FP_OK);
	ck_assert_int_eq(fp_sem_acquire(sem, &tok), FP_ECANCELED);
	ck_assert(fp_cancel_is_set(&tok));
	ck_assert_uint_eq(fp_sem_held(sem), 1);
	fp_sem_release(sem);
	fp_sem_destroy(sem);
	fp_cancel_destroy(&tok);
}
END_TEST

START_TEST(zero_units_rejected)
{
	struct fp_sem *sem = (struct fp_sem *)1;

	ck_assert_int_eq(fp_sem_create(&sem, 0), FP_EINVAL);
	ck_assert_ptr_null(sem);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("sem");
	TCase *tc = unit_tcase("sem");

	tcase_add_test(tc, bound_is_reached_and_never_exceeded);
	tcase_add_test(tc, close_wakes_acquirers);
	tcase_add_test(tc, token_fire_wakes_one_acquirer);
	tcase_add_test(tc, deadline_ends_wait);
	tcase_add_test(tc, zero_units_rejected);
	suite_add_tcase(s, tc);
	return s;
}
