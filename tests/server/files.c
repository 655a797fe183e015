/* Static files: lookup, validators, conditional and range decisions. */
#include "files.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static bool files_has_dotdot(const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		if (*p == '/')
			p++;
	}
	return false;
}

/* Open a regular file; a directory yields its index.html. -1 if none. */
static int files_open_regular(const char *full, struct stat *st, int depth,
			      bool *index)
{
	/* O_NONBLOCK: a FIFO in the tree must not hang the thread. */
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0)
		goto fail;
	if (S_ISREG(st->st_mode)) {
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		return fd;
	}
	if (S_ISDIR(st->st_mode) && depth == 0) {
		size_t n = strlen(full);
		char *idx = malloc(n + sizeof "/index.html");

		close(fd);
		if (!idx)
			return -1;
		memcpy(idx, full, n);
		strcpy(idx + n, full[n - 1] == '/' ? "index.html"
						   : "/index.html");
		fd = files_open_regular(idx, st, 1, index);
		*index = true;
		free(idx);
		return fd;
	}
fail:
	close(fd);
	return -1;
}

int fsrv_file_open(const char *dir, const char *path, struct fsrv_file *f)
{
	struct stat st;
	size_t dl = strlen(dir), pl = strlen(path);
	char *full;
	int fd;

	memset(f, 0, sizeof *f);
	f->fd = -1;
	if (path[0] != '/')
		return -1;
	if (files_has_dotdot(path))
		return -2;
	full = malloc(dl + pl + 1);
	if (!full)
		return -1;
	memcpy(full, dir, dl);
	memcpy(full + dl, path, pl + 1);
	fd = files_open_regular(full, &st, 0, &f->index);
	free(full);
	if (fd < 0)
		return -1;
	f->fd = fd;
	f->size = (uint64_t)st.st_size;
	f->mtime = st.st_mtim.tv_sec;
	fsrv_file_set_validators(f, st.st_mtim.tv_nsec);
	return 0;
}

void fsrv_file_set_validators(struct fsrv_file *f, long mtime_ns)
{
	/* Nanoseconds in the ETag: a file rewritten within the same second
	 * with the same size still gets a new ETag. */
	uint64_t ns = (uint64_t)f->mtime * 1000000000u + (uint64_t)mtime_ns;

	snprintf(f->etag, sizeof f->etag, "\"%" PRIx64 "-%" PRIx64 "\"",
		 f->size, ns);
	fsrv_httpdate_format(f->mtime, f->last_modified,
			     sizeof f->last_modified);
}

static const char *files_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Decimal digits at *s into *v (no overflow); advances *s. */
static bool files_num(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*s = p;
	*v = x;
	return true;
}

int fsrv_range_parse(const char *hdr, uint64_t size, uint64_t *first,
		     uint64_t *len)
{
	const char *p = files_skip_ws(hdr);
	uint64_t a = 0, b = 0;
	bool have_a, have_b;

	if (strncasecmp(p, "bytes", 5) != 0)
		return 0;
	p = files_skip_ws(p + 5);
	if (*p++ != '=')
		return 0;
	p = files_skip_ws(p);
	have_a = files_num(&p, &a);
	p = files_skip_ws(p);
	if (*p++ != '-')
		return 0;
	p = files_skip_ws(p);
	have_b = files_num(&p, &b);
	p = files_skip_ws(p);
	if (*p != '\0') /* several ranges, or junk: serve the whole body */
		return 0;
	if (!have_a && !have_b)
		return 0;
	if (!have_a) { /* suffix: the last B bytes */
		if (b == 0 || size == 0)
			return -1;
		if (b > size)
			b = size;
		*first = size - b;
		*len = b;
		return 1;
	}
	if (have_b && b < a)
		return 0; /* invalid range-spec: ignore the header */
	if (a >= size)
		return -1;
	if (!have_b || b >= size)
		b = size - 1;
	*first = a;
	*len = b - a + 1;
	return 1;
}

/* Compare an entity-tag at P (up to its closing quote) with ETAG; WEAK:
 * ignore W/ on both. Sets *end past the tag. */
static bool files_tag_eq(const char *p, const char **end, const char *etag,
			 bool weak)
{
	bool p_weak = false;
	const char *q;

	if (p[0] == 'W' && p[1] == '/') {
		p_weak = true;
		p += 2;
	}
	if (*p != '"') {
		*end = p + strcspn(p, ",");
		return false;
	}
	q = strchr(p + 1, '"');
	if (!q) {
		*end = p + strlen(p);
		return false;
	}
	*end = q + 1;
	if (p_weak && !weak)
		return false;
	size_t n = (size_t)(q + 1 - p);
	return strlen(etag) == n && memcmp(p, etag, n) == 0;
}

bool fsrv_etag_list_match(const char *list, const char *etag)
{
	const char *p = files_skip_ws(list);

	if (p[0] == '*' && *files_skip_ws(p + 1) == '\0')
		return true;
	while (*p) {
		const char *end;

		if (files_tag_eq(p, &end, etag, true))
			return true;
		p = end;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
	}
	return false;
}

/* If-Range: an entity-tag must match strongly, a date exactly. */
static bool files_if_range_ok(const struct fsrv_file *f, const char *v)
{
	const char *p = files_skip_ws(v);
	time_t t;

	if (p[0] == '"' || (p[0] == 'W' && p[1] == '/')) {
		const char *end;
		return files_tag_eq(p, &end, f->etag, false) &&
		       *files_skip_ws(end) == '\0';
	}
	return fsrv_httpdate_parse(p, &t) == 0 && t == f->mtime;
}

/* If-Modified-Since: true when V is a date, not in the future (RFC 9110
 * says to ignore such a date), and the file is not newer. */
static bool files_unmodified_since(const struct fsrv_file *f, const char *v,
				   time_t now)
{
	time_t t;

	return fsrv_httpdate_parse(v, &t) == 0 && t <= now && f->mtime <= t;
}

void fsrv_file_plan(const struct fsrv_file *f, const struct fsrv_conditions *c,
		    struct fsrv_plan *p)
{
	p->status = 200;
	p->first = 0;
	p->len = f->size;

	/* RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since. */
	if (c->validators) {
		if (c->if_none_match) {
			if (fsrv_etag_list_match(c->if_none_match, f->etag)) {
				p->status = 304;
				p->len = 0;
				return;
			}
		} else if (c->if_modified_since &&
			   files_unmodified_since(f, c->if_modified_since,
						  c->now)) {
			p->status = 304;
			p->len = 0;
			return;
		}
	}
	if (!c->is_get || !c->range)
		return;
	/* Without validators nothing can match an If-Range: send it all. */
	if (c->if_range &&
	    (!c->validators || !files_if_range_ok(f, c->if_range)))
		return;

	uint64_t first, len;
	int r = fsrv_range_parse(c->range, f->size, &first, &len);
	if (r < 0) {
		p->status = 416;
		p->len = 0;
	} else if (r > 0) {
		p->status = 206;
		p->first = first;
		p->len = len;
	}
}

const char *fsrv_mime_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".html", "text/html; charset=utf-8" },
		{ ".htm", "text/html; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".xml", "application/xml" },
		{ ".rdf", "application/rdf+xml" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".gz", "application/gzip" },
	};
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');

	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}
