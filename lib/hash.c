/* FNV-1a, 64 bit (see hash.h). */
#include "hash.h"

#include <string.h>

#define FNV1A64_PRIME UINT64_C(1099511628211)

uint64_t fp_fnv1a64_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV1A64_PRIME;
	return h;
}

uint64_t fp_fnv1a64(const void *data, size_t len)
{
	return fp_fnv1a64_update(FP_FNV1A64_INIT, data, len);
}

uint64_t fp_fnv1a64_str(const char *s)
{
	return fp_fnv1a64(s, strlen(s));
}
