/* Project Gutenberg's licence header and footer, taken off a text
 * (doc/DESIGN.md, "Stripping headers"): what `--strip-headers` and the
 * list key strip=yes publish is the text between the start and the end
 * marker, without the blank lines around it.
 *
 * A marker is a line that, after leading blanks (and a BOM on the first
 * line), begins with one of these phrases, compared case-insensitively
 * with runs of blanks taken as one:
 *   start: one or more '*', an optional blank, then "START OF THE PROJECT
 *          GUTENBERG", "START OF THIS PROJECT GUTENBERG" or "START OF THE
 *          COPYRIGHTED PROJECT GUTENBERG" (2002 to now, all eras of
 *          spacing: "*** START", "***START");
 *          or the end of the pre-2002 small print: '*', "END", an
 *          optional '*', an optional blank, "THE SMALL PRINT"
 *          ("*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*...",
 *          "*END THE SMALL PRINT! ...");
 *   end:   any number of '*', an optional blank, then "END OF THE
 *          PROJECT GUTENBERG", "END OF THIS PROJECT GUTENBERG", "END OF
 *          PROJECT GUTENBERG" ("End of Project Gutenberg's Etext of
 *          ..."), "END OF THE COPYRIGHTED PROJECT GUTENBERG", "ENDE DIESES
 *          PROJECT GUTENBERG", "ENDE DIESES PROJEKT GUTENBERG", "ENDE
 *          DIESE PROJECT GUTENBERG" or "FIN DE PROJECT GUTENBERG".
 * Where a marker counts: a start marker only in the first quarter of the
 * file or its first 64 KiB, whichever is larger, and the last one there
 * before the end marker wins; an end marker only in the last quarter or
 * the last 64 KiB, whichever is larger, and the first one after the
 * start wins. A start marker with stars whose line does not end in '*'
 * was wrapped: a short next line ending in '*' belongs to it.
 *
 * The kept text runs from the first non-blank line after the start
 * marker (or the top of the file) to the last non-blank line before the
 * end marker (or the end of the file); a line holding only blanks or the
 * DOS end-of-file byte 0x1a counts as blank. Line ends are kept as they
 * are. A text with neither marker is kept whole, byte for byte.
 *
 * Pure functions over file descriptors: memory stays flat whatever the
 * size of the text (it is read twice with pread, never loaded). */
#ifndef FP_STRIP_H
#define FP_STRIP_H
#include <stddef.h>
#include <stdint.h>

/* The smallest window of each end of the file (see above). */
#define FP_STRIP_WINDOW_MIN (64 * 1024)

enum fp_strip_marker {
	FP_STRIP_NONE,
	FP_STRIP_START,
	FP_STRIP_END,
};

/* What kind of marker the line S (LEN bytes, no line end needed) is. */
enum fp_strip_marker fp_strip_marker(const char *s, size_t len);

struct fp_strip_result {
	int found_start, found_end; /* which markers were found */
	int64_t start, end;         /* the byte range kept: [start, end) */
	int64_t size;               /* the size of the raw file */
};

/* Find the range to keep in the regular file IN_FD (read with pread; its
 * offset is not used). FP_OK and *res, or FP_EIO (errno set). */
int fp_strip_scan(int in_fd, struct fp_strip_result *res);

/* Scan IN_FD, then write the range kept (the whole file when no marker
 * was found) to OUT_FD at its current offset. FP_OK and *res (may be
 * NULL), or FP_EIO (errno set; OUT_FD may hold part of the text). */
int fp_strip_fd(int in_fd, int out_fd, struct fp_strip_result *res);

#endif
