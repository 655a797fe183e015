/* Gutenberg URLs and the RDF title: every fixture RDF (expected titles
 * copied by hand from the files), matching by namespace URI, whitespace
 * folding, and hostile documents (entity bombs, XXE, external DTDs,
 * truncation, missing titles) that must fail cleanly and silently. */
#include "runner.h"
#include "gutenberg.h"
#include "error.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fixtures_dir(void)
{
	const char *env = getenv("FIXTURES");

	return env && *env ? env : FP_FIXTURES_DIR;
}

/* Whole fixture file in memory (caller frees). */
static char *slurp(const char *rel, size_t *len)
{
	char path[4096], *buf;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/gutenberg/%s", fixtures_dir(), rel);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "cannot open %s", path);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static char *title_of(const char *doc, size_t len, int want_rc)
{
	char *title = (char *)"unset";
	int rc = fp_gutenberg_rdf_title(doc, len, &title);

	ck_assert_msg(rc == want_rc, "rc %d (%s), want %d", rc,
		      fp_errname(rc), want_rc);
	if (want_rc != FP_OK)
		ck_assert_ptr_null(title);
	return title;
}

START_TEST(test_urls)
{
	char *s;

	s = fp_gutenberg_text_url("https://www.gutenberg.org", 2600);
	ck_assert_str_eq(s,
			 "https://www.gutenberg.org/cache/epub/2600/pg2600.txt");
	free(s);
	s = fp_gutenberg_text_url("http://127.0.0.1:8080/", 1342);
	ck_assert_str_eq(s, "http://127.0.0.1:8080/cache/epub/1342/pg1342.txt");
	free(s);
	s = fp_gutenberg_text_url("http://m/mirror//", 11);
	ck_assert_str_eq(s, "http://m/mirror/cache/epub/11/pg11.txt");
	free(s);
	s = fp_gutenberg_rdf_url(FP_GUTENBERG_DEFAULT_MIRROR, 1080);
	ck_assert_str_eq(s,
			 "https://www.gutenberg.org/cache/epub/1080/pg1080.rdf");
	free(s);
	s = fp_gutenberg_rdf_url("http://127.0.0.1:1/", 2147483647L);
	ck_assert_str_eq(s, "http://127.0.0.1:1/cache/epub/2147483647/"
			    "pg2147483647.rdf");
	free(s);
	s = fp_gutenberg_file_name(7256);
	ck_assert_str_eq(s, "pg7256.txt");
	free(s);

	ck_assert_ptr_null(fp_gutenberg_text_url(NULL, 1));
	ck_assert_ptr_null(fp_gutenberg_text_url("", 1));
	ck_assert_ptr_null(fp_gutenberg_text_url("///", 1));
	ck_assert_ptr_null(fp_gutenberg_text_url("https://m", 0));
	ck_assert_ptr_null(fp_gutenberg_rdf_url("https://m", -5));
	ck_assert_ptr_null(fp_gutenberg_file_name(0));
	ck_assert_ptr_null(fp_gutenberg_file_name(-1));
}
END_TEST

static const struct {
	const char *file, *title;
} fixture_titles[] = {
	{ "pg1080.rdf",
	  "A Modest Proposal For preventing the children of poor people in "
	  "Ireland, from being a burden on their parents or country, and for "
	  "making them beneficial to the publick" },
	{ "pg11.rdf", "Alice's Adventures in Wonderland" },
	{ "pg120.rdf", "Treasure Island" },
	{ "pg1342.rdf", "Pride and Prejudice" },
	{ "pg1661.rdf", "The Adventures of Sherlock Holmes" },
	{ "pg2600.rdf", "War and Peace" },
	{ "pg7256.rdf", "The Gift of the Magi" },
	{ "pg84.rdf", "Frankenstein; Or, The Modern Prometheus" },
	{ "pg844.rdf",
	  "The Importance of Being Earnest: A Trivial Comedy for Serious "
	  "People" },
	{ "pg98.rdf", "A Tale of Two Cities" },
	{ "variants/pg1342-2018.rdf", "Pride and Prejudice" },
	{ "variants/pg2701-2015.rdf", "Moby Dick; Or, The Whale" },
};

START_TEST(test_fixture_titles)
{
	size_t len;
	char *doc = slurp(fixture_titles[_i].file, &len);
	char *title = title_of(doc, len, FP_OK);

	ck_assert_str_eq(title, fixture_titles[_i].title);
	free(title);
	free(doc);
}
END_TEST

/* Truncating a real RDF anywhere inside the document fails cleanly. */
START_TEST(test_truncated)
{
	size_t len, cut;
	char *doc = slurp("pg1342.rdf", &len);

	for (cut = 0; cut < len - 16; cut += 97)
		title_of(doc, cut, FP_EPARSE);
	/* Even cut after the title, the document is malformed. */
	title_of(doc, len - 12, FP_EPARSE);
	free(doc);
}
END_TEST

#define RDF_OPEN                                                          \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"                       \
	"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"" \
	" xmlns:pgterms=\"http://www.gutenberg.org/2009/pgterms/\""          \
	" xmlns:dcterms=\"http://purl.org/dc/terms/\">\n"                    \
	"<pgterms:ebook rdf:about=\"ebooks/1\">\n"
#define RDF_CLOSE "</pgterms:ebook>\n</rdf:RDF>\n"

static char *title_str(const char *doc, int want_rc)
{
	return title_of(doc, strlen(doc), want_rc);
}

#define ASSERT_TITLE(doc, want)                           \
	do {                                              \
		char *t_ = title_str(doc, FP_OK);         \
		ck_assert_str_eq(t_, want);               \
		free(t_);                                 \
	} while (0)

START_TEST(test_namespaces)
{
	/* Other prefixes, same URIs. */
	ASSERT_TITLE("<r:RDF xmlns:r=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		     "ns#\" xmlns:p=\"http://www.gutenberg.org/2009/pgterms/\" "
		     "xmlns:d=\"http://purl.org/dc/terms/\"><p:ebook>"
		     "<d:title>Prefix Free</d:title></p:ebook></r:RDF>",
		     "Prefix Free");
	/* Default namespace on the title. */
	ASSERT_TITLE(RDF_OPEN "<title xmlns=\"http://purl.org/dc/terms/\">"
			      "Default NS</title>" RDF_CLOSE,
		     "Default NS");
	/* Right prefix, wrong URI: not a title. */
	title_str(RDF_OPEN "<x:title xmlns:x=\"http://purl.org/dc/elements/"
			   "1.1/\">Wrong NS</x:title>" RDF_CLOSE,
		  FP_EPARSE);
	title_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-"
		  "syntax-ns#\" xmlns:pgterms=\"http://example.org/\" "
		  "xmlns:dcterms=\"http://purl.org/dc/terms/\"><pgterms:ebook>"
		  "<dcterms:title>Fake ebook</dcterms:title></pgterms:ebook>"
		  "</rdf:RDF>",
		  FP_EPARSE);
	/* No namespace at all. */
	title_str("<RDF><ebook><title>Bare</title></ebook></RDF>", FP_EPARSE);
	/* A title outside the ebook does not count; the one inside does. */
	ASSERT_TITLE(RDF_OPEN "<dcterms:alternative>Alt</dcterms:alternative>"
			      "<dcterms:title>Inside</dcterms:title>" RDF_CLOSE,
		     "Inside");
	title_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-"
		  "syntax-ns#\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
		  "<dcterms:title>Loose</dcterms:title></rdf:RDF>",
		  FP_EPARSE);
}
END_TEST

