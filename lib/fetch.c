#include "fetch.h"
#include "cancel.h"
#include "digest.h"
#include "error.h"
#include "hash.h"
#include "hostgate.h"
#include "outfile.h"
#include "retry.h"
#include "slots.h"
#include "split.h"
#include "statefile.h"
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What the retry loop needs from the thing being fetched into. */
struct fetch_target;

struct fetch_ops {
	/* Fill the per-attempt parts of the request (range, conditions). */
	void (*prepare)(struct fetch_target *t, struct fp_xfer_req *req);
	/* A 2xx answer arrived whole: verify and keep it. FP_OK, or an
	 * fp_err with out->error filled (a permanent failure). */
	int (*complete)(struct fetch_target *t, const struct fp_xfer_res *res,
			struct fp_fetch_result *out);
	/* The attempt is over, whatever happened (close files). */
	void (*settle)(struct fetch_target *t, const struct fp_xfer_res *res);
	/* The server refused the range (416): start from zero next time. */
	void (*drop_resume)(struct fetch_target *t);
	/* Text for a sink failure (disk full...). */
	const char *(*sink_error)(struct fetch_target *t, int err);
	/* A 304: what we have is current; keep the validators it sent. */
	void (*fresh)(struct fetch_target *t, const struct fp_xfer_res *res);
};

struct fetch_target {
	const struct fetch_ops *ops;
	int conditional; /* a 304 answer means "up to date" */
	/* What follows a request takes a while (parsing a reply, fsync):
	 * let another worker have the freed permit meanwhile. */
	bool slow_after;
	/* complete() failed for a reason worth another try later (not for
	 * --fail-fast). */
	bool transient;
	struct fp_sink sink;
	/* The URL of the current attempt. */
	const char *url, *display_url;
};

static uint64_t fetch_seed(const char *url)
{
	uint64_t h = fp_fnv1a64_update(FP_FNV1A64_INIT ^ (uint64_t)fp_now_ns(),
				       url, strlen(url));

	return h ^ (uint64_t)(uintptr_t)pthread_self();
}

static void fetch_http_text(char *dst, size_t len, const struct fp_xfer_res *r)
{
	if (r->reason[0])
		snprintf(dst, len, "HTTP %ld %s", r->status, r->reason);
	else
		snprintf(dst, len, "HTTP %ld", r->status);
}

/* The URLs of one job (mirrors, fallback names), and what is left of each:
 * (retries + 1) attempts per URL; a URL that answered 404 or 410 is not
 * asked again. */
struct fetch_urls {
	const char *const *url, *const *display;
	char *host[FP_FETCH_MAX_URLS]; /* "host:port" of each, or NULL */
	unsigned used[FP_FETCH_MAX_URLS];
	bool dead[FP_FETCH_MAX_URLS];
	bool names; /* other names of the file: only a 404 moves on */
	size_t n, cur;
};

/* The URL the next attempt goes to after a failure of the current one:
 * the next one still alive, in order, wrapping around; -1 if none. */
static long fetch_next_url(const struct fetch_urls *u, unsigned budget)
{
	size_t i;

	for (i = 1; i <= u->n; i++) {
		size_t k = (u->cur + i) % u->n;

		if (!u->dead[k] && u->used[k] < budget)
			return (long)k;
	}
	return -1;
}

/* "WHY (URL)", naming the first URL and how many others were tried. */
static void fetch_where(struct fp_fetch_result *out, const char *why,
		       const struct fetch_urls *u)
{
	if (u->n > 1)
		snprintf(out->error, sizeof(out->error),
			 "%s (%s, and %zu other URL%s)", why, u->display[0],
			 u->n - 1, u->n == 2 ? "" : "s");
	else
		snprintf(out->error, sizeof(out->error), "%s (%s)", why,
			 u->display[0]);
}

static void fetch_attempts(const struct fp_fetch_env *env,
			   struct fp_permit *permit, struct fetch_urls *u,
			   struct fetch_target *t, struct fp_cancel *tok,
			   struct fp_fetch_result *out)
{
	uint64_t rng;
	unsigned attempt, free_tries = 0;

