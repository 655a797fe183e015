/* `fetchpool books FILE`: a producer thread reads the list, names the
 * files in file order and submits the jobs to the engine; workers fetch;
 * this thread prints, reports and counts as the engine delivers. With
 * --dry-run nothing starts: the list is read here and each plan printed. */
#include "config.h"
#include "commands.h"
#include "opsout.h"
#include "run.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Up to this many jobs are queued before dispatch starts, so that short
 * lists run in exact priority order; longer ones stream. */
#define BOOKS_PRELOAD 10000

enum book_ev {
	BOOK_START,
	BOOK_INVALID,
	BOOK_PLAN,
	BOOK_READ_ERR,
	BOOK_IGNORED /* the list is read: warn of the options it ignored */
};

struct book_job {
	struct fp_engine_job ej; /* first: the engine hands this back */
	struct books_run *run;
	unsigned line;
	char *source, *url, *display_url, *title, *name, *error;
	/* The job's other URLs: mirrors (any failure moves on) or an ID's
	 * other names on one mirror (only a 404 does); url and display_url
	 * come first. */
	char *more[FP_FETCH_MAX_URLS - 1];
	char *more_display[FP_FETCH_MAX_URLS - 1];
	size_t nmore;
	bool other_names;
	long id;
	int priority;
	unsigned split;  /* split=, 0 when not given: --split */
	int has_sha;
	unsigned char sha[32];
	int list_title; /* the title came from the list (--save-failed) */
	char **headers; /* header= lines, taken from the list job */
	size_t nheaders;
	int strip;       /* strip=: 1, 0, or -1 for --strip-headers */
	int strip_bare;  /* stripping found no marker (worker, then main) */
	/* Allocated when the job runs or is dropped: a queued job stays small
	 * (the 1 KiB error text would make 10,000 queued jobs cost 11 MB). */
	struct fp_fetch_result *res;
	int64_t elapsed_ms;
};

struct books_run {
	struct fp_run base; /* first: fp_run_tick's context */
	int dirfd;
	struct fp_statefile *state;
	struct fp_report *report;
	const char *list_name;
	struct fp_listfile *lf;
	struct fp_names *names;
	/* main thread only */
	uint64_t n_invalid_dry; /* --dry-run has no engine to count them */
	int64_t bytes;
	struct fp_failedlist *failed; /* --save-failed */
	struct fp_metrics metrics;    /* --metrics */
	/* The producer's job that the stopped engine refused, and whether
	 * it stopped reading early: the rest of the list is never-started
	 * work for --save-failed. Handed over by the producer's join. */
	struct book_job *unsubmitted;
	int stopped_early;
	int warned_ignored; /* the one warning of ignored options is out */
};

static void book_job_free(struct book_job *j)
{
	if (!j)
		return;
	free(j->source);
	free(j->url);
	free(j->display_url);
	while (j->nmore > 0) {
		j->nmore--;
		free(j->more[j->nmore]);
		free(j->more_display[j->nmore]);
	}
	free(j->title);
	free(j->name);
	free(j->error);
	free(j->res);
	while (j->nheaders)
		free(j->headers[--j->nheaders]);
	free(j->headers);
	free(j);
}

static void books_event(void *ctx, int kind, void *data);

/* An event for the main thread: through the engine when it runs, else
 * (--dry-run, on the main thread itself) at once. */
static void books_emit(struct books_run *r, enum book_ev kind,
		       struct book_job *j)
{
	if (r->base.engine)
		fp_engine_post(r->base.engine, kind, j);
	else
		books_event(r, kind, j);
}

/* ---- workers --------------------------------------------------------- */

/* The title from the book's RDF; "book ID" when that fails. */
static void books_title_from_rdf(struct books_run *r,
				 struct fp_engine_worker *w,
				 struct book_job *j, struct fp_cancel *tok)
{
	const struct fp_strlist *m = &r->base.o->mirrors;
	struct fp_fetch_result res;
	char *urls[FP_GUTENBERG_MAX_MIRRORS];
	char *title = NULL;
	size_t i, n = 0;

