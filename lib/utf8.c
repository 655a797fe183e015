/* UTF-8 decoding and repair (see utf8.h). */
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fp_utf8_char(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned long c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		if (cp)
			*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0; /* continuation byte, 0xc0/0xc1, or 0xf5.. */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	if (cp)
		*cp = c;
	return n;
}

size_t fp_utf8_valid_len(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < len && (k = fp_utf8_char(u + i, len - i, NULL)) > 0)
		i += k;
	return i;
}

int fp_utf8_is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

char *fp_utf8_repair(const char *s, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out, *o;
	size_t i = 0;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * len + 1); /* U+FFFD is 3 bytes per bad byte */
	if (out == NULL)
		return NULL;
	o = out;
	while (i < len) {
		unsigned long cp;
		size_t k = fp_utf8_char(u + i, len - i, &cp);

		if (k == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else if ((flags & FP_UTF8_CONTROL_SPACE) &&
			   fp_utf8_is_control(cp)) {
			*o++ = ' ';
			i += k;
		} else {
			memcpy(o, u + i, k);
			o += k;
			i += k;
		}
	}
	*o = '\0';
	return out;
}

void fp_utf8_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (buf == NULL || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	buf[fp_utf8_valid_len(buf, strlen(buf))] = '\0';
}
