/* Growable byte buffer with a hard cap (API bodies are held in memory up to
 * 64 MiB; past the cap an append fails instead of growing). Invariant: data
 * is NUL-terminated whenever it is non-NULL, so text parsers can use it. */
#ifndef FP_BUF_H
#define FP_BUF_H
#include <stddef.h>

struct fp_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t cap; /* most bytes ever held */
};

/* Empty buffer that will hold at most CAP bytes. */
void fp_buf_init(struct fp_buf *b, size_t cap);

/* Append LEN bytes. FP_OK, FP_ETOOBIG past the cap (nothing appended), or
 * FP_ENOMEM. */
int fp_buf_append(struct fp_buf *b, const void *p, size_t len);

/* Forget the contents, keep the memory. */
void fp_buf_reset(struct fp_buf *b);

/* Hand the data to the caller (who frees it) and leave B empty. */
char *fp_buf_detach(struct fp_buf *b, size_t *len);

/* Free the memory; B is empty afterwards. */
void fp_buf_free(struct fp_buf *b);

#endif
