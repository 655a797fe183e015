/* `fetchpool catalog [FILTERS]`: the books of Project Gutenberg's catalog
 * that match the filters, as a list file for `fetchpool books -`.
 *
 * The catalog is one job on the engine, like any download (retries,
 * conditional requests, --delay, the progress line, signals): it is
 * fetched into the cache directory, $XDG_CACHE_HOME/fetchpool or
 * ~/.cache/fetchpool, which has its own lock and state file, so a later
 * run asks with If-None-Match/If-Modified-Since and a 304 keeps the copy.
 * With --catalog FILE nothing is fetched. Then the copy streams through
 * the CSV reader and the filters, one row at a time, to stdout. */
#include "config.h"
#include "commands.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The longest title printed, as for titles read from RDF. */
#define CATALOG_TITLE_MAX 1024

struct catalog_job {
	struct fp_engine_job ej; /* first: the engine hands this back */
	struct catalog_run *run;
	char *url, *display_url;
	struct fp_fetch_result res;
	bool ran;
};

struct catalog_run {
	struct fp_run base; /* first: fp_run_tick's context */
	char *dir;          /* the cache directory */
	int dirfd;
	struct fp_statefile *state;
	struct catalog_job job;
};

/* ---- the fetch ------------------------------------------------------- */

static void catalog_run_job(void *ctx, struct fp_engine_job *ej,
			    struct fp_engine_worker *w, struct fp_cancel *tok)
{
	struct catalog_job *j = (struct catalog_job *)ej;
	struct fp_fetch_file_req req = { 0 };

	(void)ctx;
	j->ran = true;
	req.url = j->url;
	req.display_url = j->display_url;
	req.name = FP_CATALOG_NAME;
	fp_fetch_file(w->env, &w->permit, &req, tok, &j->res);
}

static enum fp_job_status catalog_done(void *ctx, struct fp_engine_job *ej,
				       bool *fatal)
{
	struct catalog_run *r = ctx;
	struct catalog_job *j = (struct catalog_job *)ej;
	struct fp_out *out = r->base.out;

	if (fp_engine_job_dropped(ej) || !j->ran) {
		j->res.status = FP_FETCH_CANCELLED;
		snprintf(j->res.error, sizeof(j->res.error), "cancelled");
	}
	switch (j->res.status) {
	case FP_FETCH_OK:
		fp_out_verbose(out, "catalog: downloaded %s", j->display_url);
		return FP_JOB_OK;
	case FP_FETCH_UP_TO_DATE:
		fp_out_verbose(out, "catalog: up to date: %s",
			       j->display_url);
		return FP_JOB_UP_TO_DATE;
	case FP_FETCH_FAILED:
		*fatal = j->res.permanent;
		fp_out_error(out, "fetchpool: cannot fetch the catalog: %s",
			     j->res.error);
		return FP_JOB_FAILED;
	case FP_FETCH_CANCELLED:
	default:
		if (!atomic_load(&fp_runctl.signo))
			fp_out_error(out, "fetchpool: catalog: cancelled");
		return FP_JOB_CANCELLED;
	}
}

static void catalog_event(void *ctx, int kind, void *data)
{
	(void)ctx;
	(void)kind;
	(void)data;
}

static const struct fp_engine_ops catalog_ops = {
	.run = catalog_run_job,
	.done = catalog_done,
	.event = catalog_event,
	.tick = fp_run_tick,
};

/* $XDG_CACHE_HOME/fetchpool (the variable counts only when absolute, as
 * the XDG spec says), else $HOME/.cache/fetchpool; NULL when neither. */
static char *catalog_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	const char *base = x, *sub = "/fetchpool";
	size_t n;
	char *dir;

	if (!x || x[0] != '/') {
		if (!h || !*h)
			return NULL;
		base = h;
		sub = "/.cache/fetchpool";
	}
	n = strlen(base) + strlen(sub) + 1;
	dir = malloc(n);
	if (dir)
		snprintf(dir, n, "%s%s", base, sub);
	return dir;
}

