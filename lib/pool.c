/* Start-up gate: threads are created first and wait until all exist, so a
 * failed pthread_create() can abort the pool before any MAIN runs and the
 * caller never has to stop a partly started pool. */
#include "pool.h"
#include "error.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

enum pool_gate { POOL_WAIT, POOL_GO, POOL_ABORT };

struct pool_thread {
	struct fp_pool *pool;
	unsigned index;
	pthread_t tid;
};

struct fp_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum pool_gate gate;
	fp_pool_main_fn *main;
	void *arg;
	unsigned n;
	struct pool_thread *threads;
};

static void *pool_thread_main(void *p)
{
	struct pool_thread *t = p;
	struct fp_pool *pool = t->pool;
	enum pool_gate gate;

	pthread_mutex_lock(&pool->mu);
	while (pool->gate == POOL_WAIT)
		pthread_cond_wait(&pool->cv, &pool->mu);
	gate = pool->gate;
	pthread_mutex_unlock(&pool->mu);
	if (gate == POOL_GO)
		pool->main(pool->arg, t->index);
	return NULL;
}

static void pool_open_gate(struct fp_pool *pool, enum pool_gate gate)
{
	pthread_mutex_lock(&pool->mu);
	pool->gate = gate;
	pthread_cond_broadcast(&pool->cv);
	pthread_mutex_unlock(&pool->mu);
}

static void pool_free(struct fp_pool *pool)
{
	pthread_cond_destroy(&pool->cv);
	pthread_mutex_destroy(&pool->mu);
	free(pool->threads);
	free(pool);
}

int fp_pool_start(struct fp_pool **out, unsigned n, fp_pool_main_fn *main,
		  void *arg)
{
	struct fp_pool *pool;
	unsigned i;

	*out = NULL;
	if (n == 0 || n > FP_POOL_MAX || !main)
		return FP_EINVAL;
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return FP_ENOMEM;
	pool->threads = calloc(n, sizeof(*pool->threads));
	if (!pool->threads) {
		free(pool);
		return FP_ENOMEM;
	}
	pthread_mutex_init(&pool->mu, NULL);
	pthread_cond_init(&pool->cv, NULL);
	pool->gate = POOL_WAIT;
	pool->main = main;
	pool->arg = arg;

	for (i = 0; i < n; i++) {
		pool->threads[i].pool = pool;
		pool->threads[i].index = i;
		if (pthread_create(&pool->threads[i].tid, NULL,
				   pool_thread_main, &pool->threads[i]))
			break;
	}
	if (i < n) {
		unsigned j;

		pool_open_gate(pool, POOL_ABORT);
		for (j = 0; j < i; j++)
			pthread_join(pool->threads[j].tid, NULL);
		pool_free(pool);
		return FP_ETHREAD;
	}
	pool->n = n;
	pool_open_gate(pool, POOL_GO);
	*out = pool;
	return FP_OK;
}

unsigned fp_pool_size(const struct fp_pool *p)
{
	return p->n;
}

void fp_pool_join(struct fp_pool *p)
{
	unsigned i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		pthread_join(p->threads[i].tid, NULL);
	pool_free(p);
}
