#include "strip.h"
#include "error.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STRIP_BUF (64 * 1024)
#define STRIP_PREFIX 160  /* bytes of a line looked at for a marker */
#define STRIP_WRAP_MAX 200 /* longest continuation of a wrapped marker */

static const char *const strip_start[] = {
	"start of the project gutenberg",
	"start of this project gutenberg",
	"start of the copyrighted project gutenberg",
};

static const char *const strip_end[] = {
	"end of the project gutenberg",
	"end of this project gutenberg",
	"end of project gutenberg",
	"end of the copyrighted project gutenberg",
	"ende dieses project gutenberg",
	"ende dieses projekt gutenberg",
	"ende diese project gutenberg",
	"fin de project gutenberg",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int strip_prefix(const char *s, const char *lit)
{
	return !strncmp(s, lit, strlen(lit));
}

enum fp_strip_marker fp_strip_marker(const char *s, size_t len)
{
	char t[STRIP_PREFIX + 1];
	const char *p;
	size_t i = 0, n = 0, stars = 0, k;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	/* Lower case, leading blanks dropped, each other run of blanks one
	 * space. */
	for (; i < len && n < STRIP_PREFIX; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\r') {
			if (n > 0 && t[n - 1] != ' ')
				t[n++] = ' ';
			continue;
		}
		t[n++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	t[n] = '\0';
	while (t[stars] == '*')
		stars++;
	p = t + stars;
	if (*p == ' ')
		p++;
	if (stars > 0) {
		for (k = 0; k < NELEM(strip_start); k++)
			if (strip_prefix(p, strip_start[k]))
				return FP_STRIP_START;
		if (strip_prefix(p, "end")) {
			const char *q = p + 3;

			if (*q == '*')
				q++;
			if (*q == ' ')
				q++;
			if (strip_prefix(q, "the small print"))
				return FP_STRIP_START;
		}
	}
	for (k = 0; k < NELEM(strip_end); k++)
		if (strip_prefix(p, strip_end[k]))
			return FP_STRIP_END;
	return FP_STRIP_NONE;
}

/* The line begins with '*' (after blanks and a BOM). */
static int strip_starred(const char *pre, size_t plen)
{
	size_t i = 0;

	if (plen >= 3 && !memcmp(pre, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < plen && (pre[i] == ' ' || pre[i] == '\t'))
		i++;
	return i < plen && pre[i] == '*';
}

/* The scan's state between lines. */
struct strip_scan {
	int64_t size, win;
	int64_t start;      /* after the start marker, or -1 */
	int64_t first_text; /* first non-blank line after it, or -1 */
	int64_t last_end;   /* end of the last non-blank line, or -1 */
	int wrapped;        /* the start marker may go on on this line */
	int done;           /* the end marker was found */
	int found_start;
};

/* One line [ls, le) whose first bytes are PRE (PLEN of them). */
static void strip_line(struct strip_scan *sc, int64_t ls, int64_t le,
		       const char *pre, size_t plen, int nonblank,
		       char last, int64_t len)
{
	enum fp_strip_marker m =
		nonblank ? fp_strip_marker(pre, plen) : FP_STRIP_NONE;
	int wrapped = sc->wrapped;

	sc->wrapped = 0;
	if (m == FP_STRIP_START && ls < sc->win) {
		sc->start = le;
		sc->first_text = -1;
		sc->last_end = -1;
		sc->found_start = 1;
		/* "*** START OF ... SHERLOCK" / "HOLMES ***". */
		sc->wrapped = strip_starred(pre, plen) && last != '*';
		return;
	}
	if (wrapped && nonblank && last == '*' && len <= STRIP_WRAP_MAX &&
	    m == FP_STRIP_NONE) {
		sc->start = le;
		return;
	}
	if (m == FP_STRIP_END && ls >= sc->size - sc->win) {
		sc->done = 1;
		return;
	}
	if (nonblank) {
		if (sc->first_text < 0)
			sc->first_text = ls;
		sc->last_end = le;
	}
}

int fp_strip_scan(int fd, struct fp_strip_result *res)
{
	char buf[STRIP_BUF], pre[STRIP_PREFIX];
	struct strip_scan sc;
	struct stat st;
	int64_t off = 0, ls = 0;
	size_t plen = 0;
	int nonblank = 0, bom;
	char last = 0;

	memset(res, 0, sizeof(*res));
	if (fstat(fd, &st) < 0)
		return FP_EIO;
	memset(&sc, 0, sizeof(sc));
	sc.size = (int64_t)st.st_size;
	sc.win = sc.size / 4 > FP_STRIP_WINDOW_MIN ? sc.size / 4
						   : FP_STRIP_WINDOW_MIN;
	sc.start = sc.first_text = sc.last_end = -1;
	bom = pread(fd, buf, 3, 0) == 3 && !memcmp(buf, "\xef\xbb\xbf", 3);
	while (!sc.done && off < sc.size) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)off);
		ssize_t i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FP_EIO;
		if (n == 0)
			break; /* the file shrank: the size is what was read */
		for (i = 0; i < n && !sc.done; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c == '\n') {
				strip_line(&sc, ls, off + i + 1, pre, plen,
					   nonblank, last, off + i - ls);
				ls = off + i + 1;
				plen = 0;
				nonblank = 0;
				last = 0;
				continue;
			}
			if (plen < sizeof(pre))
				pre[plen++] = (char)c;
			/* Blanks, a CR, the 0x1a of DOS and a BOM's bytes
			 * on the first line make no text. */
			if (c != ' ' && c != '\t' && c != '\r' && c != 0x1a &&
			    !(bom && off + i < 3)) {
				nonblank = 1;
				last = (char)c;
			}
		}
		off += n;
	}
	if (!sc.done && ls < off)
		strip_line(&sc, ls, off, pre, plen, nonblank, last, off - ls);

	res->size = sc.size;
	res->found_start = sc.found_start;
	res->found_end = sc.done;
	if (!sc.found_start && !sc.done) {
		res->start = 0;
		res->end = sc.size;
		return FP_OK;
	}
	if (sc.first_text < 0) {
		/* Nothing between the markers. */
		res->start = res->end = sc.start > 0 ? sc.start : 0;
		return FP_OK;
	}
	res->start = sc.first_text;
	res->end = sc.last_end;
	return FP_OK;
}

static int strip_copy(int in_fd, int out_fd, int64_t from, int64_t to)
{
	char buf[STRIP_BUF];

	while (from < to) {
		size_t want = (size_t)(to - from) < sizeof(buf)
				      ? (size_t)(to - from)
				      : sizeof(buf);
		ssize_t n = pread(in_fd, buf, want, (off_t)from), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FP_EIO;
		if (n == 0) {
			errno = EIO; /* the file shrank under us */
			return FP_EIO;
		}
		while (w < n) {
			ssize_t k = write(out_fd, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return FP_EIO;
			w += k;
		}
		from += n;
	}
	return FP_OK;
}

int fp_strip_fd(int in_fd, int out_fd, struct fp_strip_result *res)
{
	struct fp_strip_result r;
	int rc = fp_strip_scan(in_fd, &r);

	if (rc)
		return rc;
	if (res)
		*res = r;
	return strip_copy(in_fd, out_fd, r.start, r.end);
}
