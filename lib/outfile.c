#include "outfile.h"
#include "error.h"
#include "subdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first buffer: a small body fits, and FP_OUTFILE_BUFSIZE is a
 * power-of-two multiple of it. */
#define OUTFILE_MIN_BUF (16 * 1024)

struct fp_outfile {
	int topfd;        /* borrowed: the directory given to open */
	int dirfd;        /* the folder NAME is in: topfd, or owned */
	size_t leaf;      /* NAME's last component: name + leaf */
	int fd;
	char *name;       /* NAME */
	char *part;       /* NAME.part */
	unsigned char *buf;
	size_t cap;       /* bytes buf holds, at most FP_OUTFILE_BUFSIZE */
	size_t used;      /* bytes waiting in buf */
	int64_t flushed;  /* bytes in the file, also the next write offset */
	int failed;       /* sticky write error: see fp_outfile_write() */
	int published;
	int64_t dropped;  /* bytes a fresh open truncated away */
	int err;          /* errno of the last failure, 0 if none */
	char errtext[512];
};

/* "NAME" or "SUB/NAME" (subdir.h): folders are opened one by one. */
static int outfile_name_ok(const char *name)
{
	return fp_subdir_path_ok(name);
}

/* Remember a failure as "cannot OP 'FILE': strerror". strerror_r keeps
 * this thread-safe; with _GNU_SOURCE it is the GNU variant. */
static void outfile_fail(struct fp_outfile *o, const char *op,
			 const char *file, int err)
{
	char tmp[128];
	const char *msg = strerror_r(err, tmp, sizeof(tmp));

	o->err = err;
	snprintf(o->errtext, sizeof(o->errtext), "cannot %s '%s': %s", op,
		 file, msg);
}

/* Write all of buf at the end of the file. On failure the bytes that did
 * reach the file still count, so flushed always equals the file's size. */
static int outfile_write_all(struct fp_outfile *o, const unsigned char *buf,
			     size_t len)
{
	while (len > 0) {
		ssize_t n = pwrite(o->fd, buf, len, (off_t)o->flushed);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			outfile_fail(o, "write", o->part, errno);
			o->failed = 1;
			return FP_EIO;
		}
		if (n == 0) {
			/* pwrite() of a regular file should not return 0;
			 * treat it as the device being full, not as a loop. */
			outfile_fail(o, "write", o->part, ENOSPC);
			o->failed = 1;
			return FP_EIO;
		}
		buf += n;
		len -= (size_t)n;
		o->flushed += n;
	}
	return FP_OK;
}

static int outfile_flush(struct fp_outfile *o)
{
	int rc;

	if (o->used == 0)
		return FP_OK;
	rc = outfile_write_all(o, o->buf, o->used);
	/* Unwritten bytes are dropped on failure: the write failed as a
	 * whole and fp_outfile_size() must match the file. */
	o->used = 0;
	return rc;
}

static void outfile_free(struct fp_outfile *o)
{
	fp_subdir_close(o->dirfd, o->topfd);
	free(o->buf);
	free(o->name);
	free(o->part);
	free(o);
}