START_TEST(test_folding)
{
	ASSERT_TITLE(RDF_OPEN "<dcterms:title>  A&#13;\n\tB  \r\n  C "
			      "</dcterms:title>" RDF_CLOSE,
		     "A B C");
	ASSERT_TITLE(RDF_OPEN "<dcterms:title><![CDATA[Tom & <Jerry>]]>"
			      "</dcterms:title>" RDF_CLOSE,
		     "Tom & <Jerry>");
	ASSERT_TITLE(RDF_OPEN "<dcterms:title>Caf&#233; &amp; "
			      "\xd0\x92\xd0\xbe\xd0\xb9\xd0\xbd\xd0\xb0"
			      "</dcterms:title>" RDF_CLOSE,
		     "Caf\xc3\xa9 & \xd0\x92\xd0\xbe\xd0\xb9\xd0\xbd\xd0\xb0");
	/* C1 controls (here U+009B, a terminal CSI) become spaces. */
	ASSERT_TITLE(RDF_OPEN "<dcterms:title>x&#x9B;[2Jy</dcterms:title>"
			      RDF_CLOSE,
		     "x [2Jy");
	title_str(RDF_OPEN "<dcterms:title> \r\n\t </dcterms:title>" RDF_CLOSE,
		  FP_EPARSE);
	title_str(RDF_OPEN "<dcterms:title/>" RDF_CLOSE, FP_EPARSE);
	/* C0 controls are not XML: the document is malformed. */
	title_str(RDF_OPEN "<dcterms:title>a&#27;[2J</dcterms:title>"
			   RDF_CLOSE,
		  FP_EPARSE);
}
END_TEST

