/* Cancellation token, worker pool start/join, and the signal thread. */
#include "runner.h"
#include "cancel.h"
#include "error.h"
#include "pool.h"
#include "sigthread.h"
#include "timeutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

static void count_wake(void *arg)
{
	atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(token_fire_runs_wakers)
{
	struct fp_cancel c;
	atomic_int n1 = 0, n2 = 0;
	struct fp_cancel_waker w1 = { count_wake, &n1, NULL };
	struct fp_cancel_waker w2 = { count_wake, &n2, NULL };

	fp_cancel_init(&c);
	ck_assert(!fp_cancel_is_set(&c));
	fp_cancel_add_waker(&c, &w1);
	fp_cancel_add_waker(&c, &w2);
	fp_cancel_remove_waker(&c, &w2);
	fp_cancel_fire(&c);
	ck_assert(fp_cancel_is_set(&c));
	ck_assert(fp_cancel_was_fired(&c));
	ck_assert_int_eq(atomic_load(&n1), 1);
	ck_assert_int_eq(atomic_load(&n2), 0);
	fp_cancel_remove_waker(&c, &w1);
	fp_cancel_reset(&c, 0);
	ck_assert(!fp_cancel_is_set(&c));
	fp_cancel_destroy(&c);
}
END_TEST

START_TEST(token_deadline)
{
	struct fp_cancel c;

	fp_cancel_init(&c);
	ck_assert_int_eq(fp_cancel_remaining_ms(&c), INT64_MAX);
	fp_cancel_set_deadline(&c, fp_now_ms() + 60000);
	ck_assert(!fp_cancel_is_set(&c));
	ck_assert_int_gt(fp_cancel_remaining_ms(&c), 50000);
	fp_cancel_set_deadline(&c, fp_now_ms() - 1);
	ck_assert(fp_cancel_is_set(&c));
	ck_assert(!fp_cancel_was_fired(&c));
	ck_assert_int_eq(fp_cancel_remaining_ms(&c), 0);
	fp_cancel_destroy(&c);
}
END_TEST

#define NTHREADS 8
static atomic_int ran[NTHREADS];

static void pool_main(void *arg, unsigned index)
{
	atomic_fetch_add(&ran[index], 1);
	atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(pool_runs_each_index_once)
{
	struct fp_pool *p;
	atomic_int total = 0;
	int i;

	for (i = 0; i < NTHREADS; i++)
		atomic_store(&ran[i], 0);
	ck_assert_int_eq(fp_pool_start(&p, NTHREADS, pool_main, &total), FP_OK);
	ck_assert_uint_eq(fp_pool_size(p), NTHREADS);
	fp_pool_join(p);
	ck_assert_int_eq(atomic_load(&total), NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(atomic_load(&ran[i]), 1);
}
END_TEST

START_TEST(pool_rejects_bad_sizes)
{
	struct fp_pool *p = (struct fp_pool *)1;
	atomic_int total = 0;

	ck_assert_int_eq(fp_pool_start(&p, 0, pool_main, &total), FP_EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(fp_pool_start(&p, FP_POOL_MAX + 1, pool_main, &total),
			 FP_EINVAL);
	ck_assert_int_eq(atomic_load(&total), 0);
}
END_TEST

static pthread_mutex_t smu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t scv = PTHREAD_COND_INITIALIZER;
static int got_signo;

static void on_sig(int signo, void *arg)
{
	/* Fire before telling the test, which then checks the token. */
	fp_cancel_fire(arg);
	pthread_mutex_lock(&smu);
	got_signo = signo;
	pthread_cond_broadcast(&scv);
	pthread_mutex_unlock(&smu);
}

START_TEST(sigthread_first_signal_cancels)
{
	struct fp_sigthread *st;
	struct fp_cancel run;

	fp_cancel_init(&run);
	got_signo = 0;
	ck_assert_int_eq(fp_sigthread_start(&st, on_sig, &run), FP_OK);
	kill(getpid(), SIGTERM);
	pthread_mutex_lock(&smu);
	while (!got_signo)
		pthread_cond_wait(&scv, &smu);
	pthread_mutex_unlock(&smu);
	ck_assert_int_eq(got_signo, SIGTERM);
	ck_assert_int_eq(fp_sigthread_received(st), SIGTERM);
	ck_assert(fp_cancel_was_fired(&run));
	fp_sigthread_stop(st);
	fp_cancel_destroy(&run);
}
END_TEST

static void ignore_sig(int signo, void *arg)
{
	(void)signo;
	(void)arg;
}

START_TEST(sigthread_second_signal_exits_at_once)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct fp_sigthread *st;

		if (fp_sigthread_start(&st, ignore_sig, NULL))
			_exit(99);
		kill(getpid(), SIGINT);
		while (!fp_sigthread_received(st))
			usleep(1000);
		kill(getpid(), SIGINT);
		for (;;)
			pause(); /* only the second signal ends this process */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 130);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("cancel");
	TCase *tc = unit_tcase("cancel");

	tcase_add_test(tc, token_fire_runs_wakers);
	tcase_add_test(tc, token_deadline);
	tcase_add_test(tc, pool_runs_each_index_once);
	tcase_add_test(tc, pool_rejects_bad_sizes);
	tcase_add_test(tc, sigthread_first_signal_cancels);
	tcase_add_test(tc, sigthread_second_signal_exits_at_once);
	suite_add_tcase(s, tc);
	return s;
}
