/* Stable merge sort (see sort.h). Top-down on byte arrays; runs of up to
 * SORT_SMALL elements are insertion-sorted, which is also stable. */
#include "sort.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SORT_SMALL 8

struct sort_ctx {
	size_t size;
	int (*cmp)(const void *, const void *);
	char *tmp; /* n * size bytes */
};

static void sort_insertion(const struct sort_ctx *c, char *a, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		/* Find where a[i] goes: after every element not above it. */
		for (j = i; j > 0 && c->cmp(a + (j - 1) * c->size,
					    a + i * c->size) > 0;
		     j--)
			;
		if (j == i)
			continue;
		memcpy(c->tmp, a + i * c->size, c->size);
		memmove(a + (j + 1) * c->size, a + j * c->size,
			(i - j) * c->size);
		memcpy(a + j * c->size, c->tmp, c->size);
	}
}

static void sort_range(const struct sort_ctx *c, char *a, size_t n)
{
	size_t half = n / 2, i = 0, j = half, o = 0;
	char *out = c->tmp;

	if (n <= SORT_SMALL) {
		sort_insertion(c, a, n);
		return;
	}
	sort_range(c, a, half);
	sort_range(c, a + half * c->size, n - half);
	/* On ties the left run goes first: that is the stability. */
	while (i < half && j < n) {
		if (c->cmp(a + j * c->size, a + i * c->size) < 0)
			memcpy(out + o++ * c->size, a + j++ * c->size,
			       c->size);
		else
			memcpy(out + o++ * c->size, a + i++ * c->size,
			       c->size);
	}
	memcpy(out + o * c->size, a + i * c->size, (half - i) * c->size);
	o += half - i;
	memcpy(a, out, o * c->size);
}

int fp_sort_stable(void *base, size_t n, size_t size,
		   int (*cmp)(const void *, const void *))
{
	struct sort_ctx c = { size, cmp, NULL };

	if (n < 2 || size == 0)
		return FP_OK;
	if (n > SIZE_MAX / size)
		return FP_ENOMEM;
	c.tmp = malloc(n * size);
	if (c.tmp == NULL)
		return FP_ENOMEM;
	sort_range(&c, base, n);
	free(c.tmp);
	return FP_OK;
}
