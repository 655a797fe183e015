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

FILE *fp_out_data_begin(struct fp_out *o)
{
	struct fp_progress *p = fp_progress_covers(o->progress, o->out)
					? o->progress
					: NULL;

	fp_progress_hide(p);
	flockfile(o->out);
	return o->out;
}

void fp_out_data_end(struct fp_out *o)
{
	struct fp_progress *p = fp_progress_covers(o->progress, o->out)
					? o->progress
					: NULL;

	if (p)
		fflush_unlocked(o->out);
	funlockfile(o->out);
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

/* Length of an invisible or reordering character at P (UTF-8), else 0:
 * C1 controls, zero-width and direction marks, bidi embeddings, overrides
 * and isolates, the byte order mark. They can make a printed name read as
 * another ("txt.exe" shown as "exe.txt"). */
static size_t out_invisible(const unsigned char *p)
{
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2; /* U+0080..U+009F */
	if (p[0] == 0xd8 && p[1] == 0x9c)
		return 2; /* U+061C arabic letter mark */
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x8b && p[2] <= 0x8f) || (p[2] >= 0xaa && p[2] <= 0xae)))
		return 3; /* U+200B..U+200F, U+202A..U+202E */
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa0 && p[2] <= 0xa9)
		return 3; /* U+2060..U+2069 */
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return 3; /* U+FEFF */
	return 0;
}

void fp_out_sanitize(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	if (!s)
		return;
	while (*r) {
		size_t n = out_invisible(r);

		if (n) {
			*w++ = '?';
			r += n;
		} else if (*r < 0x20 || *r == 0x7f) {
			*w++ = '?';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}
