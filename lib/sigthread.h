/* Signal handling on one dedicated thread.
 *
 * fp_sigthread_start() blocks SIGINT, SIGTERM and SIGUSR2 in the calling
 * thread, so it must run before any other thread is created: every thread
 * created later inherits the mask and no handler ever runs asynchronously.
 * The signal thread sits in sigwait(). The first SIGINT or SIGTERM calls
 * ON_SIGNAL(signo, ARG) on the signal thread (typically: cancel the run); a
 * second one writes a line to stderr and calls _exit(128 + signo) at once.
 * SIGUSR2 is used internally to stop the thread. */
#ifndef FP_SIGTHREAD_H
#define FP_SIGTHREAD_H

struct fp_sigthread;

typedef void fp_sigthread_fn(int signo, void *arg);

/* FP_OK and *out, FP_ENOMEM or FP_ETHREAD (mask restored, *out NULL). */
int fp_sigthread_start(struct fp_sigthread **out, fp_sigthread_fn *on_signal,
		       void *arg);

/* The first SIGINT/SIGTERM received, or 0. Thread-safe. */
int fp_sigthread_received(struct fp_sigthread *st);

/* Stop and join the signal thread and free it. The signal mask of the
 * calling thread stays blocked (other threads may still run). NULL ok. */
void fp_sigthread_stop(struct fp_sigthread *st);

#endif
