#include "run.h"

int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out)
{
	(void)o;
	fp_out_error(out, "fetchpool: gdp: not built yet");
	return 2;
}
