/* Folders below the output directory, opened one component at a time
 * (subdir.h). openat() with a path "a/b/c" would follow a symlink at "a"
 * or "b"; O_NOFOLLOW guards only the last component, hence the walk. */
#include "subdir.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest component the walk copies; names.h allows far less. */
#define SUBDIR_COMPONENT_MAX 255

int fp_subdir_path_ok(const char *path)
{
	const char *p = path;

	if (!path || !*path || *path == '/')
		return 0;
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!p[n])
			return 1;
		p += n + 1;
	}
}

int fp_subdir_open(int dirfd, const char *path, int create,
		   const char **leaf)
{
	char comp[SUBDIR_COMPONENT_MAX + 1];
	const char *p = path, *slash;
	int fd = dirfd;

	if (!fp_subdir_path_ok(path)) {
		errno = EINVAL;
		return -1;
	}
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);
		int next;

		if (n > SUBDIR_COMPONENT_MAX) {
			fp_subdir_close(fd, dirfd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		/* EEXIST covers a folder made by another job meanwhile; what
		 * is there is checked by the open, never followed. */
		if (create && mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
			fp_subdir_close(fd, dirfd);
			return -1;
		}
		next = openat(fd, comp,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		fp_subdir_close(fd, dirfd);
		if (next < 0)
			return -1;
		fd = next;
		p = slash + 1;
	}
	*leaf = p;
	return fd;
}

void fp_subdir_close(int fd, int dirfd)
{
	int saved = errno;

	if (fd >= 0 && fd != dirfd)
		close(fd);
	errno = saved;
}