	for (i = 0; i < m->n && n < FP_GUTENBERG_MAX_MIRRORS; i++)
		if ((urls[n] = fp_gutenberg_rdf_url(m->v[i], j->id)))
			n++;
	if (n) {
		/* The metadata fails over between mirrors like the text. */
		fp_fetch_mem_any(w->env, &w->permit,
				 (const char *const *)urls, n, &w->body, tok,
				 &res);
		if (res.status == FP_FETCH_OK &&
		    fp_gutenberg_rdf_title(w->body.data, w->body.len, &title) ==
			    FP_OK)
			j->title = title;
		fp_buf_reset(&w->body);
	}
	while (n > 0)
		free(urls[--n]);
	if (!j->title) {
		char buf[32];

		snprintf(buf, sizeof(buf), "book %ld", j->id);
		j->title = strdup(buf);
	}
}

/* The publish hook of --strip-headers and strip=yes (lib/strip.h). */
static int books_strip(void *ctx, int raw_fd, int out_fd, char *err,
		       size_t errlen)
{
	struct book_job *j = ctx;
	struct fp_strip_result res;

	if (fp_strip_fd(raw_fd, out_fd, &res)) {
		snprintf(err, errlen, "cannot strip the header of '%s': %s",
			 j->name, strerror(errno));
		return FP_EIO;
	}
	j->strip_bare = !res.found_start && !res.found_end;
	return FP_OK;
}

/* "Downloading T..." once the body starts: a 304 or an error page prints
 * only its own line. */
static void books_on_body(void *ctx)
{
	struct book_job *j = ctx;

	fp_engine_post(j->run->base.engine, BOOK_START, j);
}

static void books_run_job(void *ctx, struct fp_engine_job *ej,
			  struct fp_engine_worker *w, struct fp_cancel *tok)
{
	struct books_run *r = ctx;
	struct book_job *j = (struct book_job *)ej;
	int64_t t0 = fp_now_ms();
	struct fp_fetch_file_req req = { 0 };
	const char *urls[FP_FETCH_MAX_URLS];
	const char *displays[FP_FETCH_MAX_URLS];
	size_t i;

	j->res = calloc(1, sizeof(*j->res));
	if (!j->res)
		abort(); /* a lost outcome would lose the job */
	if (fp_cancel_is_set(tok)) {
		j->res->status = FP_FETCH_CANCELLED;
		snprintf(j->res->error, sizeof(j->res->error), "cancelled");
		return;
	}
	if (j->id && !j->title)
		books_title_from_rdf(r, w, j, tok);
	if (!j->title)
		j->title = strdup(j->name);
	if (j->title)
		fp_out_sanitize(j->title);

	req.url = j->url;
	req.display_url = j->display_url;
	if (j->nmore) {
		urls[0] = j->url;
		displays[0] = j->display_url;
		for (i = 0; i < j->nmore; i++) {
			urls[i + 1] = j->more[i];
			displays[i + 1] = j->more_display[i];
		}
		req.urls = urls;
		req.display_urls = displays;
		req.nurls = j->nmore + 1;
		req.other_names = j->other_names;
	}
	req.name = j->name;
	req.sha256 = j->has_sha ? j->sha : NULL;
	req.headers = (const char *const *)j->headers;
	req.nheaders = j->nheaders;
	req.split = j->split ? j->split : r->base.o->split;
	req.min_split_size = r->base.o->min_split_size;
	req.on_body = r->base.o->quiet ? NULL : books_on_body;
	req.on_body_ctx = j;
	if (j->strip > 0 || (j->strip < 0 && r->base.o->strip_headers)) {
		req.transform = books_strip;
		req.transform_ctx = j;
	}
	fp_fetch_file(w->env, &w->permit, &req, tok, j->res);
	j->elapsed_ms = fp_now_ms() - t0;
}

/* ---- producer -------------------------------------------------------- */

/* Add URL (taken over) to the job: the first becomes url, the others
 * more. FP_OK or FP_ENOMEM. */
static int books_add_url(struct book_job *j, char *url)
{
	char *shown = url ? fp_url_redact(url) : NULL;

	if (!shown) {
		free(url);
		return FP_ENOMEM;
	}
	if (!j->url) {
		j->url = url;
		j->display_url = shown;
	} else if (j->nmore < FP_FETCH_MAX_URLS - 1) {
		j->more[j->nmore] = url;
		j->more_display[j->nmore++] = shown;
	} else {
		free(url);
		free(shown);
	}
	return FP_OK;
}

/* An ID's URLs: each of its places (cache/epub, then the fallback names)
 * at each mirror in turn. With one mirror the places are other names of
 * one file there: only a 404 moves on. */
