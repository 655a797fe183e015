/* Hardened libxml2 reader (see xmlsafe.h). */
#include "xmlsafe.h"
#include "error.h"
#include "utf8.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

static pthread_once_t xmlsafe_once = PTHREAD_ONCE_INIT;

/* libxml2 wants one initialisation before threads parse concurrently. */
static void xmlsafe_init(void)
{
	xmlInitParser();
}

/* SAX hook for <!DOCTYPE ...>: called before the internal subset is read,
 * so entity declarations (billion laughs, XXE) are never even parsed. */
static void xmlsafe_no_doctype(void *ctx, const xmlChar *name,
			       const xmlChar *external_id,
			       const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)external_id;
	(void)system_id;
	*(int *)ctxt->_private = 1;
	xmlStopParser(ctxt);
}

/* Errors are kept in the context (its last error), not printed. */
static void xmlsafe_quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void xmlsafe_quiet_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* libxml2's encoding and I/O layers report through the per-thread
 * handlers, not the parser context ("encoding error : input conversion
 * failed" for a body in a bogus encoding). */
struct xmlsafe_handlers {
	xmlGenericErrorFunc generic;
	void *generic_ctx;
	xmlStructuredErrorFunc structured;
	void *structured_ctx;
};

static void xmlsafe_mute(struct xmlsafe_handlers *saved)
{
	saved->generic = xmlGenericError;
	saved->generic_ctx = xmlGenericErrorContext;
	saved->structured = xmlStructuredError;
	saved->structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, xmlsafe_quiet_generic);
	xmlSetStructuredErrorFunc(NULL, xmlsafe_quiet);
}

static void xmlsafe_unmute(const struct xmlsafe_handlers *saved)
{
	xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
	xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
}

/* "malformed XML: ..." from libxml2's last error. It quotes input bytes
 * (a tag name, "Bytes: 0x94 ...") as they are: keep the first line and
 * make it valid, printable UTF-8. */
static void xmlsafe_malformed(xmlParserCtxtPtr ctxt, char *err,
			      size_t errlen)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char *clean = NULL;

	if (e != NULL && e->message != NULL) {
		size_t m = strcspn(e->message, "\r\n");

		while (m > 0 && (e->message[m - 1] == ' ' ||
				 e->message[m - 1] == '\t'))
			m--;
		clean = fp_utf8_repair(e->message, m, FP_UTF8_CONTROL_SPACE);
	}
	if (clean != NULL && clean[0] != '\0') {
		if (clean[0] >= 'A' && clean[0] <= 'Z')
			clean[0] = (char)(clean[0] | 0x20);
		fp_utf8_format(err, errlen, "malformed XML: %s", clean);
	} else {
		fp_utf8_format(err, errlen, "malformed XML: not well-formed");
	}
	free(clean);
}

int fp_xml_read(const char *body, size_t len, size_t max_len, xmlDocPtr *doc,
		char *err, size_t errlen)
{
	struct xmlsafe_handlers saved;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr d;
	int saw_dtd = 0, rc = FP_EPARSE;

	*doc = NULL;
	if (len > max_len || len > INT_MAX) {
		fp_utf8_format(err, errlen, "XML body too large");
		return FP_ETOOBIG;
	}
	pthread_once(&xmlsafe_once, xmlsafe_init);
	xmlsafe_mute(&saved);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL || ctxt->sax == NULL) {
		xmlFreeParserCtxt(ctxt);
		xmlsafe_unmute(&saved);
		return FP_ENOMEM;
	}
	ctxt->_private = &saw_dtd;
	ctxt->sax->internalSubset = xmlsafe_no_doctype;
	ctxt->sax->serror = xmlsafe_quiet;
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: entities stay
	 * unexpanded, nothing is loaded, libxml2's limits hold. */
	d = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (saw_dtd || (d != NULL && (d->intSubset || d->extSubset)))
		fp_utf8_format(err, errlen,
			       "XML with a DOCTYPE is not accepted");
	else if (d == NULL || !ctxt->wellFormed)
		xmlsafe_malformed(ctxt, err, errlen);
	else if (xmlDocGetRootElement(d) == NULL)
		fp_utf8_format(err, errlen, "malformed XML: no root element");
	else
		rc = FP_OK;
	if (rc != FP_OK) {
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	xmlsafe_unmute(&saved);
	*doc = d;
	return rc;
}