	memset(out, 0, sizeof(*out));
	fp_retry_rng_seed(&rng, fetch_seed(u->url[0]));
	for (attempt = 1;; attempt++) {
		const char *url = u->url[u->cur], *display = u->display[u->cur];
		const char *host = u->host[u->cur] ? u->host[u->cur] : "";
		struct fp_xfer_req req = { 0 };
		struct fp_xfer_res res;
		struct fp_xfer *x;
		struct fp_fetch_attempt info;
		char why[sizeof(res.error)];
		int64_t wait;
		long next;
		int rc;

		req.url = url;
		t->url = url;
		t->display_url = display;
		t->ops->prepare(t, &req);
		if (env->gate) {
			/* No permit is held while waiting for the host's
			 * turn: other hosts' requests go meanwhile. */
			fp_slots_refund(env->slots, permit);
			fp_slots_wake(env->slots);
			if (fp_hostgate_wait(env->gate, url, tok)) {
				out->status = FP_FETCH_CANCELLED;
				snprintf(out->error, sizeof(out->error),
					 "cancelled");
				return;
			}
		}
		rc = fp_slots_acquire(env->slots, permit, host, tok, &x);
		if (rc) {
			out->status = rc == FP_ECANCELED ? FP_FETCH_CANCELLED
							 : FP_FETCH_FAILED;
			snprintf(out->error, sizeof(out->error), "%s",
				 rc == FP_ECANCELED ? "cancelled"
						    : fp_strerror(rc));
			return;
		}
		fp_xfer_perform(x, &req, &t->sink, tok, &res);
		fp_slots_release(env->slots, x, host);
		if (t->slow_after)
			fp_slots_wake(env->slots);
		t->ops->settle(t, &res);

		out->attempts = attempt;
		out->url_index = (unsigned)u->cur;
		out->bytes += res.bytes;
		if (res.status)
			out->http_status = res.status;
		why[0] = '\0';

		switch (res.outcome) {
		case FP_XFER_CANCELLED:
			out->status = FP_FETCH_CANCELLED;
			snprintf(out->error, sizeof(out->error), "cancelled");
			goto traced;
		case FP_XFER_DONE:
			if (res.status >= 200 && res.status <= 299) {
				rc = t->ops->complete(t, &res, out);
				if (rc == FP_ECHANGED && !free_tries) {
					/* The ranges of a split body found
					 * it changed: fetch it whole, at
					 * once, once. */
					free_tries++;
					snprintf(why, sizeof(why), "%.*s",
						 (int)sizeof(why) - 1,
						 out->error);
					out->error[0] = '\0';
					goto next_url_same;
				}
				if (rc == FP_OK) {
					out->status = FP_FETCH_OK;
				} else if (rc == FP_ECANCELED) {
					out->status = FP_FETCH_CANCELLED;
					snprintf(out->error,
						 sizeof(out->error),
						 "cancelled");
				} else {
					out->status = FP_FETCH_FAILED;
					out->permanent = !t->transient;
				}
				goto traced;
			}
			if (res.status == 304 && t->conditional) {
				out->status = FP_FETCH_UP_TO_DATE;
				t->ops->fresh(t, &res);
				goto traced;
			}
			fetch_http_text(why, sizeof(why), &res);
			if (res.status == 416 && req.resume_from > 0 &&
			    !free_tries) {
				/* NAME.part is no prefix of what the server
				 * has now (it is longer): start over from
				 * byte 0 at once. That costs no retry, or
				 * --retries 0 could never replace the part. */
				t->ops->drop_resume(t);
				free_tries++;
				if (env->trace) {
					info = (struct fp_fetch_attempt){
						display, attempt, &res, 0, why
					};
					env->trace(env->trace_ctx, &info);
				}
				continue;
			}
			if (res.status == 404 || res.status == 410) {
				/* Not there: never there. Another mirror or
				 * another name may have it. */
				u->dead[u->cur] = true;
				next = fetch_next_url(u, env->retries + 1);
				if (next >= 0)
					goto next_url;
			}
			if (!fp_retry_http_transient(res.status)) {
				out->status = FP_FETCH_FAILED;
				out->permanent = 1;
				fetch_where(out, why, u);
				goto traced;
			}
			break;
		case FP_XFER_NETWORK:
			snprintf(why, sizeof(why), "%s", res.error);
			/* A 206 that does not continue the part file: ask
			 * for the whole body next time. */
			if (res.status == 206 && req.resume_from > 0 &&
			    !res.appended)
				t->ops->drop_resume(t);
			break;
		case FP_XFER_SINK:
			out->status = FP_FETCH_FAILED;
			out->permanent = 1;
			snprintf(out->error, sizeof(out->error), "%s (%s)",
				 t->ops->sink_error(t, res.sink_err), display);
			goto traced;
		case FP_XFER_TOO_BIG:
		case FP_XFER_REFUSED:
			out->status = FP_FETCH_FAILED;
			out->permanent = 1;
			snprintf(out->error, sizeof(out->error), "%s (%s)",
				 res.error, display);
			goto traced;
		}

		/* Transient. */
		u->used[u->cur]++;
		if (u->names)
			next = u->used[u->cur] <= env->retries ? (long)u->cur
							       : -1;
		else
			next = fetch_next_url(u, env->retries + 1);
		if (next < 0) {
			out->status = FP_FETCH_FAILED;
			snprintf(out->error, sizeof(out->error),
				 "%s after %u attempt%s (%s)", why, attempt,
				 attempt == 1 ? "" : "s", display);
			goto traced;
		}
		wait = fp_retry_wait_ms(u->used[u->cur], &rng,
					res.retry_after[0] ? res.retry_after
							   : NULL,
					time(NULL));
		/* The server asks this client to slow down: no worker starts
		 * a request to the host before the time given; other hosts
		 * go on. */
		if (res.status == 429 ||
		    (res.status == 503 && res.retry_after[0]))
			fp_slots_pause_host(env->slots, host,
					    fp_now_ms() + wait);
		/* Another URL is tried at once; the same one (or the first
		 * again) after the backoff. */
		if ((size_t)next > u->cur)
			goto next_url;
		u->cur = (size_t)next;
		if (env->trace) {
			info = (struct fp_fetch_attempt){ display, attempt, &res,
							  wait, why };
			env->trace(env->trace_ctx, &info);
		}
		fp_slots_wake(env->slots);
		if (fp_cancel_sleep(tok, wait)) {
			out->status = FP_FETCH_CANCELLED;
			snprintf(out->error, sizeof(out->error), "cancelled");
			return;
		}
		continue;
next_url_same:
		next = (long)u->cur;
next_url:
		if (env->trace) {
			info = (struct fp_fetch_attempt){ display, attempt,
							  &res, 0, why };
			env->trace(env->trace_ctx, &info);
		}
		u->cur = (size_t)next;
		continue;
traced:
		if (env->trace) {
			info = (struct fp_fetch_attempt){ display, attempt, &res,
							  -1, NULL };
			env->trace(env->trace_ctx, &info);
		}
		return;
	}
}

