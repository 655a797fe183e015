/* Helpers shared by the fuzz targets. */
#include "fuzz.h"
#include "utf8.h"

#include <string.h>

int fuzz_strict(void)
{
	static int strict = -1;

	if (strict < 0) {
		const char *e = getenv("FUZZ_STRICT");

		strict = e && *e && strcmp(e, "0") != 0;
	}
	return strict;
}

int fuzz_printable_utf8(const char *s, size_t len, int tab_ok)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n = fp_utf8_char(u + i, len - i, &cp);

		if (n == 0)
			return 0;
		if (cp == '\t' && tab_ok) {
			i += n;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
		i += n;
	}
	return 1;
}
