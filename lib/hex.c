/* Hexadecimal digits (see hex.h). */
#include "hex.h"
#include "error.h"

int fp_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char fp_hex_char(unsigned v, int upper)
{
	static const char lower_digits[] = "0123456789abcdef";
	static const char upper_digits[] = "0123456789ABCDEF";

	return (upper ? upper_digits : lower_digits)[v & 15];
}

void fp_hex_encode(const unsigned char *in, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = fp_hex_char(in[i] >> 4, 0);
		out[2 * i + 1] = fp_hex_char(in[i], 0);
	}
	out[2 * len] = '\0';
}

int fp_hex_decode(const char *hex, size_t len, unsigned char *out)
{
	size_t i;

	if (len % 2 != 0)
		return FP_EINVAL;
	/* Check everything first, so a bad digit leaves out untouched. */
	for (i = 0; i < len; i++)
		if (fp_hex_digit((unsigned char)hex[i]) < 0)
			return FP_EINVAL;
	for (i = 0; i < len; i += 2) {
		int hi = fp_hex_digit((unsigned char)hex[i]);
		int lo = fp_hex_digit((unsigned char)hex[i + 1]);

		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return FP_OK;
}
