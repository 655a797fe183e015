/* Unit tests for lib/xmlsafe.c: the hardened XML reader. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "error.h"
#include "xmlsafe.h"

static int read_str(const char *s, size_t max, xmlDocPtr *doc, char *err,
		    size_t errlen)
{
	return fp_xml_read(s, strlen(s), max, doc, err, errlen);
}

START_TEST(test_plain)
{
	static const char x[] = "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\">"
				"<b>t<![CDATA[<c>]]>u</b></a>";
	xmlDocPtr doc = (xmlDocPtr)1;
	xmlChar *t;
	char err[128] = "";

	ck_assert_int_eq(read_str(x, 1024, &doc, err, sizeof(err)), FP_OK);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(err, "");
	t = xmlNodeGetContent(xmlDocGetRootElement(doc));
	ck_assert_str_eq((char *)t, "t<c>u");
	xmlFree(t);
	xmlFreeDoc(doc);
}
END_TEST

/* A document with a DOCTYPE is refused, whatever the subset holds. */
static void assert_doctype_refused(const char *x)
{
	xmlDocPtr doc = (xmlDocPtr)1;
	char err[128];

	ck_assert_int_eq(read_str(x, 1 << 20, &doc, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(err, "XML with a DOCTYPE is not accepted");
}

START_TEST(test_entity_bomb)
{
	assert_doctype_refused(
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		"]>\n<lolz>&lol3;</lolz>");
}
END_TEST

START_TEST(test_xxe)
{
	assert_doctype_refused(
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		"<a>&x;</a>");
	assert_doctype_refused(
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE a [<!ENTITY x SYSTEM \"http://127.0.0.1:1/x\">]>\n"
		"<a>&x;</a>");
}
END_TEST

START_TEST(test_dtd)
{
	/* external DTD (never loaded), and an empty internal subset */
	assert_doctype_refused("<!DOCTYPE a SYSTEM "
			       "\"http://127.0.0.1:1/a.dtd\"><a/>");
	assert_doctype_refused("<!DOCTYPE a PUBLIC \"-//x//y\" \"a.dtd\"><a/>");
	assert_doctype_refused("<!DOCTYPE a []><a/>");
}
END_TEST

START_TEST(test_undeclared_entity)
{
	xmlDocPtr doc;
	char err[128];

	ck_assert_int_eq(read_str("<a>&x;</a>", 1024, &doc, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(err, "malformed XML: entity 'x' not defined");
}
END_TEST

/* Nesting deeper than libxml2's limit (256 without XML_PARSE_HUGE) is
 * malformed; a nesting well inside it is fine. */
static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 7 + 1), *p = s;
	int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	return s;
}

START_TEST(test_depth)
{
	xmlDocPtr doc;
	char err[128], *s;

	s = nested(200);
	ck_assert_int_eq(read_str(s, 1 << 20, &doc, err, sizeof(err)), FP_OK);
	xmlFreeDoc(doc);
	free(s);
	s = nested(5000);
	ck_assert_int_eq(read_str(s, 1 << 20, &doc, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_ptr_null(doc);
	ck_assert_int_eq(strncmp(err, "malformed XML: ", 15), 0);
	free(s);
}
END_TEST

START_TEST(test_size_cap)
{
	xmlDocPtr doc = (xmlDocPtr)1;
	char err[128];

	ck_assert_int_eq(read_str("<a>12345</a>", 11, &doc, err, sizeof(err)),
			 FP_ETOOBIG);
	ck_assert_ptr_null(doc);
	ck_assert_str_eq(err, "XML body too large");
	ck_assert_int_eq(read_str("<a>12345</a>", 12, &doc, err, sizeof(err)),
			 FP_OK);
	xmlFreeDoc(doc);
}
END_TEST

/* libxml2's message is captured, one line, printable, lower-cased first
 * letter; nothing reaches stderr. */
START_TEST(test_error_capture)
{
	xmlDocPtr doc;
	char err[256];
	FILE *cap;
	struct stat st;
	int saved;
	size_t i;

	/* stderr to a file, to see that libxml2 printed nothing */
	fflush(stderr);
	cap = tmpfile();
	ck_assert_ptr_nonnull(cap);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(cap), 2), 2);

	ck_assert_int_eq(read_str("<a><b></a>", 1024, &doc, err, sizeof(err)),
			 FP_EPARSE);
	/* libxml2's last error, first letter lowered */
	ck_assert_str_eq(err, "malformed XML: premature end of data in tag "
			      "a line 1");
	/* raw bytes in a bogus encoding come back as U+FFFD */
	ck_assert_int_eq(read_str("<?xml version=\"1.0\" encoding=\"x-bogus\"?>"
				  "<a>\x94</a>",
				  1024, &doc, err, sizeof(err)),
			 FP_EPARSE);
	for (i = 0; err[i]; i++)
		ck_assert((unsigned char)err[i] >= 0x20);
	ck_assert_int_eq(read_str("<\x94\x95/>", 1024, &doc, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_int_eq(strncmp(err, "malformed XML: ", 15), 0);
	ck_assert_int_eq(read_str("", 1024, &doc, err, sizeof(err)),
			 FP_EPARSE);
	ck_assert_int_eq(strncmp(err, "malformed XML: ", 15), 0);
	/* err may be NULL */
	ck_assert_int_eq(read_str("<a>", 1024, &doc, NULL, 0), FP_EPARSE);
	/* a short buffer is cut, still a string */
	ck_assert_int_eq(read_str("<a>", 1024, &doc, err, 8), FP_EPARSE);
	ck_assert_str_eq(err, "malform");

	fflush(stderr);
	ck_assert_int_eq(fstat(fileno(cap), &st), 0);
	dup2(saved, 2);
	close(saved);
	fclose(cap);
	ck_assert_int_eq(st.st_size, 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("xmlsafe");
	TCase *ok = unit_tcase("read");
	TCase *hostile = unit_tcase("hostile");
	TCase *errs = unit_tcase("errors");

	tcase_add_test(ok, test_plain);
	tcase_add_test(hostile, test_entity_bomb);
	tcase_add_test(hostile, test_xxe);
	tcase_add_test(hostile, test_dtd);
	tcase_add_test(hostile, test_undeclared_entity);
	tcase_add_test(hostile, test_depth);
	tcase_add_test(hostile, test_size_cap);
	tcase_add_test(errs, test_error_capture);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, hostile);
	suite_add_tcase(s, errs);
	return s;
}