int fp_outfile_open(struct fp_outfile **out, int dirfd, const char *name,
		    int resume, int64_t *existing)
{
	struct fp_outfile *o;
	struct stat st;
	const char *leaf;
	size_t len;
	int saved;

	*out = NULL;
	if (existing)
		*existing = 0;
	if (!outfile_name_ok(name))
		return FP_EINVAL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return FP_ENOMEM;
	o->fd = -1;
	o->topfd = o->dirfd = dirfd;
	len = strlen(name);
	o->name = strdup(name);
	o->part = malloc(len + sizeof(FP_OUTFILE_SUFFIX));
	if (!o->name || !o->part) {
		outfile_free(o);
		return FP_ENOMEM;
	}
	memcpy(o->part, name, len);
	memcpy(o->part + len, FP_OUTFILE_SUFFIX, sizeof(FP_OUTFILE_SUFFIX));
	o->dirfd = fp_subdir_open(dirfd, name, 1, &leaf);
	if (o->dirfd == -1) /* AT_FDCWD is negative too */
		goto fail;
	o->leaf = (size_t)(leaf - name);

	/* O_NOFOLLOW: a planted symlink fails with ELOOP instead of letting
	 * us write wherever it points. O_NONBLOCK: a FIFO planted at the
	 * name must not hang the worker in open(); it is refused below. */
	o->fd = openat(o->dirfd, o->part + o->leaf,
		       O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
			       O_NONBLOCK,
		       0644);
	if (o->fd < 0)
		goto fail;
	if (fstat(o->fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	/* O_NONBLOCK stays: it has no effect on a regular file. */
	if (resume) {
		o->flushed = (int64_t)st.st_size;
	} else if (st.st_size > 0) {
		if (ftruncate(o->fd, 0) < 0)
			goto fail;
		o->dropped = (int64_t)st.st_size;
	}
	if (existing)
		*existing = o->flushed;
	*out = o;
	return FP_OK;

fail:
	saved = errno;
	if (o->fd >= 0)
		close(o->fd);
	outfile_free(o);
	errno = saved;
	return FP_EIO;
}

/* Make room for WANT bytes (at most FP_OUTFILE_BUFSIZE). The buffer
 * grows with the body instead of being FP_OUTFILE_BUFSIZE from the start:
 * a 16 KiB file then costs a 16 KiB block that malloc reuses file after
 * file, not a 128 KiB one whose fresh pages fault in each time. */
static int outfile_grow(struct fp_outfile *o, size_t want)
{
	size_t cap = o->cap ? o->cap : OUTFILE_MIN_BUF;
	unsigned char *b;

	while (cap < want)
		cap *= 2;
	if (cap > FP_OUTFILE_BUFSIZE)
		cap = FP_OUTFILE_BUFSIZE;
	b = realloc(o->buf, cap);
	if (!b)
		return FP_ENOMEM;
	o->buf = b;
	o->cap = cap;
	return FP_OK;
}

int fp_outfile_write(struct fp_outfile *o, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	int rc;

	if (o->published)
		return FP_EINVAL;
	if (o->failed)
		return FP_EIO;
	if (len == 0)
		return FP_OK;
	/* Without the memory to grow, the bytes go to the file unbuffered. */
	if (len > o->cap - o->used && len <= FP_OUTFILE_BUFSIZE - o->used)
		(void)outfile_grow(o, o->used + len);
	if (len <= o->cap - o->used) {
		memcpy(o->buf + o->used, p, len);
		o->used += len;
		return FP_OK;
	}
	rc = outfile_flush(o);
	if (rc != FP_OK)
		return rc;
	/* A large block goes straight to the file: copying it would only
	 * cost time. A small tail is buffered as usual. */
	if (len >= FP_OUTFILE_BUFSIZE ||
	    (len > o->cap && outfile_grow(o, len) != FP_OK))
		return outfile_write_all(o, p, len);
	memcpy(o->buf, p, len);
	o->used = len;
	return FP_OK;
}

int fp_outfile_restart(struct fp_outfile *o)
{
	if (o->published)
		return FP_EINVAL;
	o->used = 0;
	if (ftruncate(o->fd, 0) < 0) {
		outfile_fail(o, "truncate", o->part, errno);
		return FP_EIO;
	}
	o->flushed = 0;
	o->failed = 0;
	return FP_OK;
}

int64_t fp_outfile_size(const struct fp_outfile *o)
{
	return o->flushed + (int64_t)o->used;
}

int64_t fp_outfile_dropped(const struct fp_outfile *o)
{
	return o->dropped;
}

int fp_outfile_set_length(struct fp_outfile *o, int64_t len)
{
	if (o->published || len < 0)
		return FP_EINVAL;
	o->used = 0;
	if (ftruncate(o->fd, (off_t)len) < 0) {
		outfile_fail(o, "extend", o->part, errno);
		o->failed = 1;
		return FP_EIO;
	}
	o->flushed = len;
	o->failed = 0;
	return FP_OK;
}

int fp_outfile_pwrite(struct fp_outfile *o, const void *buf, size_t len,
		      int64_t off)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(o->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return FP_EIO;
		}
		if (n == 0) {
			errno = ENOSPC; /* as outfile_write_all() */
			return FP_EIO;
		}
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return FP_OK;
}

/* fsync a directory so that a rename in it is durable. */
static int outfile_sync_dir(int dirfd)
{
	int fd = dirfd, rc;

	if (dirfd == AT_FDCWD) {
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -1;
	}
	rc = fsync(fd);
	if (fd != dirfd) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return rc;
}

int fp_outfile_publish(struct fp_outfile *o, time_t mtime, int durable)
{
	if (o->published)
		return FP_EINVAL;
	if (o->failed)
		return FP_EIO;
	if (outfile_flush(o) != FP_OK)
		return FP_EIO;
	if (mtime != (time_t)-1) {
		struct timespec ts[2];
		time_t now = time(NULL);

		/* A Last-Modified in the future is a wrong server clock or a
		 * lie. As the file's time it would be sent back as an
		 * If-Modified-Since from the future, which servers ignore
		 * (RFC 9110), and it confuses make, rsync and backups. The
		 * file was written now: clamp it to now. */
		if (now != (time_t)-1 && mtime > now)
			mtime = now;
		ts[0].tv_sec = mtime;
		ts[0].tv_nsec = 0;
		ts[1] = ts[0];
		if (futimens(o->fd, ts) < 0) {
			outfile_fail(o, "set the time of", o->part, errno);
			return FP_EIO;
		}
	}
	if (durable && fsync(o->fd) < 0) {
		outfile_fail(o, "sync", o->part, errno);
		return FP_EIO;
	}
	/* rename() replaces NAME whatever it is, a symlink included, and
	 * never follows it: the link itself is what gets replaced. */
	if (renameat(o->dirfd, o->part + o->leaf, o->dirfd,
		     o->name + o->leaf) < 0) {
		outfile_fail(o, "rename", o->part, errno);
		return FP_EIO;
	}
	o->published = 1;
	if (durable && outfile_sync_dir(o->dirfd) < 0) {
		outfile_fail(o, "sync the directory of", o->name, errno);
		return FP_EIO;
	}
	return FP_OK;
}

void fp_outfile_close(struct fp_outfile *o)
{
	int saved = errno;

	if (!o)
		return;
	/* Keep what was received: the next run resumes from it. */
	if (!o->published && !o->failed)
		(void)outfile_flush(o);
	close(o->fd);
	outfile_free(o);
	errno = saved;
}

int fp_outfile_discard(struct fp_outfile *o)
{
	int rc = FP_OK, saved = 0;

	if (!o)
		return FP_OK;
	close(o->fd);
	if (!o->published && unlinkat(o->dirfd, o->part + o->leaf, 0) < 0 &&
	    errno != ENOENT) {
		saved = errno;
		rc = FP_EIO;
	}
	outfile_free(o);
	if (rc != FP_OK)
		errno = saved;
	return rc;
}

const char *fp_outfile_error(const struct fp_outfile *o)
{
	return o->err ? o->errtext : NULL;
}

int fp_outfile_errno(const struct fp_outfile *o)
{
	return o->err;
}

static int outfile_stat(int dirfd, const char *path, int64_t *size,
			time_t *mtime)
{
	const char *leaf;
	struct stat st;
	int fd = fp_subdir_open(dirfd, path, 0, &leaf), rc;

	if (fd == -1)
		return errno == ENOENT ? FP_ENOENT : FP_EIO;
	rc = fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW);
	fp_subdir_close(fd, dirfd);
	if (rc < 0)
		return errno == ENOENT ? FP_ENOENT : FP_EIO;
	if (!S_ISREG(st.st_mode))
		return FP_EINVAL;
	if (size)
		*size = (int64_t)st.st_size;
	if (mtime)
		*mtime = st.st_mtim.tv_sec;
	return FP_OK;
}

int fp_outfile_stat_final(int dirfd, const char *name, int64_t *size,
			  time_t *mtime)
{
	if (!outfile_name_ok(name))
		return FP_EINVAL;
	return outfile_stat(dirfd, name, size, mtime);
}

int fp_outfile_part_size(int dirfd, const char *name, int64_t *size)
{
	char *part;
	size_t len;
	int rc;

	*size = 0;
	if (!outfile_name_ok(name))
		return FP_EINVAL;
	len = strlen(name);
	part = malloc(len + sizeof(FP_OUTFILE_SUFFIX));
	if (!part)
		return FP_ENOMEM;
	memcpy(part, name, len);
	memcpy(part + len, FP_OUTFILE_SUFFIX, sizeof(FP_OUTFILE_SUFFIX));
	rc = outfile_stat(dirfd, part, size, NULL);
	if (rc != FP_OK)
		*size = 0;
	free(part);
	return rc;
}
