/* World Bank area: the XML replies, through the hardened reader
 * (xmlsafe.h). Elements are matched by namespace URI (FP_WB_XMLNS), never
 * by prefix. */
#include "wb_internal.h"
#include "error.h"
#include "utf8.h"
#include "xmlsafe.h"

#include <limits.h>
#include <string.h>

#include <libxml/tree.h>

/* The body as a document: format checks, then the hardened reader. */
static xmlDocPtr wb_xml_read(const char *body, size_t len, char *err,
			     size_t errlen, int *rc)
{
	xmlDocPtr doc;
	const char *p;
	size_t n = len;

	*rc = FP_EPARSE;
	p = wb_skip_lead(body, &n);
	if (n == 0) {
		fp_utf8_format(err, errlen, "empty body");
		return NULL;
	}
	if (p[0] != '<') {
		fp_utf8_format(err, errlen, "expected XML, got something else");
		return NULL;
	}
	*rc = fp_xml_read(p, n, INT_MAX, &doc, err, errlen);
	return doc;
}

/* NODE is an element LOCAL in the World Bank namespace. */
static bool wb_xml_is(const xmlNode *node, const char *local)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	       node->ns != NULL && node->ns->href != NULL &&
	       strcmp((const char *)node->ns->href, FP_WB_XMLNS) == 0 &&
	       strcmp((const char *)node->name, local) == 0;
}

static xmlNode *wb_xml_child(const xmlNode *parent, const char *local)
{
	xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (wb_xml_is(c, local))
			return c;
	return NULL;
}

/* Text of an element (malloc'd by libxml2, xmlFree it); "" when empty,
 * NULL on ENOMEM. */
static char *wb_xml_text(const xmlNode *node)
{
	xmlChar *t = xmlNodeGetContent(node);

	if (t == NULL)
		t = xmlStrdup((const xmlChar *)"");
	return (char *)t;
}

/* The message of <wb:error>: fills ERR. */
static void wb_xml_error(const xmlNode *root, char *err, size_t errlen)
{
	const xmlNode *m, *first = NULL;
	size_t n = 0;

	for (m = root->children; m != NULL; m = m->next) {
		if (wb_xml_is(m, "message")) {
			if (first == NULL)
				first = m;
			n++;
		}
	}
	if (first == NULL) {
		fp_utf8_format(err, errlen, "API error (no message)");
	} else {
		xmlChar *id = xmlGetNoNsProp(first, BAD_CAST "id");
		xmlChar *key = xmlGetNoNsProp(first, BAD_CAST "key");
		char *text = wb_xml_text(first);

		wb_api_error(err, errlen, id ? (char *)id : "?", (char *)key,
			     text, n - 1);
		xmlFree(id);
		xmlFree(key);
		xmlFree(text);
	}
}

/* A page counter: an attribute of the root, digits only. */
static bool wb_xml_count(const void *root, const char *name, long *out)
{
	xmlChar *v = xmlGetNoNsProp(root, BAD_CAST name);
	bool ok = v != NULL && wb_parse_count_str((char *)v, out);

	xmlFree(v);
	return ok;
}

/* What a data page and a country page share: read the document,
 * recognise the API's error body (FP_EAPI), check the root element is
 * ROOT_NAME, read the counters. On FP_OK the caller frees *DOC (*ROOT is
 * its root); otherwise it is NULL. */
static int wb_xml_open(const char *body, size_t len, const char *root_name,
		       xmlDocPtr *doc, xmlNode **root, long *page,
		       long *pages, long *per_page, long *total, char *err,
		       size_t errlen)
{
	int rc;

	*doc = wb_xml_read(body, len, err, errlen, &rc);
	if (*doc == NULL)
		return rc;
	*root = xmlDocGetRootElement(*doc);
	if (wb_xml_is(*root, "error")) {
		wb_xml_error(*root, err, errlen);
		rc = FP_EAPI;
	} else if (!wb_xml_is(*root, root_name)) {
		fp_utf8_format(err, errlen, "unexpected XML root element");
		rc = FP_EPARSE;
	} else {
		rc = wb_counters(wb_xml_count, *root, page, pages, per_page,
				 total, err, errlen);
	}
	if (rc != FP_OK) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return rc;
}