static void fetch_loop(const struct fp_fetch_env *env, struct fp_permit *permit,
		       const char *const *urls, const char *const *displays,
		       size_t n, bool names, struct fetch_target *t,
		       struct fp_cancel *tok, struct fp_fetch_result *out)
{
	struct fetch_urls u;
	size_t i;

	memset(&u, 0, sizeof(u));
	u.names = names;
	u.url = urls;
	u.display = displays;
	u.n = n < FP_FETCH_MAX_URLS ? n : FP_FETCH_MAX_URLS;
	for (i = 0; i < u.n; i++)
		u.host[i] = fp_url_host_key(urls[i]);
	fetch_attempts(env, permit, &u, t, tok, out);
	for (i = 0; i < u.n; i++)
		free(u.host[i]);
}

/* ---- files ----------------------------------------------------------- */

/* NAME.part below DIRFD for reading, through folders (dir=) never
 * reached by a symlink; -1 with errno set on failure. */
static int fetch_open_part(int dirfd, const char *name)
{
	char part[512];
	const char *leaf;
	int sub = fp_subdir_open(dirfd, name, 0, &leaf), fd, saved;

	if (sub == -1) /* AT_FDCWD is negative too */
		return -1;
	snprintf(part, sizeof(part), "%s%s", leaf, FP_OUTFILE_SUFFIX);
	fd = openat(sub, part, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	saved = errno;
	fp_subdir_close(sub, dirfd);
	errno = saved;
	return fd;
}

struct file_target {
	struct fetch_target base;
	const struct fp_fetch_env *env;
	const struct fp_fetch_file_req *req;
	struct fp_outfile *of;
	int have_final;
	time_t final_mtime;
	int64_t part;          /* bytes in NAME.part before this attempt */
	int no_resume;         /* the server refused our range */
	/* Validators of NAME (conditional requests) and of NAME.part's body
	 * (If-Range): after a conditional 200 is cut off they differ, and
	 * the part's must never make the old NAME look up to date. */
	char etag[FP_STATE_ETAG_MAX];
	char last_modified[FP_STATE_DATE_MAX];
	char part_etag[FP_STATE_ETAG_MAX];
	char part_lm[FP_STATE_DATE_MAX];
	struct fp_sha256 sha;
	int sha_ok;
	int open_err;
	int body_seen; /* on_body has been called */
	char errtext[200];
	/* --split: NAME.part is fetched as ranges (split.h) after the
	 * first answer told its length; no_split after the ranges found the
	 * file changed. */
	bool splitting, no_split;
	struct fp_split split;
	struct fp_permit *permit;
	struct fp_cancel *tok;
};

static void file_prepare(struct fetch_target *bt, struct fp_xfer_req *req)
{
	struct file_target *t = (struct file_target *)bt;
	int64_t part = 0;

	req->headers = t->req->headers;
	req->nheaders = t->req->nheaders;
	t->part = 0;
	/* Without the part's validator a changed file could be spliced. */
	if (!t->no_resume && (t->part_etag[0] || t->part_lm[0]) &&
	    fp_outfile_part_size(t->env->dirfd, t->req->name, &part) == FP_OK)
		t->part = part;
	if (t->part > 0) {
		req->resume_from = t->part;
		req->if_range = t->part_etag[0] ? t->part_etag : t->part_lm;
	} else if (t->have_final) {
		req->if_modified_since = t->final_mtime;
		req->if_none_match = t->etag[0] ? t->etag : NULL;
	}
}

/* A whole body worth fetching as ranges: known length, at least two
 * ranges' worth, ranges accepted, and a validator to guard them. */
static bool file_should_split(const struct file_target *t,
			      const struct fp_xfer_res *r)
{
	const struct fp_fetch_file_req *req = t->req;
	int64_t min = req->min_split_size > 0 ? req->min_split_size : 1;

	return req->split > 1 && !t->no_split && r->status == 200 &&
	       r->accept_ranges && r->content_length >= 2 * min &&
	       fp_split_validator(r->etag, r->last_modified);
}

/* Plan the ranges of R's body, make NAME.part that long with the ranges
 * file beside it (the file first: NAME.part is never taken for a
 * prefix), and stop this answer: the ranges fetch the body. */
static int file_start_split(struct file_target *t,
			    const struct fp_xfer_res *r)
{
	struct fp_split *s = &t->split;
	const char *name = t->req->name;

	fp_split_plan(s, r->content_length, t->req->split,
		      t->req->min_split_size);
	snprintf(s->validator, sizeof(s->validator), "%s",
		 fp_split_validator(r->etag, r->last_modified));
	snprintf(s->last_modified, sizeof(s->last_modified), "%s",
		 r->last_modified);
	if (fp_split_save(t->env->dirfd, name, s)) {
		snprintf(t->errtext, sizeof(t->errtext),
			 "cannot write '%s%s': %s", name, FP_SPLIT_SUFFIX,
			 strerror(errno));
		t->open_err = 1;
		return FP_EIO;
	}
	if (fp_outfile_set_length(t->of, s->total)) {
		snprintf(t->errtext, sizeof(t->errtext), "%s",
			 fp_outfile_error(t->of));
		t->open_err = 1;
		return FP_EIO;
	}
	/* With no NAME the state's record is that of NAME.part's body: the
	 * next run finds the ranges file through it. */
	if (!t->have_final) {
		snprintf(t->part_etag, sizeof(t->part_etag), "%s", r->etag);
		snprintf(t->part_lm, sizeof(t->part_lm), "%s",
			 r->last_modified);
		if (t->env->state)
			fp_statefile_set(t->env->state, name, r->etag,
					 r->last_modified, -1);
	}
	t->splitting = true;
	return FP_SINK_STOP;
}

static int file_begin(void *ctx, int append, const struct fp_xfer_res *res)
{
	struct file_target *t = ctx;
	int64_t existing = 0;
	int rc;

	if (!t->body_seen) {
		t->body_seen = 1;
		if (t->req->on_body)
			t->req->on_body(t->req->on_body_ctx);
	}
	rc = fp_outfile_open(&t->of, t->env->dirfd, t->req->name, append,
			     &existing);
	if (rc) {
		snprintf(t->errtext, sizeof(t->errtext),
			 "cannot open '%s.part': %s", t->req->name,
			 strerror(errno));
		t->open_err = 1;
		return rc;
	}
	if (!append && file_should_split(t, res))
		return file_start_split(t, res);
	/* A NAME.part just emptied may have been a split one. */
	if (!append && fp_outfile_dropped(t->of) > 0 &&
	    fp_split_forget(t->env->dirfd, t->req->name)) {
		snprintf(t->errtext, sizeof(t->errtext),
			 "cannot remove '%s%s': %s", t->req->name,
			 FP_SPLIT_SUFFIX, strerror(errno));
		t->open_err = 1;
		return FP_EIO;
	}
	if (append && existing != t->part) {
		snprintf(t->errtext, sizeof(t->errtext),
			 "'%s.part' changed during the run", t->req->name);
		t->open_err = 1;
		return FP_EIO;
	}
	t->sha_ok = 0;
	if (!t->req->sha256)
		return FP_OK;
	if (fp_sha256_init(&t->sha))
		return FP_ENOMEM;
	if (append && existing > 0) {
		char part[512];
		int fd;

		snprintf(part, sizeof(part), "%s%s", t->req->name,
			 FP_OUTFILE_SUFFIX);
		fd = fetch_open_part(t->env->dirfd, t->req->name);
		if (fd < 0)
			return FP_EIO;
		rc = fp_sha256_fd(fd, (off_t)existing, &t->sha);
		close(fd);
		if (rc)
			return rc;
	}
	t->sha_ok = 1;
	return FP_OK;
}

static int file_write(void *ctx, const void *p, size_t len)
{
	struct file_target *t = ctx;

	if (t->sha_ok && fp_sha256_update(&t->sha, p, len))
		return FP_ENOMEM;
	if (t->env->rx_bytes)
		atomic_fetch_add_explicit(t->env->rx_bytes, (int64_t)len,
					  memory_order_relaxed);
	return fp_outfile_write(t->of, p, len);
}

/* R's validators: of NAME once its body is whole (PART 0), else of the
 * body NAME.part holds a prefix of. */
static void file_remember(struct file_target *t, const struct fp_xfer_res *r,
			  int part)
{
	if (!r->etag[0] && !r->last_modified[0])
		return;
	snprintf(t->part_etag, sizeof(t->part_etag), "%s", r->etag);
	snprintf(t->part_lm, sizeof(t->part_lm), "%s", r->last_modified);
	if (!part) {
		snprintf(t->etag, sizeof(t->etag), "%s", r->etag);
		snprintf(t->last_modified, sizeof(t->last_modified), "%s",
			 r->last_modified);
	}
	if (t->env->state)
		fp_statefile_set(t->env->state, t->req->name, r->etag,
				 r->last_modified, -1);
}

/* The raw body is whole in NAME.part: publish what req->transform makes
 * of it. NAME.strip.tmp becomes NAME, then NAME.part goes; a failure
 * leaves NAME as it was and NAME.part whole. */
static int file_publish_transformed(struct file_target *t,
				    const struct fp_xfer_res *r,
				    struct fp_fetch_result *out)
{
	const struct fp_fetch_file_req *req = t->req;
	int top = t->env->dirfd, durable = t->env->durable;
	int64_t want = fp_outfile_size(t->of), got = -1;
	char part[512], tmp[512], lpart[512], ltmp[512];
	int in = -1, o = -1, rc = FP_EIO, dirfd;
	const char *op = "write", *leaf;

	snprintf(part, sizeof(part), "%s%s", req->name, FP_OUTFILE_SUFFIX);
	snprintf(tmp, sizeof(tmp), "%s.strip.tmp", req->name);
	/* The folder of NAME (dir=), never reached through a symlink. */
	dirfd = fp_subdir_open(top, req->name, 0, &leaf);
	if (dirfd == -1) {
		snprintf(out->error, sizeof(out->error),
			 "cannot open the folder of '%s': %s", req->name,
			 strerror(errno));
		return FP_EIO;
	}
	snprintf(lpart, sizeof(lpart), "%s%s", leaf, FP_OUTFILE_SUFFIX);
	snprintf(ltmp, sizeof(ltmp), "%s.strip.tmp", leaf);
	/* Closing flushes; a flush that failed shows as a short file. */
	fp_outfile_close(t->of);
	t->of = NULL;
	if (fp_outfile_part_size(top, req->name, &got) || got != want) {
		snprintf(out->error, sizeof(out->error),
			 "cannot write '%s' whole", part);
		fp_subdir_close(dirfd, top);
		return FP_EIO;
	}
	in = openat(dirfd, lpart, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0) {
		op = "read";
		goto fail_errno;
	}
	(void)unlinkat(dirfd, ltmp, 0);
	o = openat(dirfd, ltmp,
		   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (o < 0)
		goto fail_errno_tmp;
	rc = req->transform(req->transform_ctx, in, o, out->error,
			    sizeof(out->error));
	if (rc)
		goto fail;
	rc = FP_EIO;
	if (r->mtime != (time_t)-1) {
		time_t now = time(NULL), m = r->mtime;
		struct timespec ts[2];

		/* As fp_outfile_publish(): never a time in the future. */
		if (now != (time_t)-1 && m > now)
			m = now;
		ts[0].tv_sec = m;
		ts[0].tv_nsec = 0;
		ts[1] = ts[0];
		if (futimens(o, ts) < 0) {
			op = "set the time of";
			goto fail_errno_tmp;
		}
	}
	if (durable && fsync(o) < 0) {
		op = "sync";
		goto fail_errno_tmp;
	}
	if (close(o) < 0) {
		o = -1;
		goto fail_errno_tmp;
	}
	o = -1;
	if (renameat(dirfd, ltmp, dirfd, leaf) < 0) {
		op = "rename";
		goto fail_errno_tmp;
	}
	if (unlinkat(dirfd, lpart, 0) < 0 && errno != ENOENT) {
		op = "remove";
		goto fail_errno;
	}
	if (durable && dirfd >= 0 && fsync(dirfd) < 0) {
		op = "sync the directory of";
		snprintf(out->error, sizeof(out->error), "cannot %s '%s': %s",
			 op, req->name, strerror(errno));
		goto fail;
	}
	close(in);
	fp_subdir_close(dirfd, top);
	return FP_OK;
fail_errno_tmp:
	snprintf(out->error, sizeof(out->error), "cannot %s '%s': %s", op,
		 tmp, strerror(errno));
	goto fail;
fail_errno:
	snprintf(out->error, sizeof(out->error), "cannot %s '%s': %s", op,
		 part, strerror(errno));
fail:
	if (o >= 0)
		close(o);
	if (in >= 0)
		close(in);
	(void)unlinkat(dirfd, ltmp, 0);
	fp_subdir_close(dirfd, top);
	return rc ? rc : FP_EIO;
}

static void file_split_trace(void *ctx, unsigned range, unsigned attempt,
			     const struct fp_xfer_res *res, int64_t wait,
			     const char *why)
{
	struct file_target *t = ctx;
	struct fp_fetch_attempt info = { t->base.display_url, attempt, res,
					 wait, why };

	(void)range;
	t->env->trace(t->env->trace_ctx, &info);
}

/* The ranges are whole in NAME.part: check the digest over the whole file,
 * publish, and drop the ranges file. */
static int file_split_finish(struct file_target *t,
			     struct fp_fetch_result *out)
{
	const struct fp_fetch_file_req *req = t->req;
	struct fp_xfer_res r;
	time_t m;
	int rc;

	memset(&r, 0, sizeof(r));
	if (t->split.validator[0] == '"')
		snprintf(r.etag, sizeof(r.etag), "%.*s",
			 (int)sizeof(r.etag) - 1, t->split.validator);
	snprintf(r.last_modified, sizeof(r.last_modified), "%s",
		 t->split.last_modified);
	r.mtime = r.last_modified[0] &&
			  fp_http_date_parse(r.last_modified, &m) == FP_OK
		  ? m
		  : (time_t)-1;
	if (req->sha256) {
		unsigned char got[FP_SHA256_LEN];
		char part[512], want_hex[65], got_hex[65];
		int fd;

		snprintf(part, sizeof(part), "%s%s", req->name,
			 FP_OUTFILE_SUFFIX);
		fd = fetch_open_part(t->env->dirfd, req->name);
		rc = fd < 0 ? FP_EIO : fp_sha256_init(&t->sha);
		if (rc == FP_OK)
			rc = fp_sha256_fd(fd, (off_t)t->split.total, &t->sha);
		if (fd >= 0)
			close(fd);
		if (rc == FP_OK)
			rc = fp_sha256_final(&t->sha, got);
		if (rc) {
			snprintf(out->error, sizeof(out->error),
				 "cannot read '%s' back", part);
			return rc;
		}
		if (memcmp(got, req->sha256, FP_SHA256_LEN)) {
			fp_hex_encode(req->sha256, FP_SHA256_LEN, want_hex);
			fp_hex_encode(got, FP_SHA256_LEN, got_hex);
			snprintf(out->error, sizeof(out->error),
				 "checksum mismatch: expected sha256 %.12s..., "
				 "got %.12s... (%s)",
				 want_hex, got_hex, req->display_url);
			fp_outfile_discard(t->of);
			t->of = NULL;
			(void)fp_split_forget(t->env->dirfd, req->name);
			return FP_ECHECKSUM;
		}
	}
	file_remember(t, &r, 0);
	if (req->transform) {
		rc = file_publish_transformed(t, &r, out);
	} else if (fp_outfile_publish(t->of, r.mtime, t->env->durable)) {
		snprintf(out->error, sizeof(out->error), "%s",
			 fp_outfile_error(t->of));
		rc = FP_EIO;
	} else {
		fp_outfile_close(t->of);
		t->of = NULL;
		rc = FP_OK;
	}
	/* A ranges file left by a crash here names no NAME.part: the next
	 * load finds it stale and removes it. */
	if (rc == FP_OK)
		(void)fp_split_forget(t->env->dirfd, req->name);
	return rc;
}

/* Fetch what the ranges of NAME.part miss, then publish. FP_ECHANGED: the
 * file changed on the server; NAME.part and its ranges are gone. */
static int file_run_split(struct file_target *t, struct fp_fetch_result *out)
{
	const struct fp_fetch_env *env = t->env;
	struct fp_split_job j = {
		.slots = env->slots,
		.retries = env->retries,
		.url = t->base.url,
		.display_url = t->base.display_url,
		.headers = t->req->headers,
		.nheaders = t->req->nheaders,
		.dirfd = env->dirfd,
		.name = t->req->name,
		.part = t->of,
		.s = &t->split,
		.rx_bytes = env->rx_bytes,
		.trace = env->trace ? file_split_trace : NULL,
		.trace_ctx = t,
	};
	int64_t bytes = 0;
	unsigned attempts = 0;
	int rc;

	rc = fp_split_fetch(&j, t->permit, t->tok, &bytes, &attempts,
			    out->error, sizeof(out->error));
	out->bytes += bytes;
	out->attempts += attempts;
	t->splitting = false;
	switch (rc) {
	case FP_OK:
		rc = file_split_finish(t, out);
		break;
	case FP_ECHANGED:
		fp_outfile_discard(t->of);
		t->of = NULL;
		(void)fp_split_forget(env->dirfd, t->req->name);
		t->part_etag[0] = t->part_lm[0] = '\0';
		t->no_split = true;
		break;
	case FP_ECANCELED:
		break; /* NAME.part and its ranges stay for the next run */
	default:
		t->base.transient = rc != FP_EIO;
		break;
	}
	return rc;
}

/* NAME.part left by an interrupted split: fetch what its ranges miss.
 * True when that decided the job (*OUT filled); false to go on as usual
 * (no ranges file, or one that cannot be continued: then neither it nor
 * NAME.part is left, never to be taken for a prefix). */
static bool file_resume_split(struct file_target *t, const char *url,
			      const char *display,
			      struct fp_fetch_result *out)
{
	const char *name = t->req->name;
	int dirfd = t->env->dirfd;
	int64_t have = -1;
	int rc;

	rc = fp_split_load(dirfd, name, &t->split);
	if (rc == FP_ENOENT)
		return false;
	if (fp_outfile_open(&t->of, dirfd, name, 1, &have) == FP_OK &&
	    (rc != FP_OK || have != t->split.total)) {
		fp_outfile_discard(t->of);
		t->of = NULL;
	}
	if (!t->of) {
		(void)fp_split_forget(dirfd, name);
		t->part_etag[0] = t->part_lm[0] = '\0';
		return false;
	}
	memset(out, 0, sizeof(*out));
	t->base.url = url;
	t->base.display_url = display;
	rc = file_run_split(t, out);
	if (rc == FP_ECHANGED) {
		t->no_split = false; /* a new body: it may split again */
		out->bytes = 0;
		out->error[0] = '\0';
		return false;
	}
	if (rc == FP_OK) {
		out->status = FP_FETCH_OK;
		out->http_status = 206;
	} else if (rc == FP_ECANCELED) {
		out->status = FP_FETCH_CANCELLED;
		snprintf(out->error, sizeof(out->error), "cancelled");
	} else {
		out->status = FP_FETCH_FAILED;
		out->permanent = !t->base.transient;
	}
	return true;
}

static int file_complete(struct fetch_target *bt, const struct fp_xfer_res *r,
			 struct fp_fetch_result *out)
{
	struct file_target *t = (struct file_target *)bt;

	if (t->splitting)
		return file_run_split(t, out);
	file_remember(t, r, 0);
	if (t->req->sha256 && t->sha_ok) {
		unsigned char got[FP_SHA256_LEN];
		char want_hex[65], got_hex[65];

		fp_sha256_final(&t->sha, got);
		if (memcmp(got, t->req->sha256, FP_SHA256_LEN)) {
			fp_hex_encode(t->req->sha256, FP_SHA256_LEN, want_hex);
			fp_hex_encode(got, FP_SHA256_LEN, got_hex);
			snprintf(out->error, sizeof(out->error),
				 "checksum mismatch: expected sha256 %.12s..., "
				 "got %.12s... (%s)",
				 want_hex, got_hex, t->req->display_url);
			fp_outfile_discard(t->of);
			t->of = NULL;
			return FP_ECHECKSUM;
		}
	}
	if (t->req->transform)
		return file_publish_transformed(t, r, out);
	if (fp_outfile_publish(t->of, r->mtime, t->env->durable)) {
		snprintf(out->error, sizeof(out->error), "%s",
			 fp_outfile_error(t->of));
		return FP_EIO;
	}
	fp_outfile_close(t->of);
	t->of = NULL;
	return FP_OK;
}

static void file_settle(struct fetch_target *bt, const struct fp_xfer_res *r)
{
	struct file_target *t = (struct file_target *)bt;

	if (r->outcome == FP_XFER_TOO_BIG && t->of) {
		fp_outfile_discard(t->of); /* never worth resuming */
		t->of = NULL;
	}
	if (r->outcome != FP_XFER_DONE || r->status < 200 || r->status > 299) {
		/* NAME.part now holds a prefix of this answer's body: keep
		 * its validators, so that the resume is guarded by If-Range.
		 * Those of an error page would guard nothing. */
		if ((r->outcome == FP_XFER_NETWORK ||
		     r->outcome == FP_XFER_CANCELLED ||
		     r->outcome == FP_XFER_SINK) &&
		    r->status >= 200 && r->status <= 299)
			file_remember(t, r, 1);
		if (t->of) {
			if (fp_outfile_error(t->of))
				snprintf(t->errtext, sizeof(t->errtext), "%s",
					 fp_outfile_error(t->of));
			fp_outfile_close(t->of); /* keeps NAME.part */
			t->of = NULL;
		}
	}
}

static void file_drop_resume(struct fetch_target *bt)
{
	((struct file_target *)bt)->no_resume = 1;
}

static const char *file_sink_error(struct fetch_target *bt, int err)
{
	struct file_target *t = (struct file_target *)bt;

	return t->errtext[0] ? t->errtext : fp_strerror(err);
}

static void file_fresh(struct fetch_target *bt, const struct fp_xfer_res *r)
{
	file_remember((struct file_target *)bt, r, 0);
}

static const struct fetch_ops file_ops = {
	file_prepare, file_complete, file_settle, file_drop_resume,
	file_sink_error, file_fresh,
};

void fp_fetch_file(const struct fp_fetch_env *env, struct fp_permit *permit,
		   const struct fp_fetch_file_req *req, struct fp_cancel *tok,
		   struct fp_fetch_result *out)
{
	struct file_target t;
	struct fp_state_rec st;
	int64_t size;

	memset(&t, 0, sizeof(t));
	t.env = env;
	t.req = req;
	t.permit = permit;
	t.tok = tok;
	t.base.ops = &file_ops;
	t.base.slow_after = env->durable;
	t.base.sink = (struct fp_sink){ file_begin, file_write, &t };
	if (fp_outfile_stat_final(env->dirfd, req->name, &size,
				  &t.final_mtime) == FP_OK)
		t.have_final = 1;
	t.base.conditional = t.have_final;
	if (env->state && fp_statefile_get(env->state, req->name, &st) == FP_OK) {
		snprintf(t.etag, sizeof(t.etag), "%s", st.etag);
		snprintf(t.last_modified, sizeof(t.last_modified), "%s",
			 st.last_modified);
		/* With no NAME, the record is that of the body in NAME.part;
		 * with NAME, it is NAME's, and a .part left beside it has no
		 * known validator (it restarts whole). */
		if (!t.have_final) {
			memcpy(t.part_etag, t.etag, sizeof(t.part_etag));
			memcpy(t.part_lm, t.last_modified, sizeof(t.part_lm));
		}
	}
	/* Only a body the state knows may have been split (as any resume). */
	if (!t.have_final && (t.part_etag[0] || t.part_lm[0]) &&
	    file_resume_split(&t, req->nurls ? req->urls[0] : req->url,
			      req->nurls ? req->display_urls[0]
					 : req->display_url,
			      out))
		goto done;
	if (req->nurls)
		fetch_loop(env, permit, req->urls, req->display_urls,
			   req->nurls, req->other_names, &t.base, tok, out);
	else
		fetch_loop(env, permit, &req->url, &req->display_url, 1,
			   false, &t.base, tok, out);
done:
	if (t.of)
		fp_outfile_close(t.of);
	fp_sha256_cleanup(&t.sha);
}

/* ---- memory ---------------------------------------------------------- */

struct mem_target {
	struct fetch_target base;
	const struct fp_fetch_env *env;
	struct fp_buf *body;
};

static void mem_prepare(struct fetch_target *bt, struct fp_xfer_req *req)
{
	(void)bt;
	(void)req;
}

static int mem_begin(void *ctx, int append, const struct fp_xfer_res *res)
{
	struct mem_target *t = ctx;

	(void)append;
	(void)res;
	fp_buf_reset(t->body);
	return FP_OK;
}

static int mem_write(void *ctx, const void *p, size_t len)
{
	struct mem_target *t = ctx;

	if (t->env->rx_bytes)
		atomic_fetch_add_explicit(t->env->rx_bytes, (int64_t)len,
					  memory_order_relaxed);
	return fp_buf_append(t->body, p, len);
}

static int mem_complete(struct fetch_target *bt, const struct fp_xfer_res *r,
			struct fp_fetch_result *out)
{
	(void)bt;
	if (r->status == 200)
		return FP_OK;
	snprintf(out->error, sizeof(out->error), "unexpected HTTP %ld",
		 r->status);
	return FP_EHTTP;
}

static void mem_settle(struct fetch_target *bt, const struct fp_xfer_res *r)
{
	(void)bt;
	(void)r;
}

static void mem_drop_resume(struct fetch_target *bt)
{
	(void)bt;
}

static const char *mem_sink_error(struct fetch_target *bt, int err)
{
	(void)bt;
	return err == FP_ETOOBIG ? "response body over the size limit"
				 : fp_strerror(err);
}

static const struct fetch_ops mem_ops = {
	mem_prepare, mem_complete, mem_settle, mem_drop_resume, mem_sink_error,
	mem_settle, /* a 304 is never asked for in memory */
};

void fp_fetch_mem_any(const struct fp_fetch_env *env,
		      struct fp_permit *permit, const char *const *urls,
		      size_t n, struct fp_buf *body, struct fp_cancel *tok,
		      struct fp_fetch_result *out)
{
	struct mem_target t;

	memset(&t, 0, sizeof(t));
	t.env = env;
	t.body = body;
	t.base.ops = &mem_ops;
	t.base.slow_after = true;
	t.base.sink = (struct fp_sink){ mem_begin, mem_write, &t };
	fetch_loop(env, permit, urls, urls, n, false, &t.base, tok, out);
}

void fp_fetch_mem(const struct fp_fetch_env *env, struct fp_permit *permit,
		  const char *url, struct fp_buf *body, struct fp_cancel *tok,
		  struct fp_fetch_result *out)
{
	fp_fetch_mem_any(env, permit, &url, 1, body, tok, out);
}
