/* www.gutenberg.org URL layout, for the fixture server's --gutenberg DIR.
 *
 *   /cache/epub/ID/pgID.txt   -> DIR/pgID.txt        (text/plain; utf-8)
 *   /cache/epub/ID/pgID.rdf   -> DIR/pgID.rdf        (application/rdf+xml)
 *   /files/ID/ID-0.txt        -> DIR/files/ID-0.txt  (text/plain; utf-8)
 *   /cache/epub/feeds/pg_catalog.csv -> DIR/pg_catalog.csv (text/csv)
 *   /ebooks/ID.txt.utf-8      -> 302 /cache/epub/ID/pgID.txt
 *   /ebooks/ID.rdf            -> 302 /cache/epub/ID/pgID.rdf
 *
 * Anything else is not a Gutenberg path (the caller answers 404).
 */
#ifndef FSRV_GUTENBERG_H
#define FSRV_GUTENBERG_H
#include <stddef.h>

enum fsrv_gb_route {
	FSRV_GB_NONE,     /* not a known Gutenberg path */
	FSRV_GB_FILE,     /* serve OUT (a path inside DIR) as *CTYPE */
	FSRV_GB_REDIRECT  /* 302 to OUT (a path on this server) */
};

/* Map the decoded request PATH. OUT (OUTLEN bytes, 64 are always enough)
 * receives the file or redirect path; *CTYPE a static Content-Type for
 * files. IDs are 1 to 9 digits without a leading zero. Pure, thread-safe. */
enum fsrv_gb_route fsrv_gutenberg_route(const char *path, char *out,
					size_t outlen, const char **ctype);

/* The Apache-style HTML body of a 404 for PATH (malloc'd, NUL-terminated;
 * *len set), or NULL when out of memory. The path is HTML-escaped. */
char *fsrv_gutenberg_404(const char *path, size_t *len);

#endif
