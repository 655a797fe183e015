/* A streaming RFC 4180 CSV reader: one record at a time from a read
 * callback, in a buffer reused from record to record, so memory stays
 * flat however long the input is (it grows only to the longest record,
 * at most FP_CSV_RECORD_MAX bytes).
 *
 * The dialect (RFC 4180, plus what real files do):
 *   - fields are separated by ',' and records by CRLF, LF or a lone CR;
 *   - a field that starts with '"' is quoted: it runs to the next '"' not
 *     doubled, and may hold ',', CR, LF and '""' (one '"');
 *   - a '"' inside an unquoted field is an ordinary character;
 *   - a UTF-8 BOM at the very start is skipped; empty lines (no byte
 *     before the line end) between records are skipped;
 *   - bytes are passed through as they are (NUL included): checking the
 *     encoding is the caller's business.
 * Malformed records are returned with error set, never fatal: characters
 * after a closing quote ("ab"c), a quoted field still open at the end of
 * the input, a record over FP_CSV_RECORD_MAX bytes or FP_CSV_FIELDS_MAX
 * fields (the rest of it is skipped, its quotes still honoured, so the
 * next record starts where it should). The reader goes on with the next
 * record.
 *
 * Thread safety: a reader belongs to one thread at a time. */
#ifndef FP_CSV_H
#define FP_CSV_H
#include <stddef.h>
#include <sys/types.h>

#define FP_CSV_RECORD_MAX (1024 * 1024)
#define FP_CSV_FIELDS_MAX 1024

/* Read up to LEN bytes into BUF: the count, 0 at the end of the input, or
 * -1 on an error (errno set). */
typedef ssize_t fp_csv_read_fn(void *ctx, void *buf, size_t len);

/* One record; everything in it is the reader's, valid until the next call
 * of fp_csv_next() or fp_csv_close(). */
struct fp_csv_record {
	unsigned long line;  /* physical line where the record starts */
	size_t nfields;      /* at least 1 (0 only with error) */
	char **fields;       /* each NUL-terminated (a field may hold a NUL
				too: lens[] is exact) */
	size_t *lens;
	const char *error;   /* NULL, or why the record is malformed (then
				the fields are what could be read, maybe
				none: nfields 0) */
};

struct fp_csv;

/* A reader over READ(CTX). FP_OK and *out, or FP_ENOMEM (*out NULL). */
int fp_csv_open(struct fp_csv **out, fp_csv_read_fn *read, void *ctx);

/* The next record. 1 and *rec filled; 0 at the end of the input; FP_EIO
 * when READ failed (errno set); FP_ENOMEM. After 0 or an error every
 * further call returns the same. */
int fp_csv_next(struct fp_csv *c, struct fp_csv_record *rec);

/* Lines read so far (for a message about the end of the input). */
unsigned long fp_csv_lines(const struct fp_csv *c);

/* Free the reader (the source stays the caller's). NULL is fine. */
void fp_csv_close(struct fp_csv *c);

#endif
