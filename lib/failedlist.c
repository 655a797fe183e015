#include "failedlist.h"
#include "error.h"
#include "hex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAILED_TMP_SUFFIX ".tmp"

struct fp_failedlist {
	char *path, *tmp;
	FILE *f;
	size_t count;
	int secret;   /* a URL with credentials was written */
	int error;    /* errno of the first failure, or 0 */
	int finished;
};

int fp_failedlist_open(struct fp_failedlist **out, const char *path)
{
	struct fp_failedlist *fl;
	size_t len = strlen(path);
	int fd, saved;

	*out = NULL;
	fl = calloc(1, sizeof(*fl));
	if (!fl)
		return FP_ENOMEM;
	fl->path = strdup(path);
	fl->tmp = malloc(len + sizeof(FAILED_TMP_SUFFIX));
	if (!fl->path || !fl->tmp) {
		free(fl->path);
		free(fl->tmp);
		free(fl);
		return FP_ENOMEM;
	}
	memcpy(fl->tmp, path, len);
	memcpy(fl->tmp + len, FAILED_TMP_SUFFIX, sizeof(FAILED_TMP_SUFFIX));
	/* Created 0600: it may come to hold credentials; opened up at the
	 * end when it does not. */
	if (unlink(fl->tmp) < 0 && errno != ENOENT)
		goto fail;
	fd = open(fl->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		goto fail;
	fl->f = fdopen(fd, "w");
	if (!fl->f) {
		saved = errno;
		close(fd);
		unlink(fl->tmp);
		errno = saved;
		goto fail;
	}
	*out = fl;
	return FP_OK;
fail:
	saved = errno;
	free(fl->path);
	free(fl->tmp);
	free(fl);
	errno = saved;
	return FP_EIO;
}

/* TEXT with control characters as '?': one line, a valid option value. */
static void failed_put_text(FILE *f, const char *text)
{
	for (; *text; text++) {
		unsigned char c = (unsigned char)*text;

		putc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
}

int fp_failedlist_add(struct fp_failedlist *fl,
		      const struct fp_failed_job *job)
{
	FILE *f = fl->f;
	char hex[65];
	size_t i;

	if (!job->url && job->id <= 0)
		return FP_EINVAL;
	if (fl->error) {
		errno = fl->error;
		return FP_EIO;
	}
	if (job->why) {
		fputs("# ", f);
		failed_put_text(f, job->why);
		putc('\n', f);
	}
	if (job->url) {
		failed_put_text(f, job->url);
		/* "scheme://user:pass@host": an '@' before the path. */
		{
			const char *host = strstr(job->url, "://");
			size_t hl = host ? strcspn(host + 3, "/?#") : 0;

			if (host && memchr(host + 3, '@', hl))
				fl->secret = 1;
		}
	} else {
		fprintf(f, "%ld", job->id);
	}
	putc('\n', f);
	if (job->out) {
		fputs("  out=", f);
		failed_put_text(f, job->out);
		putc('\n', f);
	}
	if (job->dir) {
		fputs("  dir=", f);
		failed_put_text(f, job->dir);
		putc('\n', f);
	}
	if (job->split)
		fprintf(f, "  split=%u\n", job->split);
	if (job->priority > 0)
		fprintf(f, "  priority=%d\n", job->priority);
	if (job->sha256) {
		fp_hex_encode(job->sha256, 32, hex);
		fprintf(f, "  sha256=%s\n", hex);
	}
	if (job->title && *job->title) {
		fputs("  title=", f);
		failed_put_text(f, job->title);
		putc('\n', f);
	}
	for (i = 0; i < job->nheaders; i++) {
		fputs("  header=", f);
		failed_put_text(f, job->headers[i]);
		putc('\n', f);
	}
	fl->count++;
	if (ferror(f)) {
		fl->error = errno ? errno : EIO;
		return FP_EIO;
	}
	return FP_OK;
}

size_t fp_failedlist_count(const struct fp_failedlist *fl)
{
	return fl->count;
}

int fp_failedlist_finish(struct fp_failedlist *fl, int durable)
{
	int err = fl->error;
	FILE *f = fl->f;

	fl->f = NULL;
	if (!err && (fflush(f) != 0 || ferror(f)))
		err = errno ? errno : EIO;
	if (!err && fchmod(fileno(f), fl->secret ? 0600 : 0644) < 0)
		err = errno;
	if (!err && durable && fsync(fileno(f)) < 0)
		err = errno;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (!err && rename(fl->tmp, fl->path) < 0)
		err = errno;
	if (err) {
		unlink(fl->tmp);
		fl->finished = 1;
		errno = err;
		return FP_EIO;
	}
	fl->finished = 1;
	return FP_OK;
}

void fp_failedlist_free(struct fp_failedlist *fl)
{
	if (!fl)
		return;
	if (fl->f)
		fclose(fl->f);
	if (!fl->finished)
		unlink(fl->tmp);
	free(fl->path);
	free(fl->tmp);
	free(fl);
}
