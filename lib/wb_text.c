/* World Bank area: checks and copies of the values a reply carries
 * (see wb_internal.h). */
#include "wb_internal.h"
#include "error.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool wb_is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

static int wb_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

bool wb_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *wb_skip_lead(const char *p, size_t *len)
{
	if (*len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		*len -= 3;
	}
	while (*len > 0 && wb_is_space((unsigned char)*p)) {
		p++;
		(*len)--;
	}
	return p;
}

bool wb_code_copy(char out[4], const char *s, size_t len, size_t min)
{
	size_t i;

	out[0] = '\0';
	if (s == NULL || len < min || len > 3)
		return false;
	for (i = 0; i < len; i++) {
		if (!wb_is_alnum((unsigned char)s[i]))
			return false;
		out[i] = (char)wb_upper((unsigned char)s[i]);
	}
	out[len] = '\0';
	return true;
}

int fp_wb_code_check(const char *in, char out[4])
{
	if (in == NULL || !wb_code_copy(out, in, strlen(in), 2)) {
		out[0] = '\0';
		return FP_EINVAL;
	}
	return FP_OK;
}

bool wb_four_digits(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char *wb_dup_text(const char *s, size_t n)
{
	return fp_utf8_repair(s, n, FP_UTF8_CONTROL_SPACE);
}

bool wb_parse_count_str(const char *s, long *out)
{
	long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 18)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* strtod() of text written as a JSON number (optional spaces around),
 * finite. The grammar check keeps strtod's extras (hex, inf, nan) out, so
 * XML accepts exactly what cJSON would. */
bool wb_parse_number(const char *s, size_t n, double *out)
{
	char buf[64];
	char *end;
	size_t i = 0, j;
	double v;

	while (n > 0 && wb_is_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && wb_is_space((unsigned char)s[i]))
		i++;
	if (i == n || n - i >= sizeof(buf))
		return false;
	j = i;
	if (s[j] == '-')
		j++;
	if (j == n || s[j] < '0' || s[j] > '9')
		return false;
	for (; j < n; j++) {
		char c = s[j];

		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
		      c == 'E' || c == '+' || c == '-'))
			return false;
	}
	memcpy(buf, s + i, n - i);
	buf[n - i] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

void wb_lastupdated(const char *s, char *out, size_t size)
{
	size_t i, n;

	out[0] = '\0';
	if (s == NULL || (n = strlen(s)) >= size)
		return;
	for (i = 0; i < n; i++)
		if (!(isdigit((unsigned char)s[i]) || s[i] == '-'))
			return;
	memcpy(out, s, n + 1);
}

void wb_api_error(char *err, size_t errlen, const char *id, const char *key,
		  const char *text, size_t more)
{
	char *sid = wb_dup_text(id ? id : "", id ? strlen(id) : 0);
	char *skey = wb_dup_text(key ? key : "", key ? strlen(key) : 0);
	char *stext = wb_dup_text(text ? text : "", text ? strlen(text) : 0);
	char extra[48] = "";

	if (more > 0)
		snprintf(extra, sizeof(extra), " (and %zu more)", more);
	if (sid == NULL || skey == NULL || stext == NULL)
		fp_utf8_format(err, errlen, "API error");
	else if (skey[0] != '\0')
		fp_utf8_format(err, errlen, "API error %s (%s): %s%s", sid,
			       skey, stext, extra);
	else
		fp_utf8_format(err, errlen, "API error %s: %s%s", sid, stext,
			       extra);
	free(sid);
	free(skey);
	free(stext);
}

int wb_counters(wb_count_fn *get, const void *hdr, long *page, long *pages,
		long *per_page, long *total, char *err, size_t errlen)
{
	static const char *const names[] = { "page", "pages", "per_page",
					     "total" };
	long *dst[] = { page, pages, per_page, total };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!get(hdr, names[i], dst[i])) {
			fp_utf8_format(err, errlen, "header: bad or missing %s",
				       names[i]);
			return FP_EPARSE;
		}
	}
	return FP_OK;
}
