/* www.gutenberg.org URL layout and its 404 page. */
#include "gutenberg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GB_TEXT "text/plain; charset=utf-8"
#define GB_RDF "application/rdf+xml"
#define GB_CSV "text/csv; charset=utf-8"

/* Consume an ID at *p: 1..9 digits, no leading zero. */
static int gb_id(const char **p, unsigned long *id)
{
	const char *s = *p;
	unsigned long v = 0;
	int n = 0;

	if (*s == '0')
		return -1;
	while (*s >= '0' && *s <= '9' && n < 10) {
		v = v * 10 + (unsigned long)(*s - '0');
		s++, n++;
	}
	if (n == 0 || n > 9)
		return -1;
	*p = s;
	*id = v;
	return 0;
}

/* Consume the literal LIT at *p. */
static int gb_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

enum fsrv_gb_route fsrv_gutenberg_route(const char *path, char *out,
					size_t outlen, const char **ctype)
{
	const char *p = path;
	unsigned long id, id2;

	/* The catalog feed, served from DIR like any file (validators and
	 * ranges included), so conditional re-fetches can be tested. */
	if (strcmp(p, "/cache/epub/feeds/pg_catalog.csv") == 0) {
		snprintf(out, outlen, "/pg_catalog.csv");
		*ctype = GB_CSV;
		return FSRV_GB_FILE;
	}
	if (gb_lit(&p, "/cache/epub/") == 0) {
		if (gb_id(&p, &id) || gb_lit(&p, "/pg") || gb_id(&p, &id2) ||
		    id != id2)
			return FSRV_GB_NONE;
		if (strcmp(p, ".txt") == 0)
			*ctype = GB_TEXT;
		else if (strcmp(p, ".rdf") == 0)
			*ctype = GB_RDF;
		else
			return FSRV_GB_NONE;
		snprintf(out, outlen, "/pg%lu%s", id, p);
		return FSRV_GB_FILE;
	}
	if (gb_lit(&p, "/ebooks/") == 0) {
		const char *ext;

		if (gb_id(&p, &id))
			return FSRV_GB_NONE;
		if (strcmp(p, ".txt.utf-8") == 0)
			ext = ".txt";
		else if (strcmp(p, ".rdf") == 0)
			ext = ".rdf";
		else
			return FSRV_GB_NONE;
		snprintf(out, outlen, "/cache/epub/%lu/pg%lu%s", id, id, ext);
		return FSRV_GB_REDIRECT;
	}
	if (gb_lit(&p, "/files/") == 0) {
		if (gb_id(&p, &id) || gb_lit(&p, "/") || gb_id(&p, &id2) ||
		    id != id2 || strcmp(p, "-0.txt") != 0)
			return FSRV_GB_NONE;
		snprintf(out, outlen, "/files/%lu-0.txt", id);
		*ctype = GB_TEXT;
		return FSRV_GB_FILE;
	}
	return FSRV_GB_NONE;
}

char *fsrv_gutenberg_404(const char *path, size_t *len)
{
	static const char head[] =
		"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n"
		"<html><head>\n<title>404 Not Found</title>\n</head><body>\n"
		"<h1>Not Found</h1>\n<p>The requested URL ";
	static const char tail[] =
		" was not found on this server.</p>\n</body></html>\n";
	size_t cap = sizeof head + sizeof tail + strlen(path) * 6;
	char *buf = malloc(cap), *o;

	if (!buf)
		return NULL;
	o = buf + (sizeof head - 1);
	memcpy(buf, head, sizeof head - 1);
	for (const char *p = path; *p; p++) {
		const char *e = NULL;

		switch (*p) {
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '&': e = "&amp;"; break;
		case '"': e = "&quot;"; break;
		}
		if (e) {
			memcpy(o, e, strlen(e));
			o += strlen(e);
		} else {
			*o++ = *p;
		}
	}
	memcpy(o, tail, sizeof tail);
	*len = (size_t)(o - buf) + sizeof tail - 1;
	return buf;
}
