/* Project Gutenberg: URLs and file names for an ebook ID, and the title
 * from the book's RDF metadata (doc/DESIGN.md;
 * tests/fixtures/gutenberg/GUTENBERG.md).
 * All functions are thread-safe. */
#ifndef FP_GUTENBERG_H
#define FP_GUTENBERG_H
#include <stddef.h>

/* Default mirror (--mirror). */
#define FP_GUTENBERG_DEFAULT_MIRROR "https://www.gutenberg.org"

/* Longest title returned, in bytes; a longer one is cut at a UTF-8
 * character boundary (a hostile RDF must not flood the output lines). */
#define FP_GUTENBERG_TITLE_MAX 1024

/* Largest RDF body accepted, in bytes (real ones are 13-23 KB). */
#define FP_GUTENBERG_RDF_MAX (4 * 1024 * 1024)

/* "MIRROR/cache/epub/ID/pgID.txt", the generated UTF-8 text. Trailing '/'
 * characters of mirror are dropped ("https://m/" and "https://m" give the
 * same URL). Returns a malloc'd string (caller frees), or NULL when mirror
 * is NULL or empty, id <= 0, or memory is short. */
char *fp_gutenberg_text_url(const char *mirror, long id);

/* Where a mirror may keep the text of book ID, in the order to try them
 * when one answers 404: "cache/epub/ID/pgID.txt", "files/ID/ID-0.txt",
 * "files/ID/ID.txt", then the classic mirror layout
 * "1/3/4/1342/1342-0.txt" (a folder per digit but the last; "0/ID/" for
 * one-digit IDs). Fills URLS with malloc'd strings (caller frees) and
 * returns how many (FP_GUTENBERG_TEXT_URLS), or 0 as
 * fp_gutenberg_text_url() returns NULL. */
#define FP_GUTENBERG_TEXT_URLS 4

/* Most mirrors a job asks (4 places at each fill a job's 16 URLs). */
#define FP_GUTENBERG_MAX_MIRRORS 4
size_t fp_gutenberg_text_urls(const char *mirror, long id,
			      char *urls[FP_GUTENBERG_TEXT_URLS]);

/* "MIRROR/cache/epub/ID/pgID.rdf", the metadata; as fp_gutenberg_text_url(). */
char *fp_gutenberg_rdf_url(const char *mirror, long id);

/* "pgID.txt", the file name an ID job is saved under. malloc'd; NULL when
 * id <= 0 or memory is short. */
char *fp_gutenberg_file_name(long id);

/* The title of the book described by an RDF/XML body: the text of the
 * dcterms:title element (namespace http://purl.org/dc/terms/) that is a
 * child of the pgterms:ebook element (http://www.gutenberg.org/2009/pgterms/)
 * under the root. Elements are matched by namespace URI, never by prefix.
 * Whitespace (including the CR LF inside pg1080's title) is folded to single
 * spaces and trimmed; C1 control characters count as whitespace; the result
 * is cut to FP_GUTENBERG_TITLE_MAX bytes.
 * Parsing is hardened (fp_xml_read(), xmlsafe.h): libxml2 from memory with
 * no network access, no DTD loading, no entity substitution; a document
 * with any DOCTYPE (and so any entity declaration) is rejected before its
 * internal subset is read.
 * Returns FP_OK and a malloc'd UTF-8 *title (caller frees); FP_EPARSE for a
 * malformed document, a DOCTYPE, no ebook, no or an empty title; FP_ETOOBIG
 * when len > FP_GUTENBERG_RDF_MAX; FP_EINVAL for NULL arguments;
 * FP_ENOMEM. *title is NULL on failure. */
int fp_gutenberg_rdf_title(const char *body, size_t len, char **title);

#endif