START_TEST(test_long_title)
{
	size_t n = 5000, i;
	char *doc = malloc(n + 512), *t, *p;

	p = doc + sprintf(doc, RDF_OPEN "<dcterms:title>");
	for (i = 0; i < n / 2; i++) {
		memcpy(p, "\xc3\xa9", 2); /* 2-byte chars: cut on a boundary */
		p += 2;
	}
	p += sprintf(p, "</dcterms:title>" RDF_CLOSE);
	t = title_of(doc, (size_t)(p - doc), FP_OK);
	ck_assert_uint_eq(strlen(t), FP_GUTENBERG_TITLE_MAX);
	ck_assert_int_eq(memcmp(t + FP_GUTENBERG_TITLE_MAX - 2, "\xc3\xa9", 2),
			 0);
	free(t);

	/* Odd limit position: 1 ASCII byte then 2-byte characters. */
	doc[sizeof(RDF_OPEN "<dcterms:title>") - 1] = 'x';
	doc[sizeof(RDF_OPEN "<dcterms:title>")] = ' ';
	t = title_of(doc, (size_t)(p - doc), FP_OK);
	ck_assert_uint_le(strlen(t), FP_GUTENBERG_TITLE_MAX);
	ck_assert_uint_ge(strlen(t), FP_GUTENBERG_TITLE_MAX - 1);
	ck_assert_int_eq(memcmp(t + strlen(t) - 2, "\xc3\xa9", 2), 0);
	free(t);
	free(doc);
}
END_TEST

