/* A stable sort: elements that compare equal keep their order. qsort()
 * promises no such thing, and the gdp output and the top-N list must come
 * out the same whatever qsort's implementation. */
#ifndef FP_SORT_H
#define FP_SORT_H
#include <stddef.h>

/* Sort n elements of size bytes at base by cmp (qsort()'s contract),
 * stably. Merge sort: O(n log n), n * size bytes of scratch. Returns
 * FP_OK, or FP_ENOMEM (base is then unchanged). */
int fp_sort_stable(void *base, size_t n, size_t size,
		   int (*cmp)(const void *, const void *));

#endif
