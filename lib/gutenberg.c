/* Gutenberg URLs and RDF titles. The RDF is untrusted server input, so
 * it goes through the hardened reader (xmlsafe.h), which refuses anything
 * with a DOCTYPE instead of trying to make entity handling safe: no
 * Gutenberg RDF has one. */
#include "gutenberg.h"
#include "error.h"
#include "utf8.h"
#include "xmlsafe.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define GUTENBERG_NS_PGTERMS "http://www.gutenberg.org/2009/pgterms/"
#define GUTENBERG_NS_DCTERMS "http://purl.org/dc/terms/"

/* "MIRROR/PATH", PATH made by FMT (trailing '/' of MIRROR dropped). */
static char *gutenberg_url(const char *mirror, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *gutenberg_url(const char *mirror, const char *fmt, ...)
{
	char path[256];
	size_t len;
	char *url;
	va_list ap;
	int n;

	if (!mirror)
		return NULL;
	len = strlen(mirror);
	while (len > 0 && mirror[len - 1] == '/')
		len--;
	if (len == 0 || len > INT_MAX / 2)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	url = malloc(len + (size_t)n + 2);
	if (url)
		snprintf(url, len + (size_t)n + 2, "%.*s/%s", (int)len, mirror,
			 path);
	return url;
}

/* "MIRROR/cache/epub/ID/pgID.EXT" */
static char *gutenberg_cache_url(const char *mirror, long id, const char *ext)
{
	if (id <= 0)
		return NULL;
	return gutenberg_url(mirror, "cache/epub/%ld/pg%ld.%s", id, id, ext);
}

char *fp_gutenberg_text_url(const char *mirror, long id)
{
	return gutenberg_cache_url(mirror, id, "txt");
}

size_t fp_gutenberg_text_urls(const char *mirror, long id,
			      char *urls[FP_GUTENBERG_TEXT_URLS])
{
	char digits[32], dirs[64];
	size_t i, n = 0, k = 0;

	if (id <= 0)
		return 0;
	snprintf(digits, sizeof(digits), "%ld", id);
	/* The classic layout: a folder per digit but the last ("1/3/4/"
	 * for 1342), "0/" for one-digit IDs. */
	if (digits[1] == '\0')
		snprintf(dirs, sizeof(dirs), "0/");
	else
		for (i = 0; digits[i + 1] && k + 2 < sizeof(dirs); i++) {
			dirs[k++] = digits[i];
			dirs[k++] = '/';
			dirs[k] = '\0';
		}
	urls[n++] = gutenberg_cache_url(mirror, id, "txt");
	urls[n++] = gutenberg_url(mirror, "files/%ld/%ld-0.txt", id, id);
	urls[n++] = gutenberg_url(mirror, "files/%ld/%ld.txt", id, id);
	urls[n++] = gutenberg_url(mirror, "%s%ld/%ld-0.txt", dirs, id, id);
	for (i = 0; i < n; i++)
		if (!urls[i]) {
			while (n > 0)
				free(urls[--n]);
			return 0;
		}
	return n;
}

char *fp_gutenberg_rdf_url(const char *mirror, long id)
{
	return gutenberg_cache_url(mirror, id, "rdf");
}

char *fp_gutenberg_file_name(long id)
{
	char buf[32];

	if (id <= 0)
		return NULL;
	snprintf(buf, sizeof(buf), "pg%ld.txt", id);
	return strdup(buf);
}

/* ---- RDF title ---- */

static int gutenberg_is(const xmlNode *n, const char *local, const char *ns)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->name, local) == 0 &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

/* Fold whitespace (and C0/C1 controls) in s to single spaces, trim, cap at
 * FP_GUTENBERG_TITLE_MAX bytes on a character boundary. libxml2 hands out
 * valid UTF-8; a byte that is not is replaced by '?' all the same. Returns
 * a malloc'd string or NULL. */
static char *gutenberg_fold(const char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	int pending_space = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	while (i < len) {
		unsigned long cp;
		size_t n = fp_utf8_char((const unsigned char *)s + i, len - i,
					&cp);
		const char *src = s + i;

		if (n == 0) {
			n = 1;
			cp = '?';
			src = "?";
		}
		i += n;
		if (cp == ' ' || fp_utf8_is_control(cp)) {
			pending_space = o > 0;
			continue;
		}
		if (o + pending_space + n > FP_GUTENBERG_TITLE_MAX)
			break;
		if (pending_space)
			out[o++] = ' ';
		pending_space = 0;
		memcpy(out + o, src, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

/* The dcterms:title of the first pgterms:ebook child of root, or NULL. */
static const xmlNode *gutenberg_find_title(const xmlNode *root)
{
	const xmlNode *e, *t;

	for (e = root ? root->children : NULL; e; e = e->next) {
		if (!gutenberg_is(e, "ebook", GUTENBERG_NS_PGTERMS))
			continue;
		for (t = e->children; t; t = t->next)
			if (gutenberg_is(t, "title", GUTENBERG_NS_DCTERMS))
				return t;
		return NULL;
	}
	return NULL;
}

int fp_gutenberg_rdf_title(const char *body, size_t len, char **title)
{
	const xmlNode *node;
	xmlDocPtr doc;
	xmlChar *text;
	char *folded;
	int rc;

	if (!title)
		return FP_EINVAL;
	*title = NULL;
	if (!body)
		return FP_EINVAL;
	rc = fp_xml_read(body, len, FP_GUTENBERG_RDF_MAX, &doc, NULL, 0);
	if (rc != FP_OK)
		return rc == FP_ENOMEM || rc == FP_ETOOBIG ? rc : FP_EPARSE;
	rc = FP_EPARSE;
	node = gutenberg_find_title(xmlDocGetRootElement(doc));
	if (!node)
		goto out;
	text = xmlNodeGetContent(node);
	if (!text) {
		rc = FP_ENOMEM;
		goto out;
	}
	folded = gutenberg_fold((const char *)text);
	xmlFree(text);
	if (!folded) {
		rc = FP_ENOMEM;
	} else if (!*folded) {
		free(folded);
	} else {
		*title = folded;
		rc = FP_OK;
	}
out:
	xmlFreeDoc(doc);
	return rc;
}