static int wb_xml_record(struct wb_page_build *pb, const xmlNode *rec,
			 size_t idx, char *err, size_t errlen)
{
	struct wb_raw_rec raw;
	xmlNode *country, *iso3n, *daten, *valuen, *indn;
	char *name = NULL, *iso3 = NULL, *date = NULL, *value = NULL;
	xmlChar *id2 = NULL, *ind = NULL;
	int rc = FP_EPARSE;

	memset(&raw, 0, sizeof(raw));
	country = wb_xml_child(rec, "country");
	iso3n = wb_xml_child(rec, "countryiso3code");
	daten = wb_xml_child(rec, "date");
	valuen = wb_xml_child(rec, "value");
	indn = wb_xml_child(rec, "indicator");
	if (country == NULL) {
		fp_utf8_format(err, errlen, "record %zu: bad country", idx);
		return FP_EPARSE;
	}
	if (daten == NULL) {
		fp_utf8_format(err, errlen, "record %zu: bad date", idx);
		return FP_EPARSE;
	}
	if (valuen == NULL) {
		fp_utf8_format(err, errlen, "record %zu: value is missing",
			       idx);
		return FP_EPARSE;
	}
	name = wb_xml_text(country);
	date = wb_xml_text(daten);
	value = wb_xml_text(valuen);
	iso3 = iso3n ? wb_xml_text(iso3n) : NULL;
	id2 = xmlGetNoNsProp(country, BAD_CAST "id");
	if (indn != NULL)
		ind = xmlGetNoNsProp(indn, BAD_CAST "id");
	if (name == NULL || date == NULL || value == NULL ||
	    (iso3n != NULL && iso3 == NULL)) {
		rc = FP_ENOMEM;
		goto out;
	}
	raw.name = name;
	raw.name_len = strlen(name);
	raw.date = date;
	raw.date_len = strlen(date);
	if (iso3 != NULL) {
		raw.iso3 = iso3;
		raw.iso3_len = strlen(iso3);
	}
	if (id2 != NULL) {
		raw.id2 = (const char *)id2;
		raw.id2_len = strlen((const char *)id2);
	}
	if (ind != NULL) {
		raw.ind = (const char *)ind;
		raw.ind_len = strlen((const char *)ind);
	}
	{
		size_t vn = strlen(value), i = 0;

		while (i < vn && wb_is_space((unsigned char)value[i]))
			i++;
		if (i == vn) {
			raw.has_value = false; /* <wb:value/> is null */
		} else if (wb_parse_number(value, vn, &raw.value)) {
			raw.has_value = true;
		} else {
			fp_utf8_format(err, errlen,
				       "record %zu: value is not a number",
				       idx);
			goto out;
		}
	}
	rc = wb_rec_fill(pb, &raw, idx, err, errlen);
out:
	xmlFree(name);
	xmlFree(date);
	xmlFree(value);
	xmlFree(iso3);
	xmlFree(id2);
	xmlFree(ind);
	return rc;
}

int fp_wb_parse_data_xml(const char *body, size_t len, const char *req_code,
			 struct fp_wb_page *out, char *err, size_t errlen)
{
	struct wb_page_build pb;
	xmlDocPtr doc;
	xmlNode *root, *c;
	xmlChar *lu;
	size_t idx = 0;
	int rc;

	wb_build_init(&pb, out, req_code);
	rc = wb_xml_open(body, len, "data", &doc, &root, &out->page,
			 &out->pages, &out->per_page, &out->total, err, errlen);
	if (rc != FP_OK)
		return rc;
	lu = xmlGetNoNsProp(root, BAD_CAST "lastupdated");
	wb_lastupdated((const char *)lu, out->lastupdated,
		       sizeof(out->lastupdated));
	xmlFree(lu);
	for (c = root->children; c != NULL; c = c->next) {
		if (!wb_xml_is(c, "data"))
			continue;
		rc = wb_xml_record(&pb, c, ++idx, err, errlen);
		if (rc != FP_OK)
			break;
	}
	xmlFreeDoc(doc);
	if (rc != FP_OK)
		fp_wb_page_free(out);
	return rc;
}

int wb_xml_countries(const char *body, size_t len,
		     struct fp_wb_countries *out, char *err, size_t errlen)
{
	xmlDocPtr doc;
	xmlNode *root, *c;
	size_t cap = 0, idx = 0;
	int rc;

	rc = wb_xml_open(body, len, "countries", &doc, &root, &out->page,
			 &out->pages, &out->per_page, &out->total, err, errlen);
	if (rc != FP_OK)
		return rc;
	for (c = root->children; rc == FP_OK && c != NULL; c = c->next) {
		struct wb_raw_country raw;
		xmlNode *iso2n, *namen, *regn, *incn, *lendn;
		xmlChar *id = NULL, *rid = NULL, *inc = NULL, *lend = NULL;
		char *iso2 = NULL, *name = NULL, *rval = NULL;

		if (!wb_xml_is(c, "country"))
			continue;
		idx++;
		iso2n = wb_xml_child(c, "iso2Code");
		namen = wb_xml_child(c, "name");
		regn = wb_xml_child(c, "region");
		incn = wb_xml_child(c, "incomeLevel");
		lendn = wb_xml_child(c, "lendingType");
		id = xmlGetNoNsProp(c, BAD_CAST "id");
		if (incn != NULL)
			inc = xmlGetNoNsProp(incn, BAD_CAST "id");
		if (lendn != NULL)
			lend = xmlGetNoNsProp(lendn, BAD_CAST "id");
		iso2 = iso2n ? wb_xml_text(iso2n) : NULL;
		name = namen ? wb_xml_text(namen) : NULL;
		if (regn != NULL) {
			rid = xmlGetNoNsProp(regn, BAD_CAST "id");
			rval = wb_xml_text(regn);
		}
		raw.id = (const char *)id;
		raw.iso2 = iso2;
		raw.name = name;
		raw.region_id = (const char *)rid;
		raw.region_value = rval;
		raw.income_id = (const char *)inc;
		raw.lending_id = (const char *)lend;
		rc = wb_country_fill(out, &cap, &raw, idx, err, errlen);
		xmlFree(inc);
		xmlFree(lend);
		xmlFree(id);
		xmlFree(rid);
		xmlFree(iso2);
		xmlFree(name);
		xmlFree(rval);
	}
	xmlFreeDoc(doc);
	return rc;
}