/* Hostile documents; stderr must stay silent too. */
static const char *const hostile[] = {
	/* billion laughs */
	"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	" <!ENTITY lol \"lol\">\n"
	" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"
	"&lol1;\">\n"
	" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"
	"&lol2;\">\n"
	" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"
	"&lol3;\">\n"
	" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"
	"&lol4;\">\n"
	" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"
	"&lol5;\">\n"
	" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"
	"&lol6;\">\n"
	" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"
	"&lol7;\">\n"
	" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;"
	"&lol8;\">\n"
	"]>\n"
	"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	" xmlns:pgterms=\"http://www.gutenberg.org/2009/pgterms/\""
	" xmlns:dcterms=\"http://purl.org/dc/terms/\"><pgterms:ebook>"
	"<dcterms:title>&lol9;</dcterms:title></pgterms:ebook></rdf:RDF>",
	/* XXE: external entity pointing at a local file */
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
	"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	" xmlns:pgterms=\"http://www.gutenberg.org/2009/pgterms/\""
	" xmlns:dcterms=\"http://purl.org/dc/terms/\"><pgterms:ebook>"
	"<dcterms:title>&xxe;</dcterms:title></pgterms:ebook></rdf:RDF>",
	/* parameter entity fetching an external DTD over the network */
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE r [<!ENTITY % ext SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
	" %ext;]>\n"
	"<r/>",
	/* external DTD subset */
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE rdf:RDF SYSTEM \"file:///etc/passwd\">\n"
	RDF_OPEN "<dcterms:title>With DTD</dcterms:title>" RDF_CLOSE,
	/* an innocent-looking internal subset is refused all the same */
	"<!DOCTYPE rdf:RDF []>\n"
	RDF_OPEN "<dcterms:title>Empty subset</dcterms:title>" RDF_CLOSE,
	/* undeclared entity */
	RDF_OPEN "<dcterms:title>&undeclared;</dcterms:title>" RDF_CLOSE,
	/* XInclude is not processed */
	RDF_OPEN "<dcterms:title><xi:include "
	"xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" "
	"parse=\"text\"/></dcterms:title>" RDF_CLOSE,
	/* not XML, HTML, empty-ish */
	"<html><body>Too many downloads</body></html>",
	"<!doctype html><html><head><title>Captcha</title></head></html>",
	"",
	" ",
	"\xef\xbb\xbf",
	"<",
	"<rdf:RDF",
	/* mismatched tags, two roots, bad encoding */
	RDF_OPEN "<dcterms:title>x</dcterms:tilte>" RDF_CLOSE,
	RDF_OPEN "<dcterms:title>x</dcterms:title>" RDF_CLOSE "<again/>",
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>" RDF_OPEN
	"<dcterms:title>\xff\xfe bad</dcterms:title>" RDF_CLOSE,
};

START_TEST(test_hostile)
{
	char path[] = "/tmp/fp_gutenberg_stderr_XXXXXX";
	int fd = mkstemp(path), saved;
	size_t i;
	struct stat st;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *title = (char *)"unset";
		int rc = fp_gutenberg_rdf_title(hostile[i], strlen(hostile[i]),
						&title);

		if (rc != FP_EPARSE || title) {
			dup2(saved, 2);
			ck_abort_msg("hostile document %zu: rc %d, title %s",
				     i, rc, title ? title : "(null)");
		}
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_msg(st.st_size == 0, "libxml2 wrote %ld bytes to stderr",
		      (long)st.st_size);
	close(fd);
}
END_TEST

/* Binary junk and a NUL inside an otherwise good document. */
START_TEST(test_binary)
{
	unsigned char junk[4096];
	size_t i, len;
	char *doc;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	title_of((const char *)junk, sizeof(junk), FP_EPARSE);

	doc = slurp("pg2600.rdf", &len);
	doc[len / 2] = '\0';
	title_of(doc, len, FP_EPARSE);
	free(doc);
}
END_TEST

START_TEST(test_deep_nesting)
{
	size_t depth = 100000, i;
	char *doc = malloc(depth * 3 + 64), *p = doc;

	for (i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	title_of(doc, (size_t)(p - doc), FP_EPARSE);
	free(doc);
}
END_TEST

START_TEST(test_limits_and_args)
{
	char *title = NULL;

	ck_assert_int_eq(fp_gutenberg_rdf_title("<a/>",
						FP_GUTENBERG_RDF_MAX + 1,
						&title),
			 FP_ETOOBIG);
	ck_assert_ptr_null(title);
	ck_assert_int_eq(fp_gutenberg_rdf_title(NULL, 0, &title), FP_EINVAL);
	ck_assert_int_eq(fp_gutenberg_rdf_title("<a/>", 4, NULL), FP_EINVAL);
}
END_TEST

/* Workers parse every fixture RDF at the same time (libxml2 is shared
 * state; run under ThreadSanitizer this checks the initialisation). */
#define THREADS 4
#define N_FIXTURES (sizeof(fixture_titles) / sizeof(fixture_titles[0]))

struct rdf_set {
	char *doc[N_FIXTURES];
	size_t len[N_FIXTURES];
};

static void *parse_all(void *arg)
{
	const struct rdf_set *set = arg;
	size_t round, i;
	long bad = 0;

	for (round = 0; round < 10; round++) {
		for (i = 0; i < N_FIXTURES; i++) {
			char *t = NULL;

			if (fp_gutenberg_rdf_title(set->doc[i], set->len[i],
						   &t) != FP_OK ||
			    strcmp(t, fixture_titles[i].title) != 0)
				bad++;
			free(t);
		}
	}
	return (void *)bad;
}

START_TEST(test_threads)
{
	pthread_t th[THREADS];
	struct rdf_set set;
	size_t i;

	for (i = 0; i < N_FIXTURES; i++)
		set.doc[i] = slurp(fixture_titles[i].file, &set.len[i]);
	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, parse_all, &set),
				 0);
	for (i = 0; i < THREADS; i++) {
		void *bad = (void *)1;

		ck_assert_int_eq(pthread_join(th[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	for (i = 0; i < N_FIXTURES; i++)
		free(set.doc[i]);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("gutenberg");
	TCase *urls = unit_tcase("urls");
	TCase *rdf = unit_tcase("rdf_title");
	TCase *bad = unit_tcase("hostile");

	tcase_add_test(urls, test_urls);
	tcase_add_loop_test(rdf, test_fixture_titles, 0,
			    (int)(sizeof(fixture_titles) /
				  sizeof(fixture_titles[0])));
	tcase_add_test(rdf, test_namespaces);
	tcase_add_test(rdf, test_folding);
	tcase_add_test(rdf, test_long_title);
	tcase_add_test(rdf, test_threads);
	tcase_add_test(bad, test_truncated);
	tcase_add_test(bad, test_hostile);
	tcase_add_test(bad, test_binary);
	tcase_add_test(bad, test_deep_nesting);
	tcase_add_test(bad, test_limits_and_args);
	suite_add_tcase(s, urls);
	suite_add_tcase(s, rdf);
	suite_add_tcase(s, bad);
	return s;
}
