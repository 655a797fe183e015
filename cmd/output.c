#include "output.h"

#include <stdarg.h>

static void out_line(FILE *f, const char *fmt, va_list ap)
{
	flockfile(f);
	vfprintf(f, fmt, ap);
	putc_unlocked('\n', f);
	funlockfile(f);
}

void fp_out_event(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	va_start(ap, fmt);
	out_line(o->out, fmt, ap);
	va_end(ap);
}

void fp_out_error(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_line(o->err, fmt, ap);
	va_end(ap);
}

void fp_out_verbose(struct fp_out *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	out_line(o->err, fmt, ap);
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
