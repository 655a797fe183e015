/* Fuzz target: the RDF title reader (fp_gutenberg_rdf_title(),
 * lib/gutenberg.h), which parses untrusted XML with libxml2.
 *
 * Invariants: FP_OK comes with a non-empty title of at most
 * FP_GUTENBERG_TITLE_MAX bytes that is printable UTF-8 with single spaces
 * and no space at either end; every failure leaves *title NULL and is one
 * of the documented codes; the same body gives the same answer twice. */
#include "fuzz.h"
#include "error.h"
#include "gutenberg.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *title = (char *)"unset", *again = NULL;
	int rc, rc2;
	size_t len;

	rc = fp_gutenberg_rdf_title((const char *)data, size, &title);
	if (rc != FP_OK) {
		FUZZ_CHECK(title == NULL);
		FUZZ_CHECK(rc == FP_EPARSE || rc == FP_ETOOBIG);
		return 0;
	}
	FUZZ_CHECK(title != NULL);
	len = strlen(title);
	FUZZ_CHECK(len >= 1 && len <= FP_GUTENBERG_TITLE_MAX);
	FUZZ_CHECK(fuzz_printable_utf8(title, len, 0));
	FUZZ_CHECK(title[0] != ' ' && title[len - 1] != ' ');
	FUZZ_CHECK(strstr(title, "  ") == NULL);

	rc2 = fp_gutenberg_rdf_title((const char *)data, size, &again);
	FUZZ_CHECK(rc2 == FP_OK && strcmp(title, again) == 0);
	free(again);
	free(title);
	return 0;
}
