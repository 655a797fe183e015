/* fetchpool's exit statuses, one name each, for every command to return
 * and for main() to pass on; doc/fetchpool.1.in (EXIT STATUS) and --help
 * describe them. */
#ifndef FP_CMD_EXIT_H
#define FP_CMD_EXIT_H

enum fp_exit {
	FP_EXIT_OK = 0,       /* every job done or already up to date */
	FP_EXIT_FAILED = 1,   /* a job failed or was cancelled, or a line
			       * of the list was invalid */
	FP_EXIT_USAGE = 2,    /* bad command line, unreadable FILE, unusable
			       * output directory: nothing was fetched */
	FP_EXIT_LOCKED = 3,   /* another run holds the output directory */
	FP_EXIT_SIGNAL = 128, /* plus the signal number, as shells report a
			       * death by signal: 130 SIGINT, 143 SIGTERM */
};

/* The status of a run stopped cleanly by signal SIGNO. */
static inline int fp_exit_signal(int signo)
{
	return FP_EXIT_SIGNAL + signo;
}

#endif
