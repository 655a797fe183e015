#include "units.h"

#include <stdio.h>

char *fp_units_bytes(int64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = -1;

	if (n < 1000) {
		snprintf(buf, len, "%lld B", (long long)n);
		return buf;
	}
	while (v >= 1000 && u < 3) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}