/* Open the cache directory with its lock and state. 0 or an exit. */
static int catalog_open_cache(struct catalog_run *r, struct fp_dirlock **lock)
{
	struct fp_out *out = r->base.out;
	int rc;

	r->dir = catalog_cache_dir();
	if (!r->dir) {
		fp_out_error(out, "fetchpool: no cache directory: set "
				  "XDG_CACHE_HOME or HOME, or use --catalog "
				  "FILE");
		return FP_EXIT_USAGE;
	}
	if (fp_run_mkdirs(r->dir, 0700) ||
	    (r->dirfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
		    0) {
		fp_out_error(out, "fetchpool: cannot use cache directory "
				  "'%s': %s", r->dir, strerror(errno));
		return FP_EXIT_USAGE;
	}
	rc = fp_dirlock_acquire(r->dirfd, lock);
	if (rc == FP_EBUSY) {
		fp_out_error(out, "fetchpool: '%s/.fetchpool.lock' is held by "
				  "another run", r->dir);
		return FP_EXIT_LOCKED;
	}
	if (rc) {
		fp_out_error(out, "fetchpool: cache directory '%s' is not "
				  "usable: %s", r->dir, strerror(errno));
		return FP_EXIT_USAGE;
	}
	if (fp_statefile_create(r->dirfd, &r->state) ||
	    fp_statefile_load(r->state))
		fp_out_error(out, "fetchpool: warning: cannot read "
				  "'%s/.fetchpool.state'; validators start "
				  "empty", r->dir);
	return FP_EXIT_OK;
}

/* Fetch (or re-validate) the cached copy: one job on the engine. 0 when
 * the copy is fresh, 1 when the fetch failed, -1 when no engine could
 * start (printed). */
static int catalog_fetch(struct catalog_run *r)
{
	struct fp_out *out = r->base.out;
	struct catalog_job *j = &r->job;
	struct fp_engine_config c;
	enum fp_fetch_status st;

	fp_run_engine_config(&r->base, &c);
	c.queue_cap = 1;
	c.dirfd = r->dirfd;
	c.durable = true; /* one file: a cache must survive a crash */
	c.state = r->state;
	c.body_cap = 4096;
	c.ops = &catalog_ops;
	c.ctx = r;
	if (fp_run_start(&r->base, &c, "files")) {
		fp_out_error(out, "fetchpool: cannot start workers");
		return -1;
	}
	j->ej.url = j->url;
	if (fp_engine_submit(r->base.engine, FP_LISTFILE_PRIO_DEFAULT,
			     &j->ej) == FP_OK)
		fp_engine_start(r->base.engine);
	else
		j->res.status = FP_FETCH_CANCELLED;
	fp_engine_run(r->base.engine);
	fp_run_end(&r->base);
	if (fp_statefile_save(r->state))
		fp_out_error(out, "fetchpool: warning: cannot save "
				  "'%s/.fetchpool.state': %s",
			     r->dir, strerror(errno));
	st = j->res.status;
	return st == FP_FETCH_OK || st == FP_FETCH_UP_TO_DATE ? 0 : 1;
}

/* ---- the list -------------------------------------------------------- */

/* Stream the catalog in FD (taken over) through the filters to stdout.
 * Returns 0, 1 when a row was malformed, or -1 when the file could not
 * be read as a catalog (the message is printed). */
static int catalog_print(struct fp_run *r, int fd, const char *name)
{
	const struct fp_opts *o = r->o;
	struct fp_out *out = r->out;
	struct fp_catalog_filter f = { 0 };
	struct fp_catalog_row row;
	struct fp_catalog *cat;
	char title[CATALOG_TITLE_MAX + 1];
	unsigned long printed = 0;
	int rc, bad = 0;

	f.languages = o->cat_languages.v;
	f.nlanguages = o->cat_languages.n;
	f.author = o->cat_author;
	f.title = o->cat_title;
	f.subject = o->cat_subject;
	f.bookshelf = o->cat_bookshelf;
	f.type = strcasecmp(o->cat_type, "any") ? o->cat_type : NULL;
	f.issued_since = o->cat_issued_since;
	if (fp_catalog_open(&cat, fd)) {
		fp_out_error(out, "fetchpool: out of memory");
		return -1;
	}
	while ((rc = fp_catalog_next(cat, &row)) == 1) {
		char id[24];

		if (row.error) {
			fp_out_error(out, "%s:%lu: %s", name, row.line,
				     row.error);
			bad = 1;
			continue;
		}
		if (!fp_catalog_match(&f, &row))
			continue;
		snprintf(id, sizeof(id), "%ld", row.id);
		if (!fp_run_shard_keeps(o, id))
			continue;
		fp_catalog_title(row.col[FP_CAT_TITLE], title, sizeof(title));
		if (fprintf(out->out, "%s%s%s\n", id, *title ? " " : "",
			    title) < 0)
			break; /* stdout is gone: main() says so */
		if (o->cat_limit && ++printed == o->cat_limit)
			break;
	}
	if (rc < 0) {
		fp_out_error(out, "fetchpool: cannot read '%s': %s", name,
			     fp_catalog_error(cat));
		fp_catalog_close(cat);
		return -1;
	}
	fp_catalog_close(cat);
	return bad;
}

/* --catalog FILE: no fetch, no cache. */
static int catalog_local(struct fp_run *r)
{
	const char *file = r->o->catalog_file;
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		fp_out_error(r->out, "fetchpool: cannot read '%s': %s", file,
			     strerror(errno));
		return FP_EXIT_USAGE;
	}
	rc = catalog_print(r, fd, file);
	if (rc < 0)
		return FP_EXIT_USAGE;
	return fp_run_exit_status(rc);
}

