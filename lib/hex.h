/* Hexadecimal digits: digests (sha256=, the report), percent-escapes in
 * URLs, "\xHH" escapes in the state file. Locale-independent on purpose.
 * Pure functions, thread-safe. */
#ifndef FP_HEX_H
#define FP_HEX_H
#include <stddef.h>

/* Value of one hex digit (either case), or -1. */
int fp_hex_digit(int c);

/* The digit for v (0..15): "0123456789abcdef", or upper case when upper
 * is not 0 (percent-escapes are written in upper case, RFC 3986). */
char fp_hex_char(unsigned v, int upper);

/* Lower-case hex of len bytes into out, which must hold 2 * len + 1 bytes;
 * out is NUL-terminated. Never fails. */
void fp_hex_encode(const unsigned char *in, size_t len, char *out);

/* Decode exactly len hex digits (either case; len even) into len / 2
 * bytes. Returns FP_OK, or FP_EINVAL (out is then left untouched) for an
 * odd len or a character that is not a hex digit. */
int fp_hex_decode(const char *hex, size_t len, unsigned char *out);

#endif