static int books_id_urls(struct books_run *r, struct book_job *j, long id)
{
	const struct fp_strlist *m = &r->base.o->mirrors;
	char *names[FP_GUTENBERG_MAX_MIRRORS][FP_GUTENBERG_TEXT_URLS];
	size_t nm = m->n < FP_GUTENBERG_MAX_MIRRORS ? m->n
						   : FP_GUTENBERG_MAX_MIRRORS;
	size_t i, k, n[FP_GUTENBERG_MAX_MIRRORS];
	int rc = FP_OK;

	for (i = 0; i < nm; i++) {
		n[i] = fp_gutenberg_text_urls(m->v[i], id, names[i]);
		if (!n[i])
			rc = FP_ENOMEM;
	}
	for (k = 0; k < FP_GUTENBERG_TEXT_URLS; k++)
		for (i = 0; i < nm; i++) {
			if (k >= n[i])
				continue;
			if (rc == FP_OK)
				rc = books_add_url(j, names[i][k]);
			else
				free(names[i][k]);
		}
	j->other_names = nm == 1;
	return j->url ? rc : FP_ENOMEM;
}

static struct book_job *books_make_job(struct books_run *r,
				       struct fp_listjob *lj)
{
	struct book_job *j = calloc(1, sizeof(*j));
	char *base = NULL;

	if (!j)
		return NULL;
	j->run = r;
	j->line = lj->line;
	j->priority = lj->priority;
	j->split = lj->split;
	j->strip = lj->strip;
	j->id = lj->id;
	j->source = lj->source ? strdup(lj->source) : NULL;
	if (lj->title)
		j->title = strdup(lj->title);
	if (lj->has_sha256) {
		j->has_sha = 1;
		memcpy(j->sha, lj->sha256, sizeof(j->sha));
	}
	/* The job takes the list job's headers over. */
	j->headers = lj->headers;
	j->nheaders = lj->nheaders;
	lj->headers = NULL;
	lj->nheaders = 0;
	if (lj->id) {
		if (books_id_urls(r, j, lj->id))
			abort(); /* out of memory while planning */
		base = lj->out ? strdup(lj->out)
			       : fp_gutenberg_file_name(lj->id);
	} else {
		size_t i;

		j->url = strdup(lj->url);
		j->display_url = fp_url_redact(lj->url);
		for (i = 0; j->url && i < lj->nmirrors; i++)
			if (books_add_url(j, strdup(lj->mirrors[i])))
				abort(); /* out of memory while planning */
		if (lj->out)
			base = strdup(lj->out);
		else if (fp_name_from_url(lj->url, &base))
			base = NULL;
	}
	/* dir=: the name is "SUB/NAME" for everything that keys on it
	 * (the .part, the state record, the report, the collisions). */
	if (base && lj->dir) {
		char *path = malloc(strlen(lj->dir) + strlen(base) + 2);

		if (path)
			snprintf(path, strlen(lj->dir) + strlen(base) + 2,
				 "%s/%s", lj->dir, base);
		free(base);
		base = path;
	}
	if (!j->url || !j->display_url || !base ||
	    fp_names_claim(r->names, base, &j->name)) {
		free(base);
		book_job_free(j);
		return NULL;
	}
	free(base);
	return j;
}

static struct book_job *books_invalid_job(struct books_run *r,
					  struct fp_listjob *lj)
{
	struct book_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->run = r;
	j->line = lj->err_line ? lj->err_line : lj->line;
	j->source = lj->source ? strdup(lj->source) : NULL;
	j->error = strdup(lj->error);
	return j;
}

/* Read the list: each valid job is named, kept or left to another shard,
 * then planned (--dry-run) or submitted; invalid lines are reported. */
