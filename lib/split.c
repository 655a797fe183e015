#include "split.h"
#include "cancel.h"
#include "error.h"
#include "outfile.h"
#include "retry.h"
#include "slots.h"
#include "subdir.h"
#include "timeutil.h"
#include "url.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How far the ranges may run ahead of the ranges file, together: what a
 * crash can cost at most. A 64th of the file, within these bounds, keeps
 * that under 2 % of a big file for some 64 small writes. */
#define SPLIT_SAVE_MIN (256 * 1024)
#define SPLIT_SAVE_MAX (4 * 1024 * 1024)

#define SPLIT_MAGIC "fetchpool-ranges 1"

unsigned fp_split_plan(struct fp_split *s, int64_t total, unsigned parts,
		       int64_t min_size)
{
	int64_t each, at = 0;
	unsigned n, i;

	if (parts < 1)
		parts = 1;
	if (parts > FP_SPLIT_MAX)
		parts = FP_SPLIT_MAX;
	if (min_size < 1)
		min_size = 1;
	n = parts;
	if (total < 2 * min_size)
		n = 1;
	else if (total / min_size < (int64_t)n)
		n = (unsigned)(total / min_size);
	each = total / n;
	s->total = total;
	s->n = n;
	for (i = 0; i < n; i++) {
		s->r[i].start = at;
		s->r[i].end = i + 1 == n ? total : at + each;
		s->r[i].got = 0;
		at = s->r[i].end;
	}
	return n;
}

const char *fp_split_validator(const char *etag, const char *last_modified)
{
	if (etag && etag[0] == '"')
		return etag;
	if (last_modified && last_modified[0])
		return last_modified;
	return NULL;
}

int64_t fp_split_have(const struct fp_split *s)
{
	int64_t have = 0;
	unsigned i;

	for (i = 0; i < s->n; i++)
		have += s->r[i].got;
	return have;
}

static int split_path(char *dst, size_t len, const char *leaf,
		      const char *tail)
{
	int n = snprintf(dst, len, "%s%s%s", leaf, FP_SPLIT_SUFFIX, tail);

	return n > 0 && (size_t)n < len ? FP_OK : FP_EINVAL;
}


int fp_split_save(int dirfd, const char *name, const struct fp_split *s)
{
	char path[600], tmp[610], text[256 + FP_SPLIT_VALIDATOR_MAX +
				       FP_SPLIT_MAX * 64];
	const char *leaf;
	size_t len;
	unsigned i;
	int fd, saved, rc = FP_OK, sub;
	ssize_t w;

	sub = fp_subdir_open(dirfd, name, 0, &leaf);
	if (sub == -1)
		return FP_EIO;
	if (split_path(path, sizeof(path), leaf, "") ||
	    split_path(tmp, sizeof(tmp), leaf, ".tmp")) {
		fp_subdir_close(sub, dirfd);
		return FP_EINVAL;
	}
	len = (size_t)snprintf(text, sizeof(text),
			       SPLIT_MAGIC "\nlength %" PRId64
					   "\nvalidator %s\nmodified %s\n",
			       s->total, s->validator, s->last_modified);
	for (i = 0; i < s->n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"range %" PRId64 " %" PRId64
					" %" PRId64 "\n",
					s->r[i].start, s->r[i].end,
					s->r[i].got);
	fd = openat(sub, tmp,
		    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0644);
	if (fd < 0) {
		rc = FP_EIO;
		goto out;
	}
	w = write(fd, text, len);
	if (w != (ssize_t)len) {
		saved = w < 0 ? errno : ENOSPC;
		close(fd);
		(void)unlinkat(sub, tmp, 0);
		errno = saved;
		rc = FP_EIO;
		goto out;
	}
	if (close(fd) < 0 || renameat(sub, tmp, sub, path) < 0) {
		saved = errno;
		(void)unlinkat(sub, tmp, 0);
		errno = saved;
		rc = FP_EIO;
	}
out:
	fp_subdir_close(sub, dirfd); /* keeps errno */
	return rc;
}

