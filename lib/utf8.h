/* UTF-8 (RFC 3629) for text that comes from outside: list files, URLs,
 * server replies, libxml2 messages. One decoder, so every module rejects
 * exactly the same sequences: a stray continuation byte, a truncated
 * sequence, an overlong form, a surrogate, a value above U+10FFFF.
 * Pure functions, thread-safe. */
#ifndef FP_UTF8_H
#define FP_UTF8_H
#include <stddef.h>

/* Decode one character at s (len bytes available). Returns its length
 * (1..4) and sets *cp (when cp is not NULL), or 0 for an invalid
 * sequence or len 0. */
size_t fp_utf8_char(const unsigned char *s, size_t len, unsigned long *cp);

/* Length of the longest prefix of s[0..len) that is valid UTF-8 (so len
 * when all of it is). */
size_t fp_utf8_valid_len(const char *s, size_t len);

/* 1 for a control character: C0 (U+0000..U+001F), DEL or C1
 * (U+0080..U+009F); else 0. */
int fp_utf8_is_control(unsigned long cp);

/* Flags of fp_utf8_repair(). */
#define FP_UTF8_CONTROL_SPACE 1 /* also turn control characters into ' ' */

/* A NUL-terminated copy of s[0..len) in which each byte that starts no
 * valid sequence becomes U+FFFD (and, with FP_UTF8_CONTROL_SPACE, each
 * control character a space). malloc'd; NULL when memory is short. */
char *fp_utf8_repair(const char *s, size_t len, unsigned flags);

/* snprintf() into buf (size bytes) that never leaves part of a character
 * at the end: text cut by the size, or invalid from the start, is cut
 * back to its longest valid prefix. Nothing happens when buf is NULL or
 * size is 0. */
void fp_utf8_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