static void books_produce(struct books_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_engine *e = r->base.engine;
	struct fp_listjob *lj;
	unsigned long queued = 0;
	int rc;

	while ((rc = fp_listfile_next(r->lf, &lj)) == 1) {
		struct book_job *j;

		if (lj->error) {
			j = books_invalid_job(r, lj);
			fp_listjob_free(lj);
			if (!j)
				abort();
			books_emit(r, BOOK_INVALID, j);
			continue;
		}
		j = books_make_job(r, lj);
		fp_listjob_free(lj);
		if (!j)
			abort(); /* out of memory while planning */
		j->list_title = j->title != NULL;
		/* The job was named first: a job has the same file name in
		 * every shard as in a run of the whole list, so shards that
		 * share a directory never collide. */
		if (!fp_run_shard_keeps(o, j->source ? j->source : j->url)) {
			book_job_free(j);
			continue;
		}
		if (!e) {
			books_emit(r, BOOK_PLAN, j);
			continue;
		}
		j->ej.url = j->url;
		if (fp_engine_submit(e, j->priority, &j->ej)) {
			/* Cancelled: stop reading; the job and the rest of
			 * the list were never started. */
			r->unsubmitted = j;
			r->stopped_early = 1;
			break;
		}
		if (++queued == BOOKS_PRELOAD)
			fp_engine_start(e);
	}
	if (rc < 0)
		books_emit(r, BOOK_READ_ERR, NULL);
	if (rc <= 0)
		books_emit(r, BOOK_IGNORED, NULL);
}

static void *books_producer(void *arg)
{
	struct books_run *r = arg;

	books_produce(r);
	fp_engine_start(r->base.engine);
	fp_engine_release(r->base.engine);
	return NULL;
}

/* ---- consumer -------------------------------------------------------- */

static void books_report(struct books_run *r, struct book_job *j,
			 enum fp_report_status st)
{
	static const struct fp_fetch_result none; /* invalid lines */
	const struct fp_fetch_result *res = j->res ? j->res : &none;
	struct fp_report_job rj;
	char path[4096];

	if (!r->report)
		return;
	snprintf(path, sizeof(path), "%s/%s", r->base.o->output_dir,
		 j->name ? j->name : "");
	rj.line = j->line;
	rj.source = j->source;
	rj.url = res->url_index && res->url_index <= j->nmore
			 ? j->more_display[res->url_index - 1]
			 : j->display_url;
	rj.title = j->title;
	rj.path = j->name ? path : NULL;
	rj.status = st;
	rj.http_status = res->http_status;
	rj.bytes = res->bytes;
	rj.attempts = res->attempts;
	rj.elapsed_ms = j->elapsed_ms;
	rj.error = st == FP_REPORT_OK || st == FP_REPORT_UP_TO_DATE
			   ? NULL
			   : (j->error ? j->error : res->error);
	fp_report_add(r->report, &rj);
}

/* Once a run, on the main thread: the options the list had that
 * fetchpool does not know (aria2c's), each key once. */
static void books_warn_ignored(struct books_run *r)
{
	char keys[1024];

	if (r->warned_ignored)
		return;
	r->warned_ignored = 1;
	if (fp_listfile_ignored(r->lf, keys, sizeof(keys)))
		fp_out_error(r->base.out,
			     "fetchpool: %s: ignoring aria2c options: %s",
			     r->list_name, keys);
}

/* --save-failed: one job left to do, with why ("failed", "cancelled",
 * "not started") and the error. */
static void books_left(struct books_run *r, struct book_job *j,
		       const char *why, const char *error)
{
	struct fp_failed_job fj;
	char line[1200], dir[FP_DIR_MAX + 1];
	const char *slash = j->name ? strrchr(j->name, '/') : NULL;

	if (!r->failed)
		return;
	memset(&fj, 0, sizeof(fj));
	fj.url = j->id ? NULL : j->url;
	fj.id = j->id;
	fj.out = j->name;
	/* "SUB/NAME" goes back as dir=SUB and out=NAME. */
	if (slash && (size_t)(slash - j->name) < sizeof(dir)) {
		memcpy(dir, j->name, (size_t)(slash - j->name));
		dir[slash - j->name] = '\0';
		fj.dir = dir;
		fj.out = slash + 1;
	}
	fj.split = j->split;
	fj.priority = j->priority;
	fj.sha256 = j->has_sha ? j->sha : NULL;
	fj.title = j->list_title ? j->title : NULL;
	if (error && *error)
		snprintf(line, sizeof(line), "%s: %s", why, error);
	else
		snprintf(line, sizeof(line), "%s", why);
	fj.why = line;
	if (fp_failedlist_add(r->failed, &fj) == FP_EIO)
		fp_out_error(r->base.out, "fetchpool: cannot write '%s': %s",
			     r->base.o->save_failed, strerror(errno));
}

/* After the producer's join: what it never submitted (a stop came
 * first) is never-started work. The names are claimed in list order as
 * the producer would have, so they are the names of a whole run. */
