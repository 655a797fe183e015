#include "report.h"
#include "error.h"
#include "timeutil.h"
#include "utf8.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPORT_TMP_SUFFIX ".tmp"

static void report_sync_dir(const char *path);
#define REPORT_BUFSIZE (64 * 1024)

struct fp_report {
	pthread_mutex_t lock;
	char *path;
	char *tmp;
	FILE *f;
	int64_t start_ms; /* monotonic */
	uint64_t jobs;
	uint64_t count[FP_REPORT_STATUS_COUNT];
	int64_t bytes;
	uint64_t attempts;
	uint64_t retries;
	int err;      /* sticky errno of a failed write, 0 if none */
	int finished; /* 1 after finish was called */
	int published;
};

static const char *const report_status_names[FP_REPORT_STATUS_COUNT] = {
	"ok", "up_to_date", "failed", "cancelled", "invalid",
};

const char *fp_report_status_name(enum fp_report_status st)
{
	if ((unsigned)st >= FP_REPORT_STATUS_COUNT)
		return NULL;
	return report_status_names[st];
}

/* ---- Building one job -------------------------------------------------- */

static int report_add_string(cJSON *obj, const char *key, const char *value)
{
	char *clean;
	size_t len;
	int allocated, ok;

	if (!value)
		return cJSON_AddNullToObject(obj, key) != NULL;
	/* Invalid UTF-8 becomes U+FFFD; valid text (the usual) is not
	 * copied. */
	len = strlen(value);
	allocated = fp_utf8_valid_len(value, len) != len;
	clean = allocated ? fp_utf8_repair(value, len, 0) : (char *)value;
	if (!clean)
		return 0;
	ok = cJSON_AddStringToObject(obj, key, clean) != NULL;
	if (allocated)
		free(clean);
	return ok;
}

/* cJSON numbers are doubles; raw text keeps 64-bit integers exact. */
static int report_add_int(cJSON *obj, const char *key, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	return cJSON_AddRawToObject(obj, key, num) != NULL;
}

static int report_add_int_or_null(cJSON *obj, const char *key, long v)
{
	if (v <= 0)
		return cJSON_AddNullToObject(obj, key) != NULL;
	return report_add_int(obj, key, v);
}

/* The job as one line of JSON (to free), or NULL when out of memory. */
static char *report_job_json(const struct fp_report_job *job)
{
	cJSON *obj = cJSON_CreateObject();
	char *text = NULL;

	if (!obj)
		return NULL;
	if (report_add_int_or_null(obj, "line", job->line) &&
	    report_add_string(obj, "source", job->source) &&
	    report_add_string(obj, "url", job->url) &&
	    report_add_string(obj, "title", job->title) &&
	    report_add_string(obj, "path", job->path) &&
	    report_add_string(obj, "status",
			      fp_report_status_name(job->status)) &&
	    report_add_int_or_null(obj, "http_status", job->http_status) &&
	    report_add_int(obj, "bytes", job->bytes) &&
	    report_add_int(obj, "attempts", job->attempts) &&
	    report_add_int(obj, "elapsed_ms", job->elapsed_ms) &&
	    report_add_string(obj, "error", job->error))
		text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	return text;
}

/* ---- The report -------------------------------------------------------- */

static void report_free_fields(struct fp_report *r)
{
	free(r->path);
	free(r->tmp);
	free(r);
}

