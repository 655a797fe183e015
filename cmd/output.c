#include "output.h"

#include <stdarg.h>

#include "progress.h"

static void out_line(struct fp_out *o, FILE *f, const char *fmt, va_list ap)
{
	struct fp_progress *p = fp_progress_covers(o->progress, f)
					? o->progress
					: NULL;

	fp_progress_hide(p);
	flockfile(f);
	vfprintf(f, fmt, ap);
	putc_unlocked('\n', f);
	/* The line must be on the terminal before the status line is
	 * redrawn below it. */
	if (p)
		fflush_unlocked(f);
	funlockfile(f);
	fp_progress_show(p);
}

void fp_out_event(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	va_start(ap, fmt);
	out_line(o, o->out, fmt, ap);
	va_end(ap);
}

void fp_out_error(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_line(o, o->err, fmt, ap);
	va_end(ap);
}

void fp_out_verbose(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	out_line(o, o->err, fmt, ap);
	va_end(ap);
}

char *fp_out_bytes(int64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = -1;

	if (n < 1000) {
		snprintf(buf, len, "%lld B", (long long)n);
		return buf;
	}
	while (v >= 1000 && u < 3) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

void fp_out_sanitize(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}
