#include "sigthread.h"
#include "error.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fp_sigthread {
	pthread_t tid;
	sigset_t set;
	atomic_int received;
	atomic_bool stopping;
	fp_sigthread_fn *on_signal;
	void *arg;
};

static void sigthread_die(int signo)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg),
			 "fetchpool: second %s, exiting at once\n",
			 signo == SIGINT ? "SIGINT" : "SIGTERM");

	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0; /* nothing more to do about it */
	_exit(128 + signo);
}

static void *sigthread_main(void *p)
{
	struct fp_sigthread *st = p;

	for (;;) {
		int signo;

		if (sigwait(&st->set, &signo))
			continue;
		if (signo == SIGUSR2) {
			if (atomic_load(&st->stopping))
				break;
			continue;
		}
		if (atomic_load(&st->received))
			sigthread_die(signo);
		atomic_store(&st->received, signo);
		if (st->on_signal)
			st->on_signal(signo, st->arg);
	}
	return NULL;
}

int fp_sigthread_start(struct fp_sigthread **out, fp_sigthread_fn *on_signal,
		       void *arg)
{
	struct fp_sigthread *st = calloc(1, sizeof(*st));
	sigset_t old;

	*out = NULL;
	if (!st)
		return FP_ENOMEM;
	sigemptyset(&st->set);
	sigaddset(&st->set, SIGINT);
	sigaddset(&st->set, SIGTERM);
	sigaddset(&st->set, SIGUSR2);
	atomic_init(&st->received, 0);
	atomic_init(&st->stopping, false);
	st->on_signal = on_signal;
	st->arg = arg;
	pthread_sigmask(SIG_BLOCK, &st->set, &old);
	if (pthread_create(&st->tid, NULL, sigthread_main, st)) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		free(st);
		return FP_ETHREAD;
	}
	*out = st;
	return FP_OK;
}

int fp_sigthread_received(struct fp_sigthread *st)
{
	return atomic_load(&st->received);
}

void fp_sigthread_stop(struct fp_sigthread *st)
{
	if (!st)
		return;
	atomic_store(&st->stopping, true);
	pthread_kill(st->tid, SIGUSR2);
	pthread_join(st->tid, NULL);
	free(st);
}
