/* HTTP dates for the fixture server.
 *
 * The server keeps its own small date code instead of linking
 * libfetchpool's: it is the oracle the client is tested against, so a bug
 * in the library's parser must not hide in both ends at once.
 */
#ifndef FSRV_HTTPDATE_H
#define FSRV_HTTPDATE_H
#include <stddef.h>
#include <time.h>

/* Bytes an IMF-fixdate needs, with the terminating NUL. */
#define FSRV_HTTPDATE_LEN 30

/* Format t (seconds since the epoch) as an IMF-fixdate such as
 * "Sun, 06 Nov 1994 08:49:37 GMT" into buf of len bytes (at least
 * FSRV_HTTPDATE_LEN). Returns buf. Thread-safe. */
char *fsrv_httpdate_format(time_t t, char *buf, size_t len);

/* Parse an HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime
 * forms a recipient must accept. Leading and trailing blanks are allowed,
 * nothing else. Returns 0 and sets *out, or -1 if S is not a date.
 * Thread-safe. */
int fsrv_httpdate_parse(const char *s, time_t *out);

#endif
