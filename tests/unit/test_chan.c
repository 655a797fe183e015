/* Channel: close semantics, rendezvous, drain, and a 16-thread stress. */
#include "runner.h"
#include "chan.h"
#include "error.h"
#include "timeutil.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

/* Wait (yielding) until a predicate on the channel holds; the per-case
 * timeout turns a missed state into a failure instead of a hang. */
#define WAIT_UNTIL(cond)                 \
	do {                             \
		while (!(cond))          \
			sched_yield();   \
	} while (0)

struct peer {
	struct fp_chan *ch;
	void *item;
	int rc;
};

static void *peer_send(void *p)
{
	struct peer *pe = p;

	pe->rc = fp_chan_send(pe->ch, pe->item);
	return NULL;
}

static void *peer_recv(void *p)
{
	struct peer *pe = p;

	pe->rc = fp_chan_recv(pe->ch, &pe->item);
	return NULL;
}

START_TEST(fifo_order)
{
	struct fp_chan *ch;
	void *v;
	intptr_t i;

	ck_assert_int_eq(fp_chan_create(&ch, 4, NULL), FP_OK);
	for (i = 1; i <= 4; i++)
		ck_assert_int_eq(fp_chan_send(ch, (void *)i), FP_OK);
	ck_assert_uint_eq(fp_chan_len(ch), 4);
	for (i = 1; i <= 4; i++) {
		ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
		ck_assert_ptr_eq(v, (void *)i);
	}
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(close_drains_then_reports_closed)
{
	struct fp_chan *ch;
	void *v;
	intptr_t i;

	ck_assert_int_eq(fp_chan_create(&ch, 8, NULL), FP_OK);
	for (i = 1; i <= 5; i++)
		ck_assert_int_eq(fp_chan_send(ch, (void *)i), FP_OK);
	fp_chan_close(ch);
	ck_assert_int_eq(fp_chan_send(ch, (void *)99), FP_ECLOSED);
	for (i = 1; i <= 5; i++) {
		ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
		ck_assert_ptr_eq(v, (void *)i);
	}
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_ECLOSED);
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_ECLOSED);
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(close_wakes_blocked_receivers)
{
	struct fp_chan *ch;
	struct peer p[6];
	pthread_t t[6];
	int i;

	ck_assert_int_eq(fp_chan_create(&ch, 2, NULL), FP_OK);
	for (i = 0; i < 6; i++) {
		p[i].ch = ch;
		p[i].rc = 1;
		pthread_create(&t[i], NULL, peer_recv, &p[i]);
	}
	WAIT_UNTIL(fp_chan_waiting_receivers(ch) == 6);
	fp_chan_close(ch);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(p[i].rc, FP_ECLOSED);
	}
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(close_wakes_blocked_senders_and_keeps_buffer)
{
	struct fp_chan *ch;
	struct peer p[4];
	pthread_t t[4];
	void *v;
	int i;

	ck_assert_int_eq(fp_chan_create(&ch, 2, NULL), FP_OK);
	ck_assert_int_eq(fp_chan_send(ch, (void *)1), FP_OK);
	ck_assert_int_eq(fp_chan_send(ch, (void *)2), FP_OK);
	for (i = 0; i < 4; i++) {
		p[i].ch = ch;
		p[i].item = (void *)(intptr_t)(10 + i);
		p[i].rc = 1;
		pthread_create(&t[i], NULL, peer_send, &p[i]);
	}
	WAIT_UNTIL(fp_chan_waiting_senders(ch) == 4);
	fp_chan_close(ch);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(p[i].rc, FP_ECLOSED);
	}
	/* The two items buffered before close are still delivered. */
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
	ck_assert_ptr_eq(v, (void *)1);
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
	ck_assert_ptr_eq(v, (void *)2);
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_ECLOSED);
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(rendezvous_handoff)
{
	struct fp_chan *ch;
	struct peer p = { 0 };
	pthread_t t;
	void *v = NULL;

	ck_assert_int_eq(fp_chan_create(&ch, 0, NULL), FP_OK);
	p.ch = ch;
	p.item = (void *)0x42;
	p.rc = 1;
	pthread_create(&t, NULL, peer_send, &p);
	/* The sender is parked until a receiver takes the item. */
	WAIT_UNTIL(fp_chan_waiting_senders(ch) == 1 && fp_chan_len(ch) == 1);
	ck_assert_int_eq(p.rc, 1);
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
	ck_assert_ptr_eq(v, (void *)0x42);
	pthread_join(t, NULL);
	ck_assert_int_eq(p.rc, FP_OK);
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(rendezvous_receiver_first)
{
	struct fp_chan *ch;
	struct peer p = { 0 };
	pthread_t t;

	ck_assert_int_eq(fp_chan_create(&ch, 0, NULL), FP_OK);
	p.ch = ch;
	p.rc = 1;
	pthread_create(&t, NULL, peer_recv, &p);
	WAIT_UNTIL(fp_chan_waiting_receivers(ch) == 1);
	ck_assert_int_eq(fp_chan_send(ch, (void *)7), FP_OK);
	pthread_join(t, NULL);
	ck_assert_int_eq(p.rc, FP_OK);
	ck_assert_ptr_eq(p.item, (void *)7);
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(rendezvous_close_fails_pending_send)
{
	struct fp_chan *ch;
	struct peer p = { 0 };
	pthread_t t;
	void *v;

	ck_assert_int_eq(fp_chan_create(&ch, 0, NULL), FP_OK);
	p.ch = ch;
	p.item = (void *)5;
	p.rc = 1;
	pthread_create(&t, NULL, peer_send, &p);
	WAIT_UNTIL(fp_chan_waiting_senders(ch) == 1 && fp_chan_len(ch) == 1);
	fp_chan_close(ch);
	pthread_join(t, NULL);
	/* Either nobody took it (send fails, item stays the sender's) ... */
	ck_assert_int_eq(p.rc, FP_ECLOSED);
	ck_assert_int_eq(fp_chan_recv(ch, &v), FP_ECLOSED);
	fp_chan_destroy(ch);
}
END_TEST

START_TEST(recv_until_times_out)
{
	struct fp_chan *ch;
	void *v;

	ck_assert_int_eq(fp_chan_create(&ch, 1, NULL), FP_OK);
	ck_assert_int_eq(fp_chan_recv_until(ch, &v, fp_now_ms() + 20),
			 FP_ETIMEDOUT);
	ck_assert_int_eq(fp_chan_send(ch, (void *)3), FP_OK);
	ck_assert_int_eq(fp_chan_recv_until(ch, &v, fp_now_ms() + 20), FP_OK);
	ck_assert_ptr_eq(v, (void *)3);
	fp_chan_destroy(ch);
}
END_TEST

/* Quiet items are taken in order by a polling receiver; a receiver that
 * waits with no deadline is woken once the ring is half full (or it
 * would wait for ever: the case's timeout fails it); a plain send wakes
 * it at once. */
START_TEST(quiet_send_wakes_at_half_full)
{
	struct fp_chan *ch;
	struct peer p;
	pthread_t t;
	void *v;
	intptr_t i;

	ck_assert_int_eq(fp_chan_create(&ch, 8, NULL), FP_OK);
	ck_assert_int_eq(fp_chan_send_quiet(ch, (void *)1), FP_OK);
	ck_assert_int_eq(fp_chan_recv_until(ch, &v, fp_now_ms() + 20), FP_OK);
	ck_assert_ptr_eq(v, (void *)1);

	p = (struct peer){ ch, NULL, -1 };
	pthread_create(&t, NULL, peer_recv, &p);
	WAIT_UNTIL(fp_chan_waiting_receivers(ch) == 1);
	for (i = 1; i <= 4; i++)
		ck_assert_int_eq(fp_chan_send_quiet(ch, (void *)(i + 10)),
				 FP_OK);
	pthread_join(t, NULL);
	ck_assert_int_eq(p.rc, FP_OK);
	ck_assert_ptr_eq(p.item, (void *)11);
	for (i = 2; i <= 4; i++) {
		ck_assert_int_eq(fp_chan_recv(ch, &v), FP_OK);
		ck_assert_ptr_eq(v, (void *)(i + 10));
	}

	p = (struct peer){ ch, NULL, -1 };
	pthread_create(&t, NULL, peer_recv, &p);
	WAIT_UNTIL(fp_chan_waiting_receivers(ch) == 1);
	ck_assert_int_eq(fp_chan_send(ch, (void *)99), FP_OK);
	pthread_join(t, NULL);
	ck_assert_ptr_eq(p.item, (void *)99);
	fp_chan_destroy(ch);
}
END_TEST

static int freed;
static void count_free(void *item)
{
	freed += (int)(intptr_t)item;
}

START_TEST(destroy_frees_leftovers)
{
	struct fp_chan *ch;

	freed = 0;
	ck_assert_int_eq(fp_chan_create(&ch, 4, count_free), FP_OK);
	fp_chan_send(ch, (void *)1);
	fp_chan_send(ch, (void *)2);
	fp_chan_send(ch, (void *)4);
	fp_chan_destroy(ch);
	ck_assert_int_eq(freed, 7);
}
END_TEST

/* 16 producers x 10,000 items through 16 consumers: every item arrives
 * exactly once. Run for a buffered and a rendezvous channel. */
#define STRESS_THREADS 16
#define STRESS_ITEMS 10000

struct stress {
	struct fp_chan *ch;
	int base;
	unsigned char *seen; /* counts per item */
	pthread_mutex_t *mu;
	long got;
};

static void *stress_producer(void *p)
{
	struct stress *s = p;
	int i;

	for (i = 0; i < STRESS_ITEMS; i++)
		if (fp_chan_send(s->ch, (void *)(intptr_t)(s->base + i + 1)))
			s->got = -1; /* checked by the main thread */
	return NULL;
}

static void *stress_consumer(void *p)
{
	struct stress *s = p;
	void *v;

	while (fp_chan_recv(s->ch, &v) == FP_OK) {
		intptr_t k = (intptr_t)v - 1;

		pthread_mutex_lock(s->mu);
		s->seen[k]++;
		pthread_mutex_unlock(s->mu);
		s->got++;
	}
	return NULL;
}

static void stress_run(size_t cap)
{
	struct stress prod[STRESS_THREADS], cons[STRESS_THREADS];
	pthread_t pt[STRESS_THREADS], ct[STRESS_THREADS];
	size_t total = (size_t)STRESS_THREADS * STRESS_ITEMS, k;
	unsigned char *seen = calloc(total, 1);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct fp_chan *ch;
	long got = 0;
	int i;

	ck_assert_int_eq(fp_chan_create(&ch, cap, NULL), FP_OK);
	for (i = 0; i < STRESS_THREADS; i++) {
		cons[i] = (struct stress){ ch, 0, seen, &mu, 0 };
		pthread_create(&ct[i], NULL, stress_consumer, &cons[i]);
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		prod[i] = (struct stress){ ch, i * STRESS_ITEMS, seen, &mu, 0 };
		pthread_create(&pt[i], NULL, stress_producer, &prod[i]);
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		pthread_join(pt[i], NULL);
		ck_assert_int_eq(prod[i].got, 0);
	}
	fp_chan_close(ch);
	for (i = 0; i < STRESS_THREADS; i++) {
		pthread_join(ct[i], NULL);
		got += cons[i].got;
	}
	ck_assert_int_eq(got, (long)total);
	for (k = 0; k < total; k++)
		ck_assert_msg(seen[k] == 1, "item %zu seen %d times", k,
			      seen[k]);
	free(seen);
	fp_chan_destroy(ch);
}

START_TEST(stress_buffered)
{
	stress_run(64);
}
END_TEST

START_TEST(stress_rendezvous)
{
	stress_run(0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("chan");
	TCase *tc = unit_tcase("chan");

	tcase_add_test(tc, fifo_order);
	tcase_add_test(tc, close_drains_then_reports_closed);
	tcase_add_test(tc, close_wakes_blocked_receivers);
	tcase_add_test(tc, close_wakes_blocked_senders_and_keeps_buffer);
	tcase_add_test(tc, rendezvous_handoff);
	tcase_add_test(tc, rendezvous_receiver_first);
	tcase_add_test(tc, rendezvous_close_fails_pending_send);
	tcase_add_test(tc, recv_until_times_out);
	tcase_add_test(tc, quiet_send_wakes_at_half_full);
	tcase_add_test(tc, destroy_frees_leftovers);
	tcase_add_test(tc, stress_buffered);
	tcase_add_test(tc, stress_rendezvous);
	suite_add_tcase(s, tc);
	return s;
}
