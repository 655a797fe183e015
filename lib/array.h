/* Growable arrays: the one place that grows a malloc'd array by doubling
 * (parsed records, country lists, collected results), with the overflow
 * check every such loop needs. */
#ifndef FP_ARRAY_H
#define FP_ARRAY_H
#include <stddef.h>

/* Make the array *arrp (a T ** passed as void *; *arrp may be NULL) of
 * elements of elsize bytes hold at least need elements: when *cap is
 * smaller, the capacity becomes the first of initial (or *cap when not 0),
 * doubled as often as needed, that reaches need. New slots are not
 * initialised. Returns FP_OK, or FP_ENOMEM (the array and *cap are then
 * unchanged). */
int fp_array_reserve(void *arrp, size_t *cap, size_t need, size_t elsize,
		     size_t initial);

/* Append one zeroed element at index *n (growing as fp_array_reserve()
 * does) and count it. Returns the element, or NULL when memory is short
 * (nothing changed). */
void *fp_array_push(void *arrp, size_t *n, size_t *cap, size_t elsize,
		    size_t initial);

#endif
