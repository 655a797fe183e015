#include "config.h"
#include "opsout.h"
#include "exit.h"

#include <errno.h>
#include <string.h>

int fp_ops_metrics(const struct fp_opts *o, struct fp_out *out,
		   struct fp_metrics *m, int rc)
{
	if (!o->metrics || o->dry_run)
		return rc;
	fp_metrics_finish(m, rc);
	if (fp_metrics_write(m, o->metrics, o->fsync) == FP_OK)
		return rc;
	fp_out_error(out, "fetchpool: cannot write metrics '%s': %s",
		     o->metrics, strerror(errno));
	return rc ? rc : FP_EXIT_FAILED;
}
