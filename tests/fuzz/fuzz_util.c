/* Helpers shared by the fuzz targets. */
#include "fuzz.h"
#include "utf8.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir[4096];
static int fuzz_dirfd = -1;

static void fuzz_scratch_remove(void)
{
	DIR *d;
	struct dirent *de;
	int fd;

	if (fuzz_dirfd < 0)
		return;
	fd = dup(fuzz_dirfd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(fuzz_dirfd, de->d_name, 0);
	if (d)
		closedir(d);
	close(fuzz_dirfd);
	rmdir(fuzz_dir);
	fuzz_dirfd = -1;
}

int fuzz_scratch(const char *tag)
{
	const char *base = getenv("TMPDIR");
	struct stat st;

	if (fuzz_dirfd >= 0)
		return fuzz_dirfd;
	if (!base || !*base)
		base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)
			       ? "/dev/shm"
			       : "/tmp";
	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/fuzz-%s.XXXXXX", base, tag);
	FUZZ_CHECK(mkdtemp(fuzz_dir) != NULL);
	fuzz_dirfd = open(fuzz_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	FUZZ_CHECK(fuzz_dirfd >= 0);
	atexit(fuzz_scratch_remove);
	return fuzz_dirfd;
}

void fuzz_write_file(int dirfd, const char *name, const uint8_t *data,
		     size_t size)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0600);

	FUZZ_CHECK(fd >= 0);
	while (size > 0) {
		ssize_t w = write(fd, data, size);

		FUZZ_CHECK(w > 0);
		data += w;
		size -= (size_t)w;
	}
	close(fd);
}

int fuzz_strict(void)
{
	static int strict = -1;

	if (strict < 0) {
		const char *e = getenv("FUZZ_STRICT");

		strict = e && *e && strcmp(e, "0") != 0;
	}
	return strict;
}

int fuzz_printable_utf8(const char *s, size_t len, int tab_ok)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n = fp_utf8_char(u + i, len - i, &cp);

		if (n == 0)
			return 0;
		if (cp == '\t' && tab_ok) {
			i += n;
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return 0;
		i += n;
	}
	return 1;
}