static void books_left_unread(struct books_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_listjob *lj;
	struct book_job *j = r->unsubmitted;

	r->unsubmitted = NULL;
	if (j) {
		books_left(r, j, "not started", NULL);
		book_job_free(j);
	}
	if (!r->failed || !r->stopped_early) {
		books_warn_ignored(r);
		return;
	}
	while (fp_listfile_next(r->lf, &lj) == 1) {
		if (lj->error) {
			fp_listjob_free(lj);
			continue;
		}
		j = books_make_job(r, lj);
		fp_listjob_free(lj);
		if (!j)
			abort();
		j->list_title = j->title != NULL;
		if (fp_run_shard_keeps(o, j->source ? j->source : j->url))
			books_left(r, j, "not started", NULL);
		book_job_free(j);
	}
	books_warn_ignored(r);
}

static enum fp_job_status books_done(void *ctx, struct fp_engine_job *ej,
				     bool *fatal)
{
	struct books_run *r = ctx;
	struct book_job *j = (struct book_job *)ej;
	struct fp_out *out = r->base.out;
	const char *t;
	enum fp_job_status st;

	if (fp_engine_job_dropped(ej)) {
		j->res = calloc(1, sizeof(*j->res));
		if (!j->res)
			abort();
		j->res->status = FP_FETCH_CANCELLED;
		snprintf(j->res->error, sizeof(j->res->error), "cancelled");
	}
	t = j->title ? j->title : j->name;
	r->bytes += j->res->bytes;
	fp_metrics_add_result(&r->metrics, j->res);
	switch (j->res->status) {
	case FP_FETCH_OK:
		st = FP_JOB_OK;
		fp_out_event(out, "Finished downloading %s", t);
		if (j->strip_bare)
			fp_out_error(out, "fetchpool: warning: %s: no Project "
					  "Gutenberg start or end marker; "
					  "published unchanged", j->name);
		books_report(r, j, FP_REPORT_OK);
		break;
	case FP_FETCH_UP_TO_DATE:
		st = FP_JOB_UP_TO_DATE;
		fp_out_event(out, "Up to date: %s", t);
		books_report(r, j, FP_REPORT_UP_TO_DATE);
		break;
	case FP_FETCH_FAILED:
		st = FP_JOB_FAILED;
		*fatal = j->res->permanent;
		fp_out_error(out, "Failed downloading %s: %s", t,
			     j->res->error);
		books_report(r, j, FP_REPORT_FAILED);
		books_left(r, j, "failed", j->res->error);
		break;
	case FP_FETCH_CANCELLED:
	default:
		st = FP_JOB_CANCELLED;
		if (!r->base.o->quiet || !atomic_load(&fp_runctl.signo))
			fp_out_error(out, "Cancelled downloading %s", t);
		books_report(r, j, FP_REPORT_CANCELLED);
		books_left(r, j, fp_engine_job_dropped(ej) ? "not started"
							    : "cancelled",
			   NULL);
		break;
	}
	book_job_free(j);
	return st;
}

static void books_count_invalid(struct books_run *r)
{
	if (r->base.engine)
		fp_engine_count(r->base.engine, FP_JOB_INVALID);
	else
		r->n_invalid_dry++;
}

static void books_event(void *ctx, int kind, void *data)
{
	struct books_run *r = ctx;
	struct fp_out *out = r->base.out;
	struct book_job *j = data;

	switch ((enum book_ev)kind) {
	case BOOK_START:
		fp_out_event(out, "Downloading %s...", j->title);
		break;
	case BOOK_INVALID:
		fp_out_error(out, "%s:%u: %s", r->list_name, j->line,
			     j->error);
		books_report(r, j, FP_REPORT_INVALID);
		book_job_free(j);
		books_count_invalid(r);
		break;
	case BOOK_READ_ERR:
		fp_out_error(out, "fetchpool: error reading '%s'",
			     r->list_name);
		books_count_invalid(r);
		break;
	case BOOK_IGNORED:
		books_warn_ignored(r);
		break;
	case BOOK_PLAN:
		fp_out_event(out, "%s -> %s/%s", j->display_url,
			     r->base.o->output_dir, j->name);
		book_job_free(j);
		break;
	}
}

static const struct fp_engine_ops books_ops = {
	.run = books_run_job,
	.done = books_done,
	.event = books_event,
	.tick = fp_run_tick,
};

/* ---- set-up ---------------------------------------------------------- */

