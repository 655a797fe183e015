/* The files a run leaves for cron and monitoring, written at its end by
 * every command the same way: --metrics (lib/metrics.h). */
#ifndef FP_CMD_OPSOUT_H
#define FP_CMD_OPSOUT_H

#include "fetchpool.h"
#include "options.h"
#include "output.h"

/* With --metrics and not --dry-run: finish m (the duration, the exit
 * status rc; the jobs were taken from the engine already) and write it.
 * Returns rc, or FP_EXIT_FAILED when rc was 0 and the file could not be
 * written (one error line). */
int fp_ops_metrics(const struct fp_opts *o, struct fp_out *out,
		   struct fp_metrics *m, int rc);

#endif
