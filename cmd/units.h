/* Quantities for humans, shared by the event lines, the summary and the
 * progress line. */
#ifndef FP_UNITS_H
#define FP_UNITS_H
#include <stddef.h>
#include <stdint.h>

/* "4.5 MB": decimal units, one decimal. BUF >= 16 bytes. */
char *fp_units_bytes(int64_t n, char *buf, size_t len);

#endif
