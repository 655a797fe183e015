/* Fuzz target: the ranges file of a split download (lib/split.h), which
 * a run reads from OUTPUT_DIR/NAME.part.ranges: a file anyone who can
 * write the directory may have edited, whose validator is sent back in
 * an If-Range header and whose offsets say where bytes are written.
 *
 * Each input is written as the ranges file of a scratch directory and
 * loaded. Invariants: a load that succeeds gives 1..FP_SPLIT_MAX ranges
 * that tile [0, total) in order, each with 0 <= got <= its size, and a
 * non-empty validator and a date safe in a header (no control byte but
 * tab); saving that and loading it again gives the same plan, and saving
 * again the same bytes. */
#include "fuzz.h"
#include "error.h"
#include "split.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_NAME "f.bin"
#define FUZZ_FILE FUZZ_NAME FP_SPLIT_SUFFIX


/* The file as saved; *len its size. */
static size_t fuzz_read(int dirfd, char *buf, size_t cap)
{
	int fd = openat(dirfd, FUZZ_FILE, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	FUZZ_CHECK(fd >= 0);
	n = read(fd, buf, cap);
	FUZZ_CHECK(n >= 0 && (size_t)n < cap);
	close(fd);
	return (size_t)n;
}

static void fuzz_check_value(const char *v, size_t cap)
{
	FUZZ_CHECK(strnlen(v, cap) < cap);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		FUZZ_CHECK(c >= 0x20 || c == '\t');
		FUZZ_CHECK(c != 0x7f);
	}
}

static void fuzz_check_plan(const struct fp_split *s)
{
	int64_t at = 0;
	unsigned i;

	FUZZ_CHECK(s->n >= 1 && s->n <= FP_SPLIT_MAX);
	FUZZ_CHECK(s->total >= 1);
	FUZZ_CHECK(s->validator[0]);
	fuzz_check_value(s->validator, sizeof(s->validator));
	fuzz_check_value(s->last_modified, sizeof(s->last_modified));
	for (i = 0; i < s->n; i++) {
		FUZZ_CHECK(s->r[i].start == at);
		FUZZ_CHECK(s->r[i].end > s->r[i].start);
		FUZZ_CHECK(s->r[i].got >= 0);
		FUZZ_CHECK(s->r[i].got <= s->r[i].end - s->r[i].start);
		at = s->r[i].end;
	}
	FUZZ_CHECK(at == s->total);
	FUZZ_CHECK(fp_split_have(s) <= s->total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char one[8192], two[8192];
	struct fp_split s1, s2;
	size_t len1, len2;
	int dirfd = fuzz_scratch("ranges");

	if (size > 1 << 16)
		return 0;
	fuzz_write_file(dirfd, FUZZ_FILE, data, size);
	if (fp_split_load(dirfd, FUZZ_NAME, &s1) != FP_OK)
		return 0;
	fuzz_check_plan(&s1);
	FUZZ_CHECK(fp_split_save(dirfd, FUZZ_NAME, &s1) == FP_OK);
	len1 = fuzz_read(dirfd, one, sizeof(one));
	FUZZ_CHECK(fp_split_load(dirfd, FUZZ_NAME, &s2) == FP_OK);
	FUZZ_CHECK(s2.total == s1.total && s2.n == s1.n);
	FUZZ_CHECK(!strcmp(s2.validator, s1.validator));
	FUZZ_CHECK(!strcmp(s2.last_modified, s1.last_modified));
	FUZZ_CHECK(!memcmp(s2.r, s1.r, s1.n * sizeof(s1.r[0])));
	FUZZ_CHECK(fp_split_save(dirfd, FUZZ_NAME, &s2) == FP_OK);
	len2 = fuzz_read(dirfd, two, sizeof(two));
	FUZZ_CHECK(len1 == len2 && !memcmp(one, two, len1));
	return 0;
}