static int books_open_dir(struct books_run *r, struct fp_dirlock **lock)
{
	struct fp_out *out = r->base.out;
	const char *dir = r->base.o->output_dir;
	struct fp_dirlock_busy busy;
	int rc;

	if (fp_run_mkdirs(dir, 0777)) {
		fp_out_error(out, "fetchpool: cannot create output "
				  "directory '%s': %s",
			     dir, strerror(errno));
		return FP_EXIT_USAGE;
	}
	r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		fp_out_error(out, "fetchpool: cannot open output directory "
				  "'%s': %s", dir, strerror(errno));
		return FP_EXIT_USAGE;
	}
	/* Shards of one list share the directory; anything else is
	 * alone in it (lib/dirlock.h). */
	rc = fp_dirlock_acquire_shard(r->dirfd, r->base.o->shard_k,
				      r->base.o->shard_n, lock, &busy);
	if (rc == FP_EBUSY) {
		char holder[96] = "another run";

		if (busy.shards && busy.shards != r->base.o->shard_n)
			snprintf(holder, sizeof(holder),
				 "the shards of --shard K/%u", busy.shards);
		if (busy.pid > 0)
			fp_out_error(out, "fetchpool: '%s/%s' is held by %s "
					  "(process %ld)",
				     dir, busy.name, holder, busy.pid);
		else
			fp_out_error(out, "fetchpool: '%s/%s' is held by %s",
				     dir, busy.name, holder);
		return FP_EXIT_LOCKED;
	}
	if (rc) {
		fp_out_error(out, "fetchpool: output directory '%s' is not "
				  "usable: %s", dir, strerror(errno));
		return FP_EXIT_USAGE;
	}
	return FP_EXIT_OK;
}

static void books_summary(struct books_run *r, int64_t elapsed_ms)
{
	struct fp_engine *e = r->base.engine;
	uint64_t ok = fp_engine_count_of(e, FP_JOB_OK),
		 up = fp_engine_count_of(e, FP_JOB_UP_TO_DATE),
		 failed = fp_engine_count_of(e, FP_JOB_FAILED),
		 cancelled = fp_engine_count_of(e, FP_JOB_CANCELLED),
		 invalid = fp_engine_count_of(e, FP_JOB_INVALID);
	char b[32], rate[32];
	double secs = (double)elapsed_ms / 1000.0;

	if (r->base.o->quiet && !failed && !cancelled && !invalid)
		return;
	/* The event lines first, also when stdout is a file or a pipe. */
	fflush(r->base.out->out);
	fp_units_bytes(secs > 0 ? (int64_t)((double)r->bytes / secs)
				: r->bytes,
		       rate, sizeof(rate));
	fp_out_error(r->base.out,
		     "fetchpool: %" PRIu64 " downloaded, %" PRIu64
		     " up to date, %" PRIu64 " failed, %" PRIu64
		     " cancelled, %" PRIu64 " invalid; %s in %.1fs (%s/s)%s",
		     ok, up, failed, cancelled, invalid,
		     fp_units_bytes(r->bytes, b, sizeof(b)), secs, rate,
		     fp_run_stop_note(&r->base));
}

/* Open the directory, its lock, state file and the report, then start
 * the engine. 0 or the exit status. */
static int books_start(struct books_run *r, struct fp_dirlock **lock)
{
	struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	struct fp_engine_config c;
	int rc = books_open_dir(r, lock);

	if (rc)
		return rc;
	if (fp_statefile_create(r->dirfd, &r->state) ||
	    fp_statefile_load(r->state))
		fp_out_error(out, "fetchpool: warning: cannot read "
				  "'%s/.fetchpool.state'; validators "
				  "start empty", o->output_dir);
	/* Validators reach the disk as files are published, not only at
	 * the end: a run killed before its save loses none. */
	if (r->state)
		fp_statefile_journal(r->state, o->fsync);
	if (o->report && fp_report_open(&r->report, o->report)) {
		fp_out_error(out, "fetchpool: cannot write report '%s': %s",
			     o->report, strerror(errno));
		return FP_EXIT_USAGE;
	}
	if (o->save_failed &&
	    fp_failedlist_open(&r->failed, o->save_failed)) {
		fp_out_error(out, "fetchpool: cannot write '%s': %s",
			     o->save_failed, strerror(errno));
		return FP_EXIT_USAGE;
	}
	fp_run_engine_config(&r->base, &c);
	c.queue_cap = BOOKS_PRELOAD;
	c.paused = true;
	c.dirfd = r->dirfd;
	c.durable = o->fsync;
	c.state = r->state;
	c.body_cap = FP_GUTENBERG_RDF_MAX;
	c.ops = &books_ops;
	c.ctx = r;
	if (fp_run_start(&r->base, &c, "files")) {
		fp_out_error(out, "fetchpool: cannot start workers");
		return FP_EXIT_FAILED;
	}
	return FP_EXIT_OK;
}

