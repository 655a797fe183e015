#include "dirlock.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct fp_dirlock {
	int fd;
};

/* Record who holds the lock. Failing to is harmless: the lock is what
 * matters, the id only improves the refused run's message. */
static void dirlock_record_pid(int fd)
{
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0)
		return;
	if (pwrite(fd, pid, (size_t)n, 0) != n)
		return;
}

int fp_dirlock_acquire(int dirfd, struct fp_dirlock **out)
{
	struct fp_dirlock *lock;
	struct stat st;
	int fd, rc, saved;

	*out = NULL;
	lock = malloc(sizeof(*lock));
	if (!lock)
		return FP_ENOMEM;
	/* O_NONBLOCK: a FIFO planted at the name must not hang us; flock()
	 * on a non-regular file is refused below anyway. */
	fd = openat(dirfd, FP_DIRLOCK_NAME,
		    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0644);
	if (fd < 0)
		goto fail_io;
	if (fstat(fd, &st) < 0)
		goto fail_io;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail_io;
	}
	do {
		rc = flock(fd, LOCK_EX | LOCK_NB);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		if (errno == EWOULDBLOCK) {
			close(fd);
			free(lock);
			return FP_EBUSY;
		}
		goto fail_io;
	}
	dirlock_record_pid(fd);
	lock->fd = fd;
	*out = lock;
	return FP_OK;

fail_io:
	saved = errno;
	if (fd >= 0)
		close(fd);
	free(lock);
	errno = saved;
	return FP_EIO;
}

void fp_dirlock_release(struct fp_dirlock *lock)
{
	if (!lock)
		return;
	/* Closing the only descriptor of the open file releases the lock;
	 * the explicit unlock documents it and covers a descriptor
	 * duplicated behind our back by a fork without exec. */
	flock(lock->fd, LOCK_UN);
	close(lock->fd);
	free(lock);
}

long fp_dirlock_owner(int dirfd)
{
	char buf[32], *end;
	ssize_t n;
	long pid;
	int fd;

	fd = openat(dirfd, FP_DIRLOCK_NAME,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno || end == buf || pid <= 0 || (*end && *end != '\n'))
		return -1;
	return pid;
}
