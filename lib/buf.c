#include "buf.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void fp_buf_init(struct fp_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->cap = cap;
}

int fp_buf_append(struct fp_buf *b, const void *p, size_t len)
{
	if (len > b->cap || b->len > b->cap - len)
		return FP_ETOOBIG;
	if (b->len + len + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 4096;
		char *d;

		while (want < b->len + len + 1)
			want *= 2;
		if (want > b->cap + 1)
			want = b->cap + 1;
		d = realloc(b->data, want);
		if (!d)
			return FP_ENOMEM;
		b->data = d;
		b->alloc = want;
	}
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return FP_OK;
}

void fp_buf_reset(struct fp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *fp_buf_detach(struct fp_buf *b, size_t *len)
{
	char *d = b->data;

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return d;
}

void fp_buf_free(struct fp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}
