/* Growable arrays (see array.h). The array pointer travels as void * and
 * is read and written with memcpy(), so one function serves every element
 * type without casting T ** to void **. */
#include "array.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fp_array_reserve(void *arrp, size_t *cap, size_t need, size_t elsize,
		     size_t initial)
{
	size_t want = *cap ? *cap : (initial ? initial : 1);
	void *arr, *na;

	if (need <= *cap)
		return FP_OK;
	while (want < need) {
		if (want > SIZE_MAX / 2)
			return FP_ENOMEM;
		want *= 2;
	}
	if (elsize == 0 || want > SIZE_MAX / elsize)
		return FP_ENOMEM;
	memcpy(&arr, arrp, sizeof(arr));
	na = realloc(arr, want * elsize);
	if (na == NULL)
		return FP_ENOMEM;
	memcpy(arrp, &na, sizeof(na));
	*cap = want;
	return FP_OK;
}

void *fp_array_push(void *arrp, size_t *n, size_t *cap, size_t elsize,
		    size_t initial)
{
	char *arr;

	if (*n == SIZE_MAX ||
	    fp_array_reserve(arrp, cap, *n + 1, elsize, initial) != FP_OK)
		return NULL;
	memcpy(&arr, arrp, sizeof(arr));
	memset(arr + *n * elsize, 0, elsize);
	return arr + (*n)++ * elsize;
}