/* A value that goes back into a request header (If-Range): no control
 * byte but tab, no DEL. */
static bool split_header_safe(const char *v)
{
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

/* The ranges must tile [0, total) in order, each with 0 <= got <= size,
 * and the validator must be fit for a header. */
static int split_check(const struct fp_split *s)
{
	int64_t at = 0;
	unsigned i;

	if (s->n < 1 || s->total < 1 || !s->validator[0] ||
	    !split_header_safe(s->validator) ||
	    !split_header_safe(s->last_modified))
		return FP_EPARSE;
	for (i = 0; i < s->n; i++) {
		const struct fp_split_range *r = &s->r[i];

		if (r->start != at || r->end <= r->start || r->got < 0 ||
		    r->got > r->end - r->start)
			return FP_EPARSE;
		at = r->end;
	}
	return at == s->total ? FP_OK : FP_EPARSE;
}

int fp_split_load(int dirfd, const char *name, struct fp_split *s)
{
	char path[600], text[256 + FP_SPLIT_VALIDATOR_MAX + FP_SPLIT_MAX * 64];
	char *line, *save = NULL;
	const char *leaf;
	ssize_t n;
	int fd, saved, sub;

	memset(s, 0, sizeof(*s));
	sub = fp_subdir_open(dirfd, name, 0, &leaf);
	if (sub == -1)
		return errno == ENOENT ? FP_ENOENT : FP_EIO;
	fd = split_path(path, sizeof(path), leaf, "") ? -1
		: openat(sub, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	fp_subdir_close(sub, dirfd);
	if (fd < 0)
		return errno == ENOENT ? FP_ENOENT : FP_EIO;
	n = read(fd, text, sizeof(text) - 1);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return FP_EIO;
	}
	text[n] = '\0';
	line = strtok_r(text, "\n", &save);
	if (!line || strcmp(line, SPLIT_MAGIC))
		return FP_EPARSE;
	while ((line = strtok_r(NULL, "\n", &save))) {
		long long a, b, c;
		int end = 0;

		if (!strncmp(line, "length ", 7)) {
			if (sscanf(line + 7, "%lld%n", &a, &end) != 1 ||
			    line[7 + end])
				return FP_EPARSE;
			s->total = a;
		} else if (!strncmp(line, "validator ", 10)) {
			snprintf(s->validator, sizeof(s->validator), "%s",
				 line + 10);
		} else if (!strncmp(line, "modified ", 9)) {
			snprintf(s->last_modified, sizeof(s->last_modified),
				 "%s", line + 9);
		} else if (!strncmp(line, "range ", 6)) {
			if (s->n >= FP_SPLIT_MAX ||
			    sscanf(line + 6, "%lld %lld %lld%n", &a, &b, &c,
				   &end) != 3 ||
			    line[6 + end])
				return FP_EPARSE;
			s->r[s->n].start = a;
			s->r[s->n].end = b;
			s->r[s->n].got = c;
			s->n++;
		} else {
			return FP_EPARSE;
		}
	}
	return split_check(s);
}

int fp_split_forget(int dirfd, const char *name)
{
	char path[600];
	const char *leaf;
	int sub = fp_subdir_open(dirfd, name, 0, &leaf), rc = FP_OK;

	if (sub == -1)
		return errno == ENOENT ? FP_OK : FP_EIO;
	if (split_path(path, sizeof(path), leaf, ""))
		rc = FP_EINVAL;
	else if (unlinkat(sub, path, 0) < 0 && errno != ENOENT)
		rc = FP_EIO;
	fp_subdir_close(sub, dirfd);
	return rc;
}

/* ---- the requests ------------------------------------------------------ */

struct split_run {
	const struct fp_split_job *j;
	char *host;
	struct fp_cancel stop; /* the job's token, or a sibling's failure */
	pthread_mutex_t mu;    /* guards the ranges, the file and below */
	int64_t saved_have;    /* fp_split_have() at the last save */
	int64_t save_step;     /* save after this many more bytes */
	int rc;                /* the first failure, FP_OK if none */
	char err[1024];
	_Atomic int64_t bytes;
	_Atomic unsigned attempts;
};

struct split_part {
	struct split_run *run;
	unsigned i;
	struct fp_permit *permit;
	pthread_t tid;
	bool started;
	/* per attempt */
	int write_err;
};

/* The first failure wins and stops the others. */
static void split_fail(struct split_run *run, int rc, const char *why,
		       const char *what)
{
	pthread_mutex_lock(&run->mu);
	if (run->rc == FP_OK) {
		run->rc = rc;
		snprintf(run->err, sizeof(run->err), "%s (%s)", why, what);
	}
	pthread_mutex_unlock(&run->mu);
	fp_cancel_fire(&run->stop);
}

/* Called with run->mu held. */
static int split_save_locked(struct split_run *run)
{
	const struct fp_split_job *j = run->j;
	int64_t have = fp_split_have(j->s);

	if (have == run->saved_have)
		return FP_OK;
	if (fp_split_save(j->dirfd, j->name, j->s))
		return FP_EIO;
	run->saved_have = have;
	return FP_OK;
}

static int part_begin(void *ctx, int append, const struct fp_xfer_res *res)
{
	(void)ctx;
	(void)append; /* range 0 starts at byte 0: no append, still a range */
	/* A 200 is the whole body: the file changed (If-Range) or the
	 * server no longer honours ranges. Not one byte of it is kept. */
	return res->status == 206 ? FP_OK : FP_SINK_STOP;
}

static int part_write(void *ctx, const void *p, size_t len)
{
	struct split_part *pt = ctx;
	struct split_run *run = pt->run;
	const struct fp_split_job *j = run->j;
	struct fp_split_range *r = &j->s->r[pt->i];
	int64_t left = r->end - r->start - r->got;
	size_t n = (int64_t)len < left ? len : (size_t)left;
	int rc = FP_OK;

	if (n && fp_outfile_pwrite(j->part, p, n, r->start + r->got)) {
		pt->write_err = errno ? errno : EIO;
		return FP_EIO;
	}
	if (j->rx_bytes)
		atomic_fetch_add_explicit(j->rx_bytes, (int64_t)n,
					  memory_order_relaxed);
	pthread_mutex_lock(&run->mu);
	r->got += (int64_t)n; /* only after the bytes are written */
	if (fp_split_have(j->s) - run->saved_have >= run->save_step)
		rc = split_save_locked(run);
	pthread_mutex_unlock(&run->mu);
	if (rc) {
		pt->write_err = errno ? errno : EIO;
		return rc;
	}
	/* A server that sends past the range asked for: the rest belongs to
	 * another range. */
	return n < len || r->got == r->end - r->start ? FP_SINK_STOP : FP_OK;
}

static void split_trace(struct split_run *run, unsigned i, unsigned attempt,
			const struct fp_xfer_res *res, int64_t wait,
			const char *why)
{
	const struct fp_split_job *j = run->j;

	if (!j->trace)
		return;
	pthread_mutex_lock(&run->mu);
	j->trace(j->trace_ctx, i, attempt, res, wait, why);
	pthread_mutex_unlock(&run->mu);
}

/* The range's last attempt: no wait follows. */
static void split_last(struct split_part *pt, unsigned attempt,
		       const struct fp_xfer_res *res)
{
	split_trace(pt->run, pt->i, attempt, res, -1, NULL);
}

/* Fetch range PT->i until it is whole, with (retries + 1) attempts. */
static void split_range(struct split_part *pt)
{
	struct split_run *run = pt->run;
	const struct fp_split_job *j = run->j;
	struct fp_split_range *r = &j->s->r[pt->i];
	unsigned used = 0, attempt;
	char what[400];
	uint64_t rng;

	snprintf(what, sizeof(what), "bytes %" PRId64 "-%" PRId64 " of %s",
		 r->start, r->end - 1, j->display_url);
	fp_retry_rng_seed(&rng, (uint64_t)fp_now_ns() ^ (pt->i * 0x9e37u));
	for (attempt = 1;; attempt++) {
		struct fp_xfer_req req = { 0 };
		struct fp_sink sink = { part_begin, part_write, pt };
		struct fp_xfer_res res;
		struct fp_xfer *x;
		char why[sizeof(res.error)];
		int64_t got, wait;

		pthread_mutex_lock(&run->mu);
		got = r->got;
		pthread_mutex_unlock(&run->mu);
		if (got >= r->end - r->start)
			return;
		req.url = j->url;
		req.resume_from = r->start + got;
		req.range_end = r->end - 1;
		req.if_range = j->s->validator;
		req.headers = j->headers;
		req.nheaders = j->nheaders;
		if (fp_slots_acquire(j->slots, pt->permit, run->host,
				     &run->stop, &x))
			return; /* stopped; the cause is recorded */
		pt->write_err = 0;
		fp_xfer_perform(x, &req, &sink, &run->stop, &res);
		fp_slots_release(j->slots, x, run->host);
		atomic_fetch_add(&run->attempts, 1);
		atomic_fetch_add(&run->bytes, res.bytes);
		why[0] = '\0';
		switch (res.outcome) {
		case FP_XFER_CANCELLED:
			split_last(pt, attempt, &res);
			return;
		case FP_XFER_DONE:
			if (res.status == 206)
				break; /* whole, or cut short: see got */
			if (res.status >= 200 && res.status <= 299) {
				split_last(pt, attempt, &res);
				split_fail(run, FP_ECHANGED,
					   "the whole body came back", what);
				return;
			}
			snprintf(why, sizeof(why), "HTTP %ld%s%s", res.status,
				 res.reason[0] ? " " : "", res.reason);
			if (!fp_retry_http_transient(res.status)) {
				split_last(pt, attempt, &res);
				split_fail(run, FP_EHTTP, why, what);
				return;
			}
			break;
		case FP_XFER_NETWORK:
			snprintf(why, sizeof(why), "%s", res.error);
			break;
		case FP_XFER_SINK:
			split_last(pt, attempt, &res);
			snprintf(why, sizeof(why), "cannot write '%s%s': %s",
				 j->name, FP_OUTFILE_SUFFIX,
				 strerror(pt->write_err ? pt->write_err
							: EIO));
			split_fail(run, FP_EIO, why, what);
			return;
		case FP_XFER_TOO_BIG:
		case FP_XFER_REFUSED:
			split_last(pt, attempt, &res);
			split_fail(run, FP_EHTTP, res.error, what);
			return;
		}
		if (!why[0]) {
			/* A 206 that ended at the range's end, or short. */
			pthread_mutex_lock(&run->mu);
			got = r->got;
			pthread_mutex_unlock(&run->mu);
			if (got >= r->end - r->start) {
				split_last(pt, attempt, &res);
				return;
			}
			snprintf(why, sizeof(why), "206 reply ended early");
		}
		if (++used > j->retries) {
			size_t at = strlen(what);

			split_last(pt, attempt, &res);
			snprintf(what + at, sizeof(what) - at, ", %u attempt%s",
				 attempt, attempt == 1 ? "" : "s");
			split_fail(run, FP_EHTTP, why, what);
			return;
		}
		wait = fp_retry_wait_ms(used, &rng,
					res.retry_after[0] ? res.retry_after
							   : NULL,
					time(NULL));
		if (res.status == 429 ||
		    (res.status == 503 && res.retry_after[0]))
			fp_slots_pause_host(j->slots, run->host,
					    fp_now_ms() + wait);
		split_trace(run, pt->i, attempt, &res, wait, why);
		fp_slots_wake(j->slots);
		if (fp_cancel_sleep(&run->stop, wait))
			return;
	}
}

static void *split_thread(void *arg)
{
	struct split_part *pt = arg;

	split_range(pt);
	/* This permit is free now and no worker knows: let one start. */
	fp_slots_wake(pt->run->j->slots);
	return NULL;
}

static void split_stop_waker(void *arg)
{
	fp_cancel_fire(arg);
}

int fp_split_fetch(const struct fp_split_job *j, struct fp_permit *permit,
		   struct fp_cancel *tok, int64_t *bytes, unsigned *attempts,
		   char *err, size_t errlen)
{
	struct split_run run;
	struct split_part parts[FP_SPLIT_MAX];
	struct fp_permit permits[FP_SPLIT_MAX];
	struct fp_cancel_waker w;
	struct split_part *mine = NULL;
	int64_t left;
	unsigned i;
	int rc;

	memset(&run, 0, sizeof(run));
	memset(parts, 0, sizeof(parts));
	memset(permits, 0, sizeof(permits));
	run.j = j;
	run.host = fp_url_host_key(j->url);
	run.saved_have = -1;
	run.save_step = j->s->total / 64;
	if (run.save_step < SPLIT_SAVE_MIN)
		run.save_step = SPLIT_SAVE_MIN;
	if (run.save_step > SPLIT_SAVE_MAX)
		run.save_step = SPLIT_SAVE_MAX;
	pthread_mutex_init(&run.mu, NULL);
	fp_cancel_init(&run.stop);
	left = tok ? fp_cancel_remaining_ms(tok) : INT64_MAX;
	if (left != INT64_MAX)
		fp_cancel_set_deadline(&run.stop, fp_now_ms() + left);
	w = (struct fp_cancel_waker){ split_stop_waker, &run.stop, NULL };
	if (tok)
		fp_cancel_add_waker(tok, &w);

	/* The ranges file exists before any range writes, so that NAME.part
	 * is never taken for a prefix. */
	pthread_mutex_lock(&run.mu);
	rc = split_save_locked(&run);
	pthread_mutex_unlock(&run.mu);
	if (rc) {
		snprintf(err, errlen, "cannot write '%s%s': %s", j->name,
			 FP_SPLIT_SUFFIX, strerror(errno));
		goto out;
	}
	for (i = 0; i < j->s->n; i++) {
		struct split_part *pt = &parts[i];

		if (j->s->r[i].got >= j->s->r[i].end - j->s->r[i].start)
			continue;
		pt->run = &run;
		pt->i = i;
		if (!mine) {
			mine = pt; /* the caller's own, with its permit */
			pt->permit = permit;
			continue;
		}
		pt->permit = &permits[i];
		pt->started = pthread_create(&pt->tid, NULL, split_thread,
					     pt) == 0;
	}
	if (mine)
		split_range(mine);
	for (i = 0; i < j->s->n; i++)
		if (parts[i].started)
			pthread_join(parts[i].tid, NULL);
	/* A range whose thread could not start is fetched here. */
	for (i = 0; i < j->s->n; i++)
		if (parts[i].run && &parts[i] != mine && !parts[i].started &&
		    !fp_cancel_is_set(&run.stop))
			split_range(&parts[i]);

	pthread_mutex_lock(&run.mu);
	rc = run.rc;
	if (rc == FP_OK && fp_split_have(j->s) < j->s->total)
		rc = FP_ECANCELED;
	if (rc != FP_ECHANGED && split_save_locked(&run) && rc == FP_OK) {
		rc = FP_EIO;
		snprintf(run.err, sizeof(run.err), "cannot write '%s%s': %s",
			 j->name, FP_SPLIT_SUFFIX, strerror(errno));
	}
	pthread_mutex_unlock(&run.mu);
	if (rc != FP_OK && rc != FP_ECANCELED)
		snprintf(err, errlen, "%s", run.err);
out:
	if (tok)
		fp_cancel_remove_waker(tok, &w);
	*bytes = atomic_load(&run.bytes);
	*attempts = atomic_load(&run.attempts);
	fp_cancel_destroy(&run.stop);
	pthread_mutex_destroy(&run.mu);
	free(run.host);
	return rc;
}
