/* Counting semaphore: mutex + condition variable + count, with a close that
 * wakes every acquirer (a sem_t cannot be closed).
 *
 * fetchpool holds one unit for exactly the time an HTTP request is in flight
 * (never across a backoff sleep), so the number of units bounds requests in
 * flight. All functions are thread-safe except destroy. */
#ifndef FP_SEM_H
#define FP_SEM_H

struct fp_sem;
struct fp_cancel;

/* Create a semaphore with UNITS units (>= 1). FP_OK and *out, FP_EINVAL or
 * FP_ENOMEM (*out NULL). */
int fp_sem_create(struct fp_sem **out, unsigned units);

/* Take one unit, blocking while none is free. Returns FP_OK, FP_ECLOSED once
 * the semaphore is closed, or FP_ECANCELED if TOK (may be NULL) fires or its
 * deadline passes while waiting. On failure no unit is held. */
int fp_sem_acquire(struct fp_sem *s, struct fp_cancel *tok);

/* Take one unit only if one is free now: FP_OK, FP_EBUSY or FP_ECLOSED.
 * Never blocks, so it may be called under another lock. */
int fp_sem_try_acquire(struct fp_sem *s);

/* Give back a unit taken by fp_sem_acquire() or fp_sem_try_acquire(). */
void fp_sem_release(struct fp_sem *s);


/* Close: every current and future acquire fails with FP_ECLOSED. Units
 * already held may still be released. Idempotent. */
void fp_sem_close(struct fp_sem *s);

/* Units held now, and the most ever held at once (snapshots). */
unsigned fp_sem_held(struct fp_sem *s);
unsigned fp_sem_peak(struct fp_sem *s);

/* Number of threads blocked in fp_sem_acquire() now (for tests). */
unsigned fp_sem_waiting(struct fp_sem *s);

/* Free; no thread may be blocked in it. NULL is fine. */
void fp_sem_destroy(struct fp_sem *s);

#endif
