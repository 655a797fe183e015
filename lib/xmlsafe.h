/* Hardened reading of untrusted XML (Gutenberg RDF, World Bank replies)
 * with libxml2, from memory:
 * - no network (XML_PARSE_NONET), no DTD loading, no entity substitution,
 *   no XML_PARSE_HUGE, so libxml2's own limits hold (among them a nesting
 *   depth of 256 elements and 10 MB per text node);
 * - a document with any DOCTYPE is refused before its internal subset is
 *   read: no entity declarations, so no entity bombs and no external
 *   entities (XXE);
 * - a size cap chosen by the caller;
 * - libxml2's messages are captured into the caller's buffer, never
 *   printed (the per-thread generic and structured handlers are silenced
 *   for the parse and put back afterwards).
 * CDATA sections become text nodes. Thread-safe: libxml2 is initialised
 * once (pthread_once). */
#ifndef FP_XMLSAFE_H
#define FP_XMLSAFE_H
#include <stddef.h>

#include <libxml/tree.h>

/* Parse len bytes at body (need not be NUL-terminated). Returns FP_OK and
 * *doc, which has a root element (free it with xmlFreeDoc()); or, with
 * *doc NULL and one line in err (errlen bytes; err may be NULL):
 * FP_ETOOBIG when len > max_len (or INT_MAX), "XML body too large";
 * FP_EPARSE for "XML with a DOCTYPE is not accepted", "malformed XML:
 * WHY" (WHY: the first line of libxml2's message, first letter lower case,
 * made printable UTF-8) or "malformed XML: no root element"; FP_ENOMEM. */
int fp_xml_read(const char *body, size_t len, size_t max_len, xmlDocPtr *doc,
		char *err, size_t errlen);

#endif
