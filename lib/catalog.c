#include "catalog.h"
#include "csv.h"
#include "error.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CAT_ZBUF (64 * 1024)

static const char *const cat_names[FP_CAT_NCOLS] = {
	"Text#", "Type", "Issued", "Title", "Language",
	"Authors", "Subjects", "LoCC", "Bookshelves",
};

struct fp_catalog {
	int fd;
	/* The first bytes, read to look for the gzip magic, handed out
	 * again before anything else. */
	unsigned char head[2];
	size_t head_len, head_pos;
	int gzip, zinit, zend;
	z_stream z;
	unsigned char zin[CAT_ZBUF];
	struct fp_csv *csv;
	int have_header;
	int colidx[FP_CAT_NCOLS]; /* field index of each column, or -1 */
	size_t ncols;             /* fields in the header */
	char error[160];
};

char *fp_catalog_url(const char *mirror)
{
	size_t len;
	char *url;

	if (!mirror)
		return NULL;
	len = strlen(mirror);
	while (len > 0 && mirror[len - 1] == '/')
		len--;
	if (len == 0)
		return NULL;
	url = malloc(len + sizeof(FP_CATALOG_PATH));
	if (url) {
		memcpy(url, mirror, len);
		memcpy(url + len, FP_CATALOG_PATH, sizeof(FP_CATALOG_PATH));
	}
	return url;
}

/* ---- input: plain or gzip ------------------------------------------- */

static ssize_t cat_raw_read(struct fp_catalog *c, void *buf, size_t len)
{
	if (c->head_pos < c->head_len) {
		size_t n = c->head_len - c->head_pos;

		if (n > len)
			n = len;
		memcpy(buf, c->head + c->head_pos, n);
		c->head_pos += n;
		return (ssize_t)n;
	}
	return read(c->fd, buf, len);
}

