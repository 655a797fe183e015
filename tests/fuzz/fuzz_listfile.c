/* Fuzz target: the books list-file parser (lib/listfile.h), fed through
 * fmemopen() into fp_listfile_open()/fp_listfile_next() until the end.
 *
 * Invariants from the header: every job has a line number, a priority in
 * 1..5 and, when valid, a source and either a URL or an ID; an invalid job
 * has an error, an err_line and no URL; a source is printable UTF-8 and
 * carries no credentials (libcurl finds no user or password in it); an
 * out= name passes fp_name_check_out(); titles are printable UTF-8 (tabs
 * became spaces); error texts are printable ASCII (no raw input bytes);
 * line numbers never go backwards. */
#include "fuzz.h"
#include "error.h"
#include "listfile.h"
#include "names.h"

#include <string.h>

#include <curl/curl.h>

static int fuzz_ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* The redacted source as libcurl reads it: no user, no password (an empty
 * one, as in "http://@host/", hides nothing). */
static void fuzz_no_credentials(const char *source)
{
	CURLU *u = curl_url();
	char *part = NULL;

	FUZZ_OOM(u);
	if (curl_url_set(u, CURLUPART_URL, source, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_USER, &part, 0) == CURLUE_OK)
			FUZZ_CHECK(*part == '\0');
		curl_free(part);
		part = NULL;
		if (curl_url_get(u, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK)
			FUZZ_CHECK(*part == '\0');
		curl_free(part);
	}
	curl_url_cleanup(u);
}

static void fuzz_job(const struct fp_listjob *job, unsigned *last_line)
{
	FUZZ_CHECK(job->line >= 1);
	FUZZ_CHECK(job->line >= *last_line);
	*last_line = job->line;
	FUZZ_CHECK(job->priority >= FP_LISTFILE_PRIO_MIN &&
		   job->priority <= FP_LISTFILE_PRIO_MAX);
	if (job->source) {
		FUZZ_CHECK(fuzz_printable_utf8(job->source,
					       strlen(job->source), 0));
		fuzz_no_credentials(job->source);
	}
	if (job->title)
		FUZZ_CHECK(fuzz_printable_utf8(job->title, strlen(job->title),
					       0));
	if (job->out)
		FUZZ_CHECK(fp_name_check_out(job->out, NULL) == FP_OK);
	if (job->error) {
		FUZZ_CHECK(job->url == NULL);
		FUZZ_CHECK(job->err_line >= job->line);
		FUZZ_CHECK(*job->error != '\0');
		FUZZ_CHECK(fuzz_ascii_printable(job->error));
		return;
	}
	FUZZ_CHECK(job->err_line == 0);
	FUZZ_CHECK(job->source != NULL);
	if (job->url) {
		char *redacted = fp_url_redact(job->url);

		FUZZ_OOM(redacted);
		FUZZ_CHECK(job->id == 0);
		FUZZ_CHECK(strcmp(redacted, job->source) == 0);
		FUZZ_CHECK(strncasecmp(job->url, "http://", 7) == 0 ||
			   strncasecmp(job->url, "https://", 8) == 0);
		free(redacted);
	} else {
		FUZZ_CHECK(job->id > 0 && job->id <= 2147483647L);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fp_listfile *lf = NULL;
	struct fp_listjob *job;
	unsigned last_line = 0;
	char *copy;
	FILE *in;
	int rc;

	/* fmemopen() wants a writable buffer and, in glibc, a size above 0. */
	copy = malloc(size ? size : 1);
	FUZZ_OOM(copy);
	if (size)
		memcpy(copy, data, size);
	else
		copy[0] = '\n';
	in = fmemopen(copy, size ? size : 1, "r");
	FUZZ_OOM(in);
	if (size == 0)
		fgetc(in); /* an empty stream: consume the placeholder byte */

	FUZZ_CHECK(fp_listfile_open(&lf, in, "fuzz.txt") == FP_OK);
	while ((rc = fp_listfile_next(lf, &job)) == 1) {
		FUZZ_CHECK(job != NULL);
		fuzz_job(job, &last_line);
		fp_listjob_free(job);
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(job == NULL);
	/* After the end every call says the same. */
	FUZZ_CHECK(fp_listfile_next(lf, &job) == 0 && job == NULL);
	fp_listfile_close(lf);
	fclose(in);
	free(copy);
	return 0;
}
