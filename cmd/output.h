/* Terminal output: event lines on stdout, errors on stderr, -q and -v,
 * and the one-line summary. Only the consumer thread prints events; -v lines
 * come from workers, so every print takes the stream's lock for one whole
 * line. When a live progress line is on the terminal, every line first
 * clears it and redraws it after (fp_progress_hide/show), so event lines
 * scroll above it. */
#ifndef FP_OUTPUT_H
#define FP_OUTPUT_H
#include <stdint.h>
#include <stdio.h>

struct fp_progress;

struct fp_out {
	FILE *out, *err;
	int quiet, verbose;
	struct fp_progress *progress; /* live status line, or NULL */
};

/* An event line on stdout (nothing under -q). */
void fp_out_event(struct fp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Data on stdout (gdp's records), printed also under -q: write to the
 * stream returned, then call fp_out_data_end(). The live progress line is
 * cleared meanwhile and the stream locked, so lines never mix. */
FILE *fp_out_data_begin(struct fp_out *o);
void fp_out_data_end(struct fp_out *o);

/* An error line on stderr (always). */
void fp_out_error(struct fp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A -v line on stderr. */
void fp_out_verbose(struct fp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Replace control characters in S (from a server or a file), and the
 * invisible Unicode characters that reorder or hide text (bidi overrides,
 * zero-width marks, C1 controls), with '?' so that nothing can drive the
 * terminal or disguise a name. In place; S may get shorter. */
void fp_out_sanitize(char *s);

#endif
