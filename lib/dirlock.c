#include "dirlock.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An admission takes a few system calls; a holder this slow is stopped
 * or wedged, and the run is refused rather than hung. */
#define DIRLOCK_ADMIT_WAIT_MS 10000
#define DIRLOCK_ADMIT_POLL_MS 2
/* A shard that finds another N recorded tries again this often: the
 * runs that recorded it may have just ended. */
#define DIRLOCK_ADMIT_TRIES 3

struct fp_dirlock {
	int fd;       /* FP_DIRLOCK_NAME */
	int shard_fd; /* .fetchpool.lock.K-of-N, or -1 */
};

/* O_NONBLOCK: a FIFO planted at the name must not hang us; it is refused
 * as not regular. */
int fp_dirlock_open_file(int dirfd, const char *name)
{
	struct stat st;
	int fd, saved;

	fd = openat(dirfd, name,
		    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0644);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* flock(op | LOCK_NB): 0 taken, 1 held by another, -1 error. */
static int dirlock_try(int fd, int op)
{
	int rc;

	do {
		rc = flock(fd, op | LOCK_NB);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return 0;
	return errno == EWOULDBLOCK ? 1 : -1;
}

/* Record who holds a lock (and the shards' N). Failing to is harmless:
 * the lock is what matters; the text improves a refused run's message
 * and tells later shards the N in force. */
static void dirlock_record(int fd, unsigned n)
{
	char text[64];
	int len;

	if (n)
		len = snprintf(text, sizeof(text), "%ld\n%u\n",
			       (long)getpid(), n);
	else
		len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0)
		return;
	if (pwrite(fd, text, (size_t)len, 0) != len)
		return;
}

/* Parse "PID\n[N\n]": the pid (or -1) and N (or 0). */
static long dirlock_parse(const char *buf, unsigned *n)
{
	char *end;
	long pid, v;

	*n = 0;
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno || end == buf || pid <= 0 || (*end && *end != '\n'))
		return -1;
	if (*end == '\n' && end[1]) {
		const char *p = end + 1;

		errno = 0;
		v = strtol(p, &end, 10);
		if (!errno && end != p && v > 0 && v <= 1L << 30 &&
		    (!*end || *end == '\n'))
			*n = (unsigned)v;
	}
	return pid;
}

/* What a lock file records, read through fd (or by name when fd < 0). */
static long dirlock_read(int dirfd, const char *name, int fd, unsigned *n)
{
	char buf[64];
	ssize_t len;
	int own = fd < 0;

	*n = 0;
	if (own)
		fd = openat(dirfd, name,
			    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	if (own)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return dirlock_parse(buf, n);
}

static void dirlock_busy(struct fp_dirlock_busy *busy, int dirfd,
			 const char *name, int fd, int want_shards)
{
	unsigned n;

	if (!busy)
		return;
	snprintf(busy->name, sizeof(busy->name), "%s", name);
	busy->pid = dirlock_read(dirfd, name, fd, &n);
	busy->shards = want_shards ? n : 0;
}

static void dirlock_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The admission lock, waiting for another admission (never for a run).
 * 0 taken, 1 timed out, -1 error. */
static int dirlock_admit(int fd)
{
	long waited = 0;
	int rc;

	while ((rc = dirlock_try(fd, LOCK_EX)) == 1 &&
	       waited < DIRLOCK_ADMIT_WAIT_MS) {
		dirlock_sleep_ms(DIRLOCK_ADMIT_POLL_MS);
		waited += DIRLOCK_ADMIT_POLL_MS;
	}
	return rc;
}

/* Shards: the directory lock shared, with the N in force. Called with
 * the admission lock held, so only an unsharded run (which takes no
 * admission) can come between the steps. 0, 1 busy (*busy filled), -1
 * error. */
static int dirlock_join(int dirfd, int fd, unsigned n,
			struct fp_dirlock_busy *busy)
{
	unsigned have;
	int i, rc;

	for (i = 0; i < DIRLOCK_ADMIT_TRIES; i++) {
		rc = dirlock_try(fd, LOCK_EX);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			/* Nobody holds the directory: the first shard
			 * records N, then shares. The conversion is not
			 * atomic; an unsharded run may win the gap, and
			 * this shard is then refused. */
			dirlock_record(fd, n);
			rc = dirlock_try(fd, LOCK_SH);
			if (rc == 1)
				dirlock_busy(busy, dirfd, FP_DIRLOCK_NAME, fd,
					     1);
			return rc;
		}
		rc = dirlock_try(fd, LOCK_SH);
		if (rc < 0)
			return -1;
		if (rc == 1) { /* an unsharded run */
			dirlock_busy(busy, dirfd, FP_DIRLOCK_NAME, fd, 1);
			return 1;
		}
		(void)dirlock_read(dirfd, FP_DIRLOCK_NAME, fd, &have);
		if (have == n)
			return 0;
		/* Shards of another N, or they just ended and left their
		 * N behind: let go and look again. */
		flock(fd, LOCK_UN);
	}
	dirlock_busy(busy, dirfd, FP_DIRLOCK_NAME, fd, 1);
	return 1;
}