/* The run proper: the producer feeds the engine from its own thread. */
static int books_run_engine(struct books_run *r)
{
	struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	struct fp_engine *e = r->base.engine;
	int64_t t0 = fp_now_ms();
	pthread_t producer;
	int rc = FP_EXIT_OK;

	fp_engine_hold(e);
	if (pthread_create(&producer, NULL, books_producer, r)) {
		fp_out_error(out, "fetchpool: cannot start the producer "
				  "thread");
		fp_engine_release(e);
		fp_engine_cancel(e, FP_STOP_NONE);
		fp_engine_run(e);
		return FP_EXIT_FAILED;
	}
	fp_engine_run(e);
	pthread_join(producer, NULL);
	fp_run_end(&r->base);
	books_left_unread(r);

	if (r->state && fp_statefile_save(r->state))
		fp_out_error(out, "fetchpool: warning: cannot save "
				  "'%s/.fetchpool.state': %s",
			     o->output_dir, strerror(errno));
	if (r->report && fp_report_finish(r->report)) {
		fp_out_error(out, "fetchpool: cannot write report '%s': %s",
			     o->report, strerror(errno));
		rc = FP_EXIT_FAILED;
	}
	if (r->failed && fp_failedlist_finish(r->failed, o->fsync)) {
		fp_out_error(out, "fetchpool: cannot write '%s': %s",
			     o->save_failed, strerror(errno));
		rc = FP_EXIT_FAILED;
	}
	books_summary(r, fp_now_ms() - t0);
	return rc;
}

int fp_cmd_books(struct fp_opts *o, struct fp_out *out)
{
	struct books_run r;
	struct fp_dirlock *lock = NULL;
	FILE *in;
	struct stat st;
	int rc = 0, bad;

	memset(&r, 0, sizeof(r));
	r.base.o = o;
	r.base.out = out;
	r.dirfd = -1;
	fp_metrics_start(&r.metrics, "books");
	r.list_name = strcmp(o->args[0], "-") ? o->args[0] : "<stdin>";

	in = strcmp(o->args[0], "-") ? fopen(o->args[0], "r") : stdin;
	if (in && fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(in);
		in = NULL;
		errno = EISDIR;
	}
	if (!in) {
		fp_out_error(out, "fetchpool: cannot read '%s': %s",
			     o->args[0], strerror(errno));
		return FP_EXIT_USAGE;
	}
	if (fp_listfile_open(&r.lf, in, r.list_name) ||
	    fp_names_new(&r.names)) {
		fp_out_error(out, "fetchpool: out of memory");
		rc = FP_EXIT_USAGE;
		goto out;
	}
	if (o->dry_run) {
		books_produce(&r);
		rc = fp_run_exit_status(r.n_invalid_dry > 0);
		goto out;
	}
	rc = books_start(&r, &lock);
	if (rc)
		goto out;
	rc = books_run_engine(&r);
	bad = fp_engine_count_of(r.base.engine, FP_JOB_FAILED) ||
	      fp_engine_count_of(r.base.engine, FP_JOB_CANCELLED) ||
	      fp_engine_count_of(r.base.engine, FP_JOB_INVALID);
	if (!rc)
		rc = fp_run_exit_status(bad);
out:
	fp_run_end(&r.base);
	fp_metrics_take_jobs(&r.metrics, r.base.engine);
	fp_engine_destroy(r.base.engine);
	fp_report_free(r.report);
	fp_failedlist_free(r.failed);
	book_job_free(r.unsubmitted);
	fp_statefile_free(r.state);
	fp_names_free(r.names);
	fp_listfile_close(r.lf);
	fp_dirlock_release(lock);
	if (r.dirfd >= 0)
		close(r.dirfd);
	if (in && in != stdin)
		fclose(in);
	/* Not for a run refused by the lock: the run holding it writes
	 * its own when it ends. */
	if (rc != FP_EXIT_LOCKED)
		rc = fp_ops_metrics(o, out, &r.metrics, rc);
	return rc;
}
