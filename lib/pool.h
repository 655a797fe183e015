/* Worker threads with a structured lifetime: all start or none run, and
 * fp_pool_join() joins every one. No thread is ever detached.
 *
 * The pool knows nothing of jobs: each thread runs MAIN(arg, index) once and
 * the caller's MAIN decides when to return (the scheduler's workers return
 * when the job queue is closed and drained). */
#ifndef FP_POOL_H
#define FP_POOL_H

struct fp_pool;

#define FP_POOL_MAX 2048

typedef void fp_pool_main_fn(void *arg, unsigned index);

/* Start N threads (1..FP_POOL_MAX) running MAIN(ARG, i), i = 0..N-1. If
 * any thread cannot be created, the ones already created exit without
 * calling MAIN and are joined, and FP_ETHREAD is returned (FP_ENOMEM,
 * FP_EINVAL likewise); then MAIN never ran. On FP_OK *out must later go
 * to fp_pool_join(). */
int fp_pool_start(struct fp_pool **out, unsigned n, fp_pool_main_fn *main,
		  void *arg);

/* Number of threads. */
unsigned fp_pool_size(const struct fp_pool *p);

/* Wait for every thread's MAIN to return, join them, free the pool. Must be
 * called exactly once, from a thread outside the pool. NULL is fine. */
void fp_pool_join(struct fp_pool *p);

#endif