int fp_dirlock_acquire_shard(int dirfd, unsigned k, unsigned n,
			     struct fp_dirlock **out,
			     struct fp_dirlock_busy *busy)
{
	struct fp_dirlock *lock;
	char shard_name[64];
	int admit = -1, rc, saved, ret = FP_EIO;

	*out = NULL;
	if (n && k >= n)
		return FP_EINVAL;
	lock = malloc(sizeof(*lock));
	if (!lock)
		return FP_ENOMEM;
	lock->shard_fd = -1;
	lock->fd = fp_dirlock_open_file(dirfd, FP_DIRLOCK_NAME);
	if (lock->fd < 0)
		goto fail;
	if (!n) {
		rc = dirlock_try(lock->fd, LOCK_EX);
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			dirlock_busy(busy, dirfd, FP_DIRLOCK_NAME, lock->fd,
				     1);
			ret = FP_EBUSY;
			goto fail;
		}
		dirlock_record(lock->fd, 0);
		*out = lock;
		return FP_OK;
	}

	admit = fp_dirlock_open_file(dirfd, FP_DIRLOCK_ADMIT);
	if (admit < 0)
		goto fail;
	rc = dirlock_admit(admit);
	if (rc == 1)
		dirlock_busy(busy, dirfd, FP_DIRLOCK_ADMIT, admit, 0);
	if (rc == 0)
		rc = dirlock_join(dirfd, lock->fd, n, busy);
	if (rc == 0) {
		snprintf(shard_name, sizeof(shard_name), "%s.%u-of-%u",
			 FP_DIRLOCK_NAME, k, n);
		lock->shard_fd = fp_dirlock_open_file(dirfd, shard_name);
		if (lock->shard_fd < 0)
			goto fail;
		rc = dirlock_try(lock->shard_fd, LOCK_EX);
		if (rc == 1)
			dirlock_busy(busy, dirfd, shard_name, lock->shard_fd,
				     0);
		if (rc == 0)
			dirlock_record(lock->shard_fd, 0);
	}
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		ret = FP_EBUSY;
		goto fail;
	}
	close(admit); /* releases the admission */
	*out = lock;
	return FP_OK;

fail:
	saved = errno;
	if (lock->shard_fd >= 0)
		close(lock->shard_fd);
	if (lock->fd >= 0)
		close(lock->fd);
	if (admit >= 0)
		close(admit);
	free(lock);
	errno = saved;
	return ret;
}

int fp_dirlock_acquire(int dirfd, struct fp_dirlock **out)
{
	return fp_dirlock_acquire_shard(dirfd, 0, 0, out, NULL);
}

void fp_dirlock_release(struct fp_dirlock *lock)
{
	if (!lock)
		return;
	/* Closing the only descriptor of the open file releases the lock;
	 * the explicit unlock documents it and covers a descriptor
	 * duplicated behind our back by a fork without exec. */
	if (lock->shard_fd >= 0) {
		flock(lock->shard_fd, LOCK_UN);
		close(lock->shard_fd);
	}
	flock(lock->fd, LOCK_UN);
	close(lock->fd);
	free(lock);
}

long fp_dirlock_owner(int dirfd)
{
	unsigned n;

	return dirlock_read(dirfd, FP_DIRLOCK_NAME, -1, &n);
}
