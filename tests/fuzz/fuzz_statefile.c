/* Fuzz target: the validator state file (lib/statefile.h), which a run
 * reads from OUTPUT_DIR/.fetchpool.state: a file anyone who can write the
 * directory may have edited, and whose ETag and Last-Modified values are
 * sent back in request headers.
 *
 * Each input is written as the state file of a scratch directory, loaded,
 * saved (after a change, since an unchanged state is not rewritten) and
 * loaded again. Invariants: loading never fails on content; every record
 * that comes back has validators that are safe in a header (no CR, LF or
 * other control byte but tab) and within FP_STATE_*_MAX; the saved file
 * reloads to the same records (except lines too long to load, which are
 * skipped by design) and saving that again gives the same bytes. */
#include "fuzz.h"
#include "error.h"
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* statefile.c reads lines up to this long; longer ones are skipped. */
#define FUZZ_STATE_LINE_MAX 8192


/* The whole state file as saved, NUL-terminated; *len its size. */
static char *fuzz_read(int dirfd, size_t *len)
{
	int fd = openat(dirfd, FP_STATEFILE_NAME, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;

	FUZZ_CHECK(fd >= 0 && fstat(fd, &st) == 0);
	buf = malloc((size_t)st.st_size + 1);
	FUZZ_OOM(buf);
	FUZZ_CHECK(read(fd, buf, (size_t)st.st_size) == st.st_size);
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

/* Load into a new state; the caller frees it. */
static struct fp_statefile *fuzz_load(int dirfd)
{
	struct fp_statefile *s = NULL;

	FUZZ_CHECK(fp_statefile_create(dirfd, &s) == FP_OK);
	FUZZ_CHECK(fp_statefile_load(s) == FP_OK);
	return s;
}

/* Save s whole (a set and remove of a fresh name makes it dirty). */
static void fuzz_save(struct fp_statefile *s)
{
	static const char probe[] = "fuzz probe name";

	FUZZ_CHECK(fp_statefile_set(s, probe, "\"e\"", NULL, 1) == FP_OK);
	FUZZ_CHECK(fp_statefile_remove(s, probe) == FP_OK);
	FUZZ_CHECK(fp_statefile_save(s) == FP_OK);
}

static void fuzz_check_value(const char *v, size_t cap)
{
	size_t n = strnlen(v, cap);

	FUZZ_CHECK(n < cap);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		FUZZ_CHECK(c >= 0x20 || c == '\t');
		FUZZ_CHECK(c != 0x7f);
	}
}

static int fuzz_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Walk the saved file: each record's name (unescaped) must be found in s
 * with header-safe validators. Returns the number of records, and in
 * *too_long the number of lines the loader will skip for their length. */
static size_t fuzz_walk(struct fp_statefile *s, const char *file,
			size_t *too_long)
{
	const char *p = file;
	size_t n = 0;

	*too_long = 0;
	while (*p) {
		const char *nl = strchr(p, '\n'), *q;
		struct fp_state_rec rec;
		char *name, *o;

		FUZZ_CHECK(nl != NULL); /* every saved line ends in '\n' */
		if (*p == '#') {
			p = nl + 1;
			continue;
		}
		n++;
		if ((size_t)(nl - p) > FUZZ_STATE_LINE_MAX)
			(*too_long)++;
		name = malloc((size_t)(nl - p) + 1);
		FUZZ_OOM(name);
		for (q = p, o = name; *q != '\t'; q++) {
			FUZZ_CHECK(q < nl);
			if (*q == '\\' && q[1] == '\\') {
				*o++ = '\\';
				q++;
			} else if (*q == '\\') {
				int hi, lo;

				FUZZ_CHECK(q[1] == 'x');
				hi = fuzz_hexval(q[2]);
				lo = fuzz_hexval(q[3]);
				FUZZ_CHECK(hi >= 0 && lo >= 0);
				*o++ = (char)(hi << 4 | lo);
				q += 3;
			} else {
				*o++ = *q;
			}
		}
		*o = '\0';
		FUZZ_CHECK(fp_statefile_get(s, name, &rec) == FP_OK);
		fuzz_check_value(rec.etag, sizeof(rec.etag));
		fuzz_check_value(rec.last_modified, sizeof(rec.last_modified));
		FUZZ_CHECK(rec.size >= -1);
		free(name);
		p = nl + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fp_statefile *s1, *s2;
	size_t len1, len2, n, too_long;
	char *saved1, *saved2;
	int dirfd = fuzz_scratch("statefile");

	if (size > 1 << 20)
		return 0;
	unlinkat(dirfd, FP_STATEFILE_TMP, 0);
	fuzz_write_file(dirfd, FP_STATEFILE_NAME, data, size);
	s1 = fuzz_load(dirfd);
	fuzz_save(s1);
	saved1 = fuzz_read(dirfd, &len1);
	n = fuzz_walk(s1, saved1, &too_long);
	FUZZ_CHECK(n == fp_statefile_count(s1));

	s2 = fuzz_load(dirfd);
	FUZZ_CHECK(fp_statefile_skipped(s2) == too_long);
	FUZZ_CHECK(fp_statefile_count(s2) == n - too_long);
	if (too_long == 0) {
		fuzz_save(s2);
		saved2 = fuzz_read(dirfd, &len2);
		FUZZ_CHECK(len1 == len2 && memcmp(saved1, saved2, len1) == 0);
		free(saved2);
	}
	free(saved1);
	fp_statefile_free(s2);
	fp_statefile_free(s1);
	return 0;
}