static ssize_t cat_read(void *ctx, void *buf, size_t len)
{
	struct fp_catalog *c = ctx;
	ssize_t n;

	if (!c->gzip) {
		n = cat_raw_read(c, buf, len);
		if (n < 0)
			snprintf(c->error, sizeof(c->error), "%s",
				 strerror(errno));
		return n;
	}
	c->z.next_out = buf;
	c->z.avail_out = (uInt)len;
	while (c->z.avail_out == len) {
		int zr;

		if (c->z.avail_in == 0) {
			do
				n = cat_raw_read(c, c->zin, sizeof(c->zin));
			while (n < 0 && errno == EINTR);
			if (n < 0) {
				snprintf(c->error, sizeof(c->error), "%s",
					 strerror(errno));
				return -1;
			}
			if (n == 0) {
				if (c->zend)
					return 0; /* the last member ended */
				snprintf(c->error, sizeof(c->error),
					 "gzip data cut short");
				errno = EIO;
				return -1;
			}
			c->z.next_in = c->zin;
			c->z.avail_in = (uInt)n;
		}
		if (c->zend) {
			/* More after a member: the next member (gzip -c a
			 * >f; gzip -c b >>f is one valid file). */
			if (inflateReset(&c->z) != Z_OK)
				goto corrupt;
			c->zend = 0;
		}
		zr = inflate(&c->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			c->zend = 1;
		else if (zr == Z_BUF_ERROR && c->z.avail_in == 0)
			continue;
		else if (zr != Z_OK)
			goto corrupt;
	}
	return (ssize_t)(len - c->z.avail_out);
corrupt:
	snprintf(c->error, sizeof(c->error), "corrupt gzip data");
	errno = EIO;
	return -1;
}

int fp_catalog_open(struct fp_catalog **out, int fd)
{
	struct fp_catalog *c = calloc(1, sizeof(*c));
	ssize_t n = 0;

	*out = NULL;
	if (!c) {
		close(fd);
		return FP_ENOMEM;
	}
	c->fd = fd;
	/* Two bytes tell gzip (RFC 1952: 1f 8b) from text. */
	while (c->head_len < 2) {
		n = read(fd, c->head + c->head_len, 2 - c->head_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		c->head_len += (size_t)n;
	}
	if (c->head_len == 2 && c->head[0] == 0x1f && c->head[1] == 0x8b) {
		c->gzip = 1;
		/* 15 + 16: a gzip wrapper, the largest window. */
		if (inflateInit2(&c->z, 15 + 16) != Z_OK) {
			fp_catalog_close(c);
			return FP_ENOMEM;
		}
		c->zinit = 1;
	}
	if (fp_csv_open(&c->csv, cat_read, c)) {
		fp_catalog_close(c);
		return FP_ENOMEM;
	}
	if (n < 0)
		snprintf(c->error, sizeof(c->error), "%s", strerror(errno));
	*out = c;
	return FP_OK;
}

void fp_catalog_close(struct fp_catalog *c)
{
	if (!c)
		return;
	fp_csv_close(c->csv);
	if (c->zinit)
		inflateEnd(&c->z);
	close(c->fd);
	free(c);
}

const char *fp_catalog_error(const struct fp_catalog *c)
{
	return c->error;
}

unsigned long fp_catalog_lines(const struct fp_catalog *c)
{
	return fp_csv_lines(c->csv);
}

/* ---- rows ------------------------------------------------------------ */

static int cat_header(struct fp_catalog *c, const struct fp_csv_record *r)
{
	size_t i, k;

	for (k = 0; k < FP_CAT_NCOLS; k++)
		c->colidx[k] = -1;
	for (i = 0; i < r->nfields; i++)
		for (k = 0; k < FP_CAT_NCOLS; k++)
			if (c->colidx[k] < 0 &&
			    !strcmp(r->fields[i], cat_names[k]))
				c->colidx[k] = (int)i;
	c->ncols = r->nfields;
	for (k = 0; k < FP_CAT_NCOLS; k++) {
		if (c->colidx[k] >= 0 ||
		    (k != FP_CAT_ID && k != FP_CAT_TITLE))
			continue;
		snprintf(c->error, sizeof(c->error),
			 "not a Project Gutenberg catalog: no %s column in "
			 "line %lu",
			 cat_names[k], r->line);
		return FP_EPARSE;
	}
	return FP_OK;
}

/* Text#: a positive decimal below 2^31. */
static long cat_id(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < 2147483648L ? v : -1;
}

int fp_catalog_next(struct fp_catalog *c, struct fp_catalog_row *row)
{
	struct fp_csv_record r;
	size_t k;
	int rc;

	for (;;) {
		rc = fp_csv_next(c->csv, &r);
		if (rc <= 0) {
			if (rc == FP_ENOMEM)
				snprintf(c->error, sizeof(c->error), "%s",
					 fp_strerror(rc));
			return rc;
		}
		if (c->have_header)
			break;
		if (r.error) {
			snprintf(c->error, sizeof(c->error),
				 "not a Project Gutenberg catalog: line %lu: "
				 "%s", r.line, r.error);
			return FP_EPARSE;
		}
		rc = cat_header(c, &r);
		if (rc)
			return rc;
		c->have_header = 1;
	}
	memset(row, 0, offsetof(struct fp_catalog_row, errbuf));
	row->errbuf[0] = '\0';
	row->line = r.line;
	if (r.error) {
		row->error = r.error;
		return 1;
	}
	if (r.nfields != c->ncols) {
		snprintf(row->errbuf, sizeof(row->errbuf),
			 "%zu field%s, expected %zu", r.nfields,
			 r.nfields == 1 ? "" : "s", c->ncols);
		row->error = row->errbuf;
		return 1;
	}
	for (k = 0; k < FP_CAT_NCOLS; k++)
		row->col[k] = c->colidx[k] >= 0 ? r.fields[c->colidx[k]] : "";
	row->id = cat_id(r.fields[c->colidx[FP_CAT_ID]],
			 r.lens[c->colidx[FP_CAT_ID]]);
	if (row->id <= 0) {
		row->error = "Text# is not a book number";
		return 1;
	}
	return 1;
}

/* ---- filters --------------------------------------------------------- */

/* The lower-case form of a letter, in the scripts catalogs mostly use. */
static unsigned long cat_fold(unsigned long cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14a && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
		return cp & 1 ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xff;
	if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	return cp;
}

/* One folded character at *s (moved past it); a byte that starts no
 * valid sequence stands for itself, apart from every character. */
static unsigned long cat_next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned long cp;
	size_t n = fp_utf8_char(p, strnlen(*s, 4), &cp);

	if (n == 0) {
		*s += 1;
		return 0x110000UL + *p;
	}
	*s += n;
	return cat_fold(cp);
}

/* NEEDLE in HAY, both NUL-terminated, case folded. */
static int cat_contains(const char *hay, const char *needle)
{
	const char *h = hay;

	for (;;) {
		const char *a = h, *b = needle;

		for (;;) {
			if (!*b)
				return 1;
			if (!*a || cat_next_cp(&a) != cat_next_cp(&b))
				break;
		}
		if (!*h)
			return 0;
		cat_next_cp(&h); /* the next start: one character on */
	}
}

static int cat_equal(const char *a, size_t alen, const char *b)
{
	const char *ae = a + alen;

	while (a < ae && *b) {
		if (cat_next_cp(&a) != cat_next_cp(&b))
			return 0;
	}
	return a >= ae && !*b;
}

/* One of the row's codes ("en; fr") equals one of the wanted ones. */
static int cat_language(const struct fp_catalog_filter *f, const char *v)
{
	while (*v) {
		size_t len, i;

		while (*v == ' ' || *v == ';')
			v++;
		len = strcspn(v, ";");
		while (len > 0 && v[len - 1] == ' ')
			len--;
		for (i = 0; len && i < f->nlanguages; i++)
			if (cat_equal(v, len, f->languages[i]))
				return 1;
		v += strcspn(v, ";");
	}
	return 0;
}

int fp_catalog_date_ok(const char *s)
{
	int i, m, d;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
	}
	if (s[10])
		return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int cat_given(const char *s)
{
	return s && *s;
}

int fp_catalog_match(const struct fp_catalog_filter *f,
		     const struct fp_catalog_row *r)
{
	const char *issued = r->col[FP_CAT_ISSUED];

	if (r->error)
		return 0;
	if (cat_given(f->type) &&
	    !cat_equal(r->col[FP_CAT_TYPE], strlen(r->col[FP_CAT_TYPE]),
		       f->type))
		return 0;
	if (f->nlanguages && !cat_language(f, r->col[FP_CAT_LANGUAGE]))
		return 0;
	if (cat_given(f->issued_since) &&
	    (!fp_catalog_date_ok(issued) ||
	     strcmp(issued, f->issued_since) < 0))
		return 0;
	if (cat_given(f->author) &&
	    !cat_contains(r->col[FP_CAT_AUTHORS], f->author))
		return 0;
	if (cat_given(f->title) &&
	    !cat_contains(r->col[FP_CAT_TITLE], f->title))
		return 0;
	if (cat_given(f->subject) &&
	    !cat_contains(r->col[FP_CAT_SUBJECTS], f->subject))
		return 0;
	if (cat_given(f->bookshelf) &&
	    !cat_contains(r->col[FP_CAT_BOOKSHELVES], f->bookshelf))
		return 0;
	return 1;
}

/* ---- the title as one line ------------------------------------------- */

/* Characters that reorder or hide text. */
static int cat_invisible(unsigned long cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

char *fp_catalog_title(const char *title, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)title;
	size_t len = strlen(title), n = 0;
	int blank = 0; /* a space is owed before the next character */

	while (len > 0) {
		unsigned long cp;
		size_t k = fp_utf8_char(p, len, &cp);
		const char *bytes = (const char *)p;
		size_t blen = k;

		if (k == 0) {
			bytes = "\xef\xbf\xbd"; /* U+FFFD */
			blen = 3;
			k = 1;
			cp = 0xfffd;
		}
		p += k;
		len -= k;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
			blank = n > 0;
			continue;
		}
		if (fp_utf8_is_control(cp) || cat_invisible(cp))
			continue;
		if (n + blank + blen + 1 > outlen)
			break;
		if (blank)
			out[n++] = ' ';
		blank = 0;
		memcpy(out + n, bytes, blen);
		n += blen;
	}
	out[n] = '\0';
	return out;
}
