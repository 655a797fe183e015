/* HTTP-date formatting and parsing (RFC 9110 section 5.6.7). */
#include "httpdate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char httpdate_days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char httpdate_months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

char *fsrv_httpdate_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	/* Names come from tables, not strftime, so the locale cannot leak
	 * into a protocol element. */
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "Thu, 01 Jan 1970 00:00:00 GMT");
		return buf;
	}
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 httpdate_days[tm.tm_wday], tm.tm_mday,
		 httpdate_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	return buf;
}

static int httpdate_month(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, httpdate_months[i], 3) == 0)
			return i;
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil); avoids timegm's dependence on the TZ database. */
static long long httpdate_days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (long long)doe - 719468;
}

static int httpdate_build(int year, int mon, int day, int hh, int mm, int ss,
			  time_t *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };

	if (year < 1900 || year > 9999 || mon < 0 || mon > 11 || day < 1 ||
	    day > mdays[mon] || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 60)
		return -1;
	if (ss == 60)
		ss = 59; /* a leap second: the same instant, near enough */
	long long days = httpdate_days_from_civil(year, (unsigned)mon + 1,
						  (unsigned)day);
	*out = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}

/* True if S[N..] is blanks only (N < 0: the format did not match). */
static int httpdate_rest_blank(const char *s, int n)
{
	if (n < 0)
		return 0;
	for (s += n; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

int fsrv_httpdate_parse(const char *s, time_t *out)
{
	char wday[16], mon[4];
	int day, year, hh, mm, ss, m, n;

	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;

	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	n = -1;
	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n",
		   wday, &day, mon, &year, &hh, &mm, &ss, &n) == 7 &&
	    httpdate_rest_blank(s, n) && (m = httpdate_month(mon)) >= 0)
		return httpdate_build(year, m, day, hh, mm, ss, out);

	/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: 70..99
	 * are 19xx, the rest 20xx). */
	n = -1;
	if (sscanf(s, "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n",
		   wday, &day, mon, &year, &hh, &mm, &ss, &n) == 7 &&
	    httpdate_rest_blank(s, n) && (m = httpdate_month(mon)) >= 0) {
		year += year < 70 ? 2000 : 1900;
		return httpdate_build(year, m, day, hh, mm, ss, out);
	}

	/* asctime: Sun Nov  6 08:49:37 1994 */
	n = -1;
	if (sscanf(s, "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wday,
		   mon, &day, &hh, &mm, &ss, &year, &n) == 7 &&
	    httpdate_rest_blank(s, n) && (m = httpdate_month(mon)) >= 0)
		return httpdate_build(year, m, day, hh, mm, ss, out);
	return -1;
}
