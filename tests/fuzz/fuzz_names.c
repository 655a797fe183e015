/* Fuzz target: file names (lib/names.h): fp_name_from_url() on
 * "http://h/" + each input line, fp_name_check_out() on each line, and
 * fp_names_claim() of all of them into one table.
 *
 * Invariants: every name from a URL passes fp_name_check_out() (one path
 * component, no '/', not "." or "..", not hidden, printable UTF-8, at most
 * FP_NAME_MAX bytes, no ".part" end) and comes out the same twice; a plain
 * ASCII segment that needs no change is kept as it is; a name
 * fp_name_check_out() accepts can be claimed; every claimed final name
 * passes fp_name_check_out() and differs from every other final name of
 * the table. */
#include "fuzz.h"
#include "error.h"
#include "names.h"

#include <string.h>

#define FUZZ_LINES 16

/* A segment fp_name_from_url() must return unchanged. */
static int fuzz_plain(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > FP_NAME_MAX || s[0] == '.')
		return 0;
	if (len >= 5 && strcmp(s + len - 5, ".part") == 0)
		return 0;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || strchr("/\\?#%", s[i]))
			return 0;
	return 1;
}

static void fuzz_check_name(const char *name)
{
	const char *why = NULL;

	FUZZ_CHECK(name != NULL);
	FUZZ_CHECK(strlen(name) >= 1 && strlen(name) <= FP_NAME_MAX);
	FUZZ_CHECK(fp_name_check_out(name, &why) == FP_OK);
	FUZZ_CHECK(why == NULL);
	FUZZ_CHECK(strchr(name, '/') == NULL);
	FUZZ_CHECK(name[0] != '.');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *finals[2 * FUZZ_LINES];
	size_t nfinal = 0, i, j, start = 0;
	struct fp_names *table;
	unsigned lines = 0;

	if (size > 16384)
		return 0;
	FUZZ_CHECK(fp_names_new(&table) == FP_OK);
	while (start <= size && lines < FUZZ_LINES) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t len = nl ? (size_t)(nl - (data + start)) : size - start;
		char *line, *url, *name = NULL, *again = NULL, *final;
		const char *why = NULL;

		lines++;
		line = malloc(len + 1);
		url = malloc(len + sizeof("http://h/"));
		FUZZ_OOM(line);
		FUZZ_OOM(url);
		memcpy(line, data + start, len);
		line[len] = '\0'; /* an embedded NUL ends the string early */
		memcpy(url, "http://h/", 9);
		memcpy(url + 9, line, len + 1);

		FUZZ_CHECK(fp_name_from_url(url, &name) == FP_OK);
		fuzz_check_name(name);
		FUZZ_CHECK(fp_name_from_url(url, &again) == FP_OK);
		FUZZ_CHECK(strcmp(name, again) == 0);
		if (fuzz_plain(line))
			FUZZ_CHECK(strcmp(name, line) == 0);

		FUZZ_CHECK(fp_names_claim(table, name, &final) == FP_OK);
		fuzz_check_name(final);
		finals[nfinal++] = final;

		if (fp_name_check_out(line, &why) == FP_OK) {
			FUZZ_CHECK(why == NULL);
			fuzz_check_name(line);
			FUZZ_CHECK(fp_names_claim(table, line, &final) ==
				   FP_OK);
			fuzz_check_name(final);
			finals[nfinal++] = final;
		} else {
			FUZZ_CHECK(why != NULL && *why != '\0');
		}
		free(again);
		free(name);
		free(url);
		free(line);
		if (!nl)
			break;
		start += len + 1;
	}
	FUZZ_CHECK(fp_names_count(table) == nfinal);
	for (i = 0; i < nfinal; i++)
		for (j = i + 1; j < nfinal; j++)
			FUZZ_CHECK(strcmp(finals[i], finals[j]) != 0);
	for (i = 0; i < nfinal; i++)
		free(finals[i]);
	fp_names_free(table);
	return 0;
}
