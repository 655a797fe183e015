/* fetchpool: parse the options, put signals on their own thread, run the
 * command the table picked, pass on its exit status. */
#include "config.h"
#include "commands.h"
#include "exit.h"
#include "run.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

/* On the signal thread: the first SIGINT/SIGTERM cancels the run. */
static void main_on_signal(int signo, void *arg)
{
	(void)arg;
	fp_runctl_signal(signo);
}

int main(int argc, char **argv)
{
	struct fp_sigthread *st = NULL;
	struct fp_opts o;
	struct fp_out out = { stdout, stderr, 0, 0 };
	int rc;

	/* A closed stdout pipe, or a file past `ulimit -f`, must be an error
	 * we report (EPIPE, EFBIG), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
#ifdef M_ARENA_MAX
	/* glibc gives each thread its own malloc arena (up to 8 per core),
	 * each keeping freed buffers: 1 MB of the 16 MB budget at -j 16.
	 * malloc is 3 % of the CPU, so two arenas cost nothing measurable. */
	mallopt(M_ARENA_MAX, 2);
#endif

	switch (fp_opts_parse(&o, argc, argv, stdout, stderr)) {
	case FP_OPTS_EXIT_OK:
		fp_opts_free(&o);
		return fflush(stdout) || ferror(stdout) ? FP_EXIT_FAILED
							: FP_EXIT_OK;
	case FP_OPTS_USAGE:
		fp_opts_free(&o);
		return FP_EXIT_USAGE;
	case FP_OPTS_RUN:
		break;
	}
	out.quiet = o.quiet;
	out.verbose = o.verbose;

	/* Before any other thread exists, so that all inherit the mask. */
	if (fp_sigthread_start(&st, main_on_signal, NULL)) {
		fprintf(stderr, "fetchpool: cannot start the signal thread\n");
		fp_opts_free(&o);
		return FP_EXIT_FAILED;
	}
	if (fp_init()) {
		fprintf(stderr,
			"fetchpool: cannot initialise libcurl and libxml2\n");
		fp_sigthread_stop(st);
		fp_opts_free(&o);
		return FP_EXIT_FAILED;
	}

	rc = o.cmd->run(&o, &out);

	fp_cleanup();
	fp_sigthread_stop(st);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr,
			"fetchpool: error writing to standard output\n");
		if (rc == FP_EXIT_OK)
			rc = FP_EXIT_FAILED;
	}
	fp_opts_free(&o);
	return rc;
}