int fp_cmd_catalog(struct fp_opts *o, struct fp_out *out)
{
	struct catalog_run r;
	struct fp_dirlock *lock = NULL;
	char path[4200];
	int rc, fetch_failed = 0, fd;

	memset(&r, 0, sizeof(r));
	r.base.o = o;
	r.base.out = out;
	r.dirfd = -1;
	if (o->catalog_file)
		return catalog_local(&r.base);

	r.job.run = &r;
	r.job.url = fp_catalog_url(o->mirror);
	r.job.display_url = r.job.url ? fp_url_redact(r.job.url) : NULL;
	if (!r.job.url || !r.job.display_url) {
		fp_out_error(out, "fetchpool: --mirror: not a usable URL");
		rc = FP_EXIT_USAGE;
		goto out;
	}
	if (o->dry_run) {
		char *dir = catalog_cache_dir();

		fp_out_event(out, "%s -> %s/%s", r.job.display_url,
			     dir ? dir : "(no cache directory)",
			     FP_CATALOG_NAME);
		free(dir);
		rc = FP_EXIT_OK;
		goto out;
	}
	rc = catalog_open_cache(&r, &lock);
	if (rc)
		goto out;
	rc = catalog_fetch(&r);
	if (rc < 0) {
		rc = FP_EXIT_FAILED;
		goto out;
	}
	fetch_failed = rc;
	if (atomic_load(&fp_runctl.signo)) {
		rc = fp_run_exit_status(1);
		goto out;
	}
	/* The descriptor keeps this copy even if another run replaces it
	 * once the lock is gone. */
	fd = openat(r.dirfd, FP_CATALOG_NAME, O_RDONLY | O_NOFOLLOW |
						      O_CLOEXEC);
	fp_dirlock_release(lock);
	lock = NULL;
	snprintf(path, sizeof(path), "%s/%s", r.dir, FP_CATALOG_NAME);
	if (fd < 0) {
		if (!fetch_failed)
			fp_out_error(out, "fetchpool: cannot read '%s': %s",
				     path,
				     strerror(errno));
		rc = FP_EXIT_FAILED;
		goto out;
	}
	if (fetch_failed)
		fp_out_error(out, "fetchpool: warning: using the cached "
				  "catalog '%s'",
			     path);
	rc = catalog_print(&r.base, fd, path);
	rc = fp_run_exit_status(rc != 0 || fetch_failed);
out:
	fp_run_end(&r.base);
	fp_engine_destroy(r.base.engine);
	fp_statefile_free(r.state);
	fp_dirlock_release(lock);
	if (r.dirfd >= 0)
		close(r.dirfd);
	free(r.dir);
	free(r.job.url);
	free(r.job.display_url);
	return rc;
}
