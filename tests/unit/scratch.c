#include "scratch.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int unit_scratch_make(char *path, size_t len, const char *tag, int open_it)
{
	int fd = -1;

	ck_assert_int_lt(snprintf(path, len, "/tmp/fp-%s-XXXXXX", tag),
			 (int)len);
	ck_assert_ptr_nonnull(mkdtemp(path));
	if (open_it) {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
	}
	return fd;
}

static int scratch_rm(const char *p, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void unit_scratch_remove(const char *path, int fd)
{
	if (fd >= 0)
		close(fd);
	nftw(path, scratch_rm, 16, FTW_DEPTH | FTW_PHYS);
}