int fp_report_open(struct fp_report **out, const char *path)
{
	struct fp_report *r;
	char started[32];
	size_t len;
	int fd, saved;

	*out = NULL;
	if (!path || !*path)
		return FP_EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return FP_ENOMEM;
	len = strlen(path);
	r->path = strdup(path);
	r->tmp = malloc(len + sizeof(REPORT_TMP_SUFFIX));
	if (!r->path || !r->tmp || pthread_mutex_init(&r->lock, NULL) != 0) {
		report_free_fields(r);
		return FP_ENOMEM;
	}
	memcpy(r->tmp, path, len);
	memcpy(r->tmp + len, REPORT_TMP_SUFFIX, sizeof(REPORT_TMP_SUFFIX));

	/* A leftover of a crashed run, or a symlink planted there, goes
	 * first; O_EXCL|O_NOFOLLOW then guarantee a fresh regular file. */
	if (unlink(r->tmp) < 0 && errno != ENOENT)
		goto fail;
	fd = open(r->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		goto fail;
	r->f = fdopen(fd, "w");
	if (!r->f) {
		saved = errno;
		close(fd);
		unlink(r->tmp);
		errno = saved;
		goto fail;
	}
	setvbuf(r->f, NULL, _IOFBF, REPORT_BUFSIZE);
	r->start_ms = fp_now_ms();
	fp_iso8601_format(time(NULL), started, sizeof(started));
	fprintf(r->f, "{\"version\":1,\"started\":\"%s\",\"jobs\":[", started);
	*out = r;
	return FP_OK;

fail:
	saved = errno;
	pthread_mutex_destroy(&r->lock);
	report_free_fields(r);
	errno = saved;
	return FP_EIO;
}

int fp_report_add(struct fp_report *r, const struct fp_report_job *job)
{
	char *text;
	size_t len;
	int rc = FP_OK;

	if ((unsigned)job->status >= FP_REPORT_STATUS_COUNT)
		return FP_EINVAL;
	/* Build outside the lock: workers only serialise on the append. */
	text = report_job_json(job);
	if (!text)
		return FP_ENOMEM;
	len = strlen(text);
	pthread_mutex_lock(&r->lock);
	if (r->finished) {
		rc = FP_EINVAL;
	} else if (r->err) {
		rc = FP_EIO;
	} else {
		errno = 0;
		if (fputs(r->jobs ? ",\n" : "\n", r->f) == EOF ||
		    fwrite(text, 1, len, r->f) != len) {
			r->err = errno ? errno : EIO;
			rc = FP_EIO;
		}
		/* Count the job even if the line could not be written: the
		 * report will not be published then anyway. */
		r->jobs++;
		r->count[job->status]++;
		r->bytes += job->bytes > 0 ? job->bytes : 0;
		r->attempts += job->attempts;
		r->retries += job->attempts > 1 ? job->attempts - 1 : 0;
	}
	pthread_mutex_unlock(&r->lock);
	cJSON_free(text);
	return rc;
}

uint64_t fp_report_count(struct fp_report *r, enum fp_report_status st)
{
	uint64_t n;

	if ((unsigned)st >= FP_REPORT_STATUS_COUNT)
		return 0;
	pthread_mutex_lock(&r->lock);
	n = r->count[st];
	pthread_mutex_unlock(&r->lock);
	return n;
}

int fp_report_finish(struct fp_report *r)
{
	char finished[32];
	int rc = FP_OK, err;
	FILE *f;

	pthread_mutex_lock(&r->lock);
	if (r->finished) {
		pthread_mutex_unlock(&r->lock);
		return FP_EINVAL;
	}
	r->finished = 1;
	f = r->f;
	r->f = NULL;
	err = r->err;
	fp_iso8601_format(time(NULL), finished, sizeof(finished));
	fprintf(f,
		"\n],\"elapsed_ms\":%" PRId64 ",\"finished\":\"%s\","
		"\"totals\":{\"jobs\":%" PRIu64 ",\"ok\":%" PRIu64
		",\"up_to_date\":%" PRIu64 ",\"failed\":%" PRIu64
		",\"cancelled\":%" PRIu64 ",\"invalid\":%" PRIu64
		",\"bytes\":%" PRId64 ",\"attempts\":%" PRIu64
		",\"retries\":%" PRIu64 "}}\n",
		fp_now_ms() - r->start_ms, finished, r->jobs,
		r->count[FP_REPORT_OK], r->count[FP_REPORT_UP_TO_DATE],
		r->count[FP_REPORT_FAILED], r->count[FP_REPORT_CANCELLED],
		r->count[FP_REPORT_INVALID], r->bytes, r->attempts,
		r->retries);
	pthread_mutex_unlock(&r->lock);

	/* Only a report whose every byte reached the disk is published. */
	errno = 0;
	if (!err && (fflush(f) != 0 || ferror(f)))
		err = errno ? errno : EIO;
	if (!err && fsync(fileno(f)) < 0)
		err = errno;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (!err && rename(r->tmp, r->path) < 0)
		err = errno;
	if (err) {
		unlink(r->tmp);
		errno = err;
		rc = FP_EIO;
	} else {
		r->published = 1;
		report_sync_dir(r->path);
	}
	return rc;
}

/* fsync the directory of path, so that the rename survives a power
 * loss. The report is whole either way: a failure here is no error. */
static void report_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

void fp_report_free(struct fp_report *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (!r->published)
		unlink(r->tmp);
	pthread_mutex_destroy(&r->lock);
	report_free_fields(r);
}
