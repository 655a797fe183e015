/* `fetchpool books FILE`: list file -> producer thread -> scheduler (worker
 * pool, semaphore) -> event channel -> this thread prints, reports, counts.
 *
 * Threads: the producer parses the list, names the files in file order and
 * queues the jobs; when the input ends it closes the scheduler, joins the
 * workers and closes the event channel. The main thread consumes events
 * until that close. Jobs removed from the queue by a cancellation are put
 * on a list (never into the bounded channel, whose only reader may be the
 * thread doing the cancelling) and reported at the end. */
#include "config.h"
#include "run.h"
#include "progress.h"

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
#define BOOKS_EVENTS 1024

enum book_ev { BOOK_START, BOOK_DONE, BOOK_INVALID, BOOK_PLAN, BOOK_READ_ERR };

struct book_job {
	struct books_run *run;
	struct book_job *next_dropped;
	unsigned line;
	char *source, *url, *display_url, *title, *name, *error;
	long id;
	int priority;
	int has_sha;
	unsigned char sha[32];
	/* Allocated when the job runs or is dropped: a queued job stays small
	 * (the 1 KiB error text would make 10,000 queued jobs cost 11 MB). */
	struct fp_fetch_result *res;
	int64_t elapsed_ms;
};

struct book_event {
	enum book_ev kind;
	struct book_job *job;
};

struct books_run {
	struct fp_opts *o;
	struct fp_out *out;
	int dirfd;
	struct fp_statefile *state;
	struct fp_report *report;
	struct fp_sem *sem;
	struct fp_share *share;
	struct fp_hostgate *gate;
	struct fp_sched *sched;
	struct fp_chan *events;
	struct fp_fetch_env env;
	struct fp_xfer_config xcfg;
	const char *list_name;
	struct fp_listfile *lf;
	struct fp_names *names;
	pthread_mutex_t dropped_mu;
	struct book_job *dropped;
	struct fp_run_tracer tracer;
	/* producer -> consumer, for the progress line */
	atomic_ulong queued;   /* jobs handed to the scheduler */
	atomic_int list_read;  /* the whole list is read: queued is final */
	/* consumer only */
	uint64_t n_ok, n_up, n_failed, n_cancelled, n_invalid;
	int64_t bytes;
	enum fp_stop stop;
	int64_t deadline_at; /* monotonic ms; 0: no --deadline */
	_Atomic int64_t rx;  /* body bytes received so far, for progress */
};

static void book_job_free(struct book_job *j)
{
	if (!j)
		return;
	free(j->source);
	free(j->url);
	free(j->display_url);
	free(j->title);
	free(j->name);
	free(j->error);
	free(j->res);
	free(j);
}

static void books_send(struct books_run *r, enum book_ev kind,
		       struct book_job *j)
{
	struct book_event *ev = malloc(sizeof(*ev));

	if (!ev)
		abort(); /* a lost event would lose a job's outcome */
	ev->kind = kind;
	ev->job = j;
	if (fp_chan_send(r->events, ev))
		abort(); /* the channel closes only after every sender */
}

/* ---- workers --------------------------------------------------------- */

static void *books_worker_init(void *udata, unsigned index)
{
	struct books_run *r = udata;

	(void)index;
	return fp_run_worker_new(r->share, &r->xcfg, FP_GUTENBERG_RDF_MAX);
}

static void books_worker_fini(void *udata, void *wctx)
{
	(void)udata;
	fp_run_worker_free(wctx);
}

/* The title from the book's RDF; "book ID" when that fails. */
static void books_title_from_rdf(struct books_run *r,
				 struct fp_run_worker *w,
				 struct book_job *j, struct fp_cancel *tok)
{
	struct fp_fetch_result res;
	char *url = fp_gutenberg_rdf_url(r->o->mirror, j->id);
	char *title = NULL;

	if (url) {
		fp_fetch_mem(&r->env, w->x, url, &w->body, tok, &res);
		if (res.status == FP_FETCH_OK &&
		    fp_gutenberg_rdf_title(w->body.data, w->body.len, &title) ==
			    FP_OK)
			j->title = title;
		fp_buf_reset(&w->body);
		free(url);
	}
	if (!j->title) {
		char buf[32];

		snprintf(buf, sizeof(buf), "book %ld", j->id);
		j->title = strdup(buf);
	}
}

/* "Downloading T..." once the body starts: a 304 or an error page prints
 * only its own line. */
static void books_on_body(void *ctx)
{
	struct book_job *j = ctx;

	books_send(j->run, BOOK_START, j);
}

static void books_job_run(void *arg, struct fp_cancel *tok, void *wctx)
{
	struct book_job *j = arg;
	struct books_run *r = j->run;
	struct fp_run_worker *w = wctx;
	int64_t t0 = fp_now_ms();
	struct fp_fetch_file_req req = { 0 };

	j->res = calloc(1, sizeof(*j->res));
	if (!j->res)
		abort(); /* a lost outcome would lose the job */
	if (fp_cancel_is_set(tok) || !w) {
		j->res->status = w ? FP_FETCH_CANCELLED : FP_FETCH_FAILED;
		snprintf(j->res->error, sizeof(j->res->error), "%s",
			 w ? "cancelled" : "out of memory");
		books_send(r, BOOK_DONE, j);
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
	req.name = j->name;
	req.sha256 = j->has_sha ? j->sha : NULL;
	req.on_body = r->o->quiet ? NULL : books_on_body;
	req.on_body_ctx = j;
	fp_fetch_file(&r->env, w->x, &req, tok, j->res);
	j->elapsed_ms = fp_now_ms() - t0;
	books_send(r, BOOK_DONE, j);
}

static void books_job_drop(void *arg)
{
	struct book_job *j = arg;
	struct books_run *r = j->run;

	j->res = calloc(1, sizeof(*j->res));
	if (!j->res)
		abort();
	j->res->status = FP_FETCH_CANCELLED;
	snprintf(j->res->error, sizeof(j->res->error), "cancelled");
	pthread_mutex_lock(&r->dropped_mu);
	j->next_dropped = r->dropped;
	r->dropped = j;
	pthread_mutex_unlock(&r->dropped_mu);
}

/* ---- producer -------------------------------------------------------- */

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
	j->id = lj->id;
	j->source = lj->source ? strdup(lj->source) : NULL;
	if (lj->title)
		j->title = strdup(lj->title);
	if (lj->has_sha256) {
		j->has_sha = 1;
		memcpy(j->sha, lj->sha256, sizeof(j->sha));
	}
	if (lj->id) {
		j->url = fp_gutenberg_text_url(r->o->mirror, lj->id);
		j->display_url = j->url ? fp_url_redact(j->url) : NULL;
		base = lj->out ? strdup(lj->out)
			       : fp_gutenberg_file_name(lj->id);
	} else {
		j->url = strdup(lj->url);
		j->display_url = fp_url_redact(lj->url);
		if (lj->out)
			base = strdup(lj->out);
		else if (fp_name_from_url(lj->url, &base))
			base = NULL;
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

static void *books_producer(void *arg)
{
	struct books_run *r = arg;
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
			books_send(r, BOOK_INVALID, j);
			continue;
		}
		j = books_make_job(r, lj);
		fp_listjob_free(lj);
		if (!j)
			abort(); /* out of memory while planning */
		/* The job was named first: a job has the same file name in
		 * every shard as in a run of the whole list, so shards that
		 * share a directory never collide. */
		if (!fp_run_shard_keeps(r->o,
					j->source ? j->source : j->url)) {
			book_job_free(j);
			continue;
		}
		if (r->o->dry_run) {
			books_send(r, BOOK_PLAN, j);
			continue;
		}
		if (fp_sched_add(r->sched, j->priority, books_job_run,
				 books_job_drop, j, NULL)) {
			book_job_free(j); /* cancelled: stop reading */
			break;
		}
		atomic_fetch_add(&r->queued, 1);
		if (++queued == BOOKS_PRELOAD)
			fp_sched_start(r->sched);
	}
	atomic_store(&r->list_read, 1);
	if (rc < 0)
		books_send(r, BOOK_READ_ERR, NULL);
	if (r->sched) {
		fp_sched_close(r->sched);
		fp_sched_join(r->sched);
	}
	fp_chan_close(r->events);
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
	snprintf(path, sizeof(path), "%s/%s", r->o->output_dir,
		 j->name ? j->name : "");
	rj.line = j->line;
	rj.source = j->source;
	rj.url = j->display_url;
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

static void books_cancel_all(struct books_run *r, enum fp_stop why)
{
	if (r->stop == FP_STOP_NONE)
		r->stop = why;
	if (r->sched)
		fp_sched_cancel_all(r->sched);
}

static void books_done(struct books_run *r, struct book_job *j)
{
	const char *t = j->title ? j->title : j->name;

	r->bytes += j->res->bytes;
	switch (j->res->status) {
	case FP_FETCH_OK:
		r->n_ok++;
		fp_out_event(r->out, "Finished downloading %s", t);
		books_report(r, j, FP_REPORT_OK);
		break;
	case FP_FETCH_UP_TO_DATE:
		r->n_up++;
		fp_out_event(r->out, "Up to date: %s", t);
		books_report(r, j, FP_REPORT_UP_TO_DATE);
		break;
	case FP_FETCH_FAILED:
		r->n_failed++;
		fp_out_error(r->out, "Failed downloading %s: %s", t,
			     j->res->error);
		books_report(r, j, FP_REPORT_FAILED);
		if (r->o->fail_fast && j->res->permanent)
			books_cancel_all(r, FP_STOP_FAIL_FAST);
		break;
	case FP_FETCH_CANCELLED:
		r->n_cancelled++;
		if (!r->o->quiet || !atomic_load(&fp_runctl.signo))
			fp_out_error(r->out, "Cancelled downloading %s", t);
		books_report(r, j, FP_REPORT_CANCELLED);
		break;
	}
	book_job_free(j);
}

static void books_event(struct books_run *r, struct book_event *ev)
{
	struct book_job *j = ev->job;

	switch (ev->kind) {
	case BOOK_START:
		fp_out_event(r->out, "Downloading %s...", j->title);
		break;
	case BOOK_DONE:
		books_done(r, j);
		break;
	case BOOK_INVALID:
		r->n_invalid++;
		fp_out_error(r->out, "%s:%u: %s", r->list_name, j->line,
			     j->error);
		books_report(r, j, FP_REPORT_INVALID);
		book_job_free(j);
		break;
	case BOOK_PLAN:
		fp_out_event(r->out, "%s -> %s/%s", j->display_url,
			     r->o->output_dir, j->name);
		book_job_free(j);
		break;
	case BOOK_READ_ERR:
		r->n_invalid++;
		fp_out_error(r->out, "fetchpool: error reading '%s'",
			     r->list_name);
		break;
	}
	free(ev);
}

/* Feed the progress line (if any) and draw it when due. */
static void books_progress(struct books_run *r, int64_t now)
{
	struct fp_progress *p = r->out->progress;

	if (!p)
		return;
	fp_progress_update(p, r->n_ok + r->n_up + r->n_failed +
				      r->n_cancelled,
			   atomic_load(&r->queued), atomic_load(&r->list_read),
			   atomic_load_explicit(&r->rx, memory_order_relaxed));
	fp_progress_tick(p, now);
}

static void books_consume(struct books_run *r)
{
	int64_t deadline = r->deadline_at ? r->deadline_at : -1;
	struct book_job *j;

	for (;;) {
		/* Wake for the deadline or the next progress line, whichever
		 * comes first; without either, just wait for events. */
		int64_t tick = fp_progress_next_ms(r->out->progress);
		int64_t until = deadline;
		void *item;
		int rc;

		if (tick >= 0 && (until < 0 || tick < until))
			until = tick;
		if (until >= 0)
			rc = fp_chan_recv_until(r->events, &item, until);
		else
			rc = fp_chan_recv(r->events, &item);
		if (rc == FP_ETIMEDOUT) {
			int64_t now = fp_now_ms();

			if (deadline >= 0 && now >= deadline) {
				books_cancel_all(r, FP_STOP_DEADLINE);
				deadline = -1;
			}
			books_progress(r, now);
			continue;
		}
		if (rc)
			break;
		books_event(r, item);
		if (r->out->progress)
			books_progress(r, fp_now_ms());
	}
	/* Jobs dropped from the queue, in no particular order. */
	while ((j = r->dropped)) {
		r->dropped = j->next_dropped;
		books_done(r, j);
	}
	/* The workers' tokens carry the same deadline, so the jobs may all
	 * have ended on it before this thread's timer fired. */
	if (r->stop == FP_STOP_NONE && r->deadline_at && r->n_cancelled &&
	    fp_now_ms() >= r->deadline_at)
		r->stop = FP_STOP_DEADLINE;
}

/* ---- set-up ---------------------------------------------------------- */

/* mkdir -p. */
static int books_mkdirs(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int books_open_dir(struct books_run *r, struct fp_dirlock **lock)
{
	const char *dir = r->o->output_dir;
	int rc;

	if (books_mkdirs(dir)) {
		fp_out_error(r->out, "fetchpool: cannot create output "
				     "directory '%s': %s",
			     dir, strerror(errno));
		return 2;
	}
	r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		fp_out_error(r->out, "fetchpool: cannot open output directory "
				     "'%s': %s", dir, strerror(errno));
		return 2;
	}
	rc = fp_dirlock_acquire(r->dirfd, lock);
	if (rc == FP_EBUSY) {
		long pid = fp_dirlock_owner(r->dirfd);

		if (pid > 0)
			fp_out_error(r->out, "fetchpool: '%s/.fetchpool.lock' "
					     "is held by another run (process "
					     "%ld)",
				     dir, pid);
		else
			fp_out_error(r->out, "fetchpool: '%s/.fetchpool.lock' "
					     "is held by another run",
				     dir);
		return 3;
	}
	if (rc) {
		fp_out_error(r->out, "fetchpool: output directory '%s' is not "
				     "usable: %s", dir, strerror(errno));
		return 2;
	}
	return 0;
}

/* Why the run ended early, for the summary line ("" if it did not). */
static const char *books_stop_note(const struct books_run *r)
{
	if (r->stop == FP_STOP_DEADLINE)
		return "; deadline reached";
	if (r->stop == FP_STOP_FAIL_FAST)
		return "; stopped by --fail-fast";
	return atomic_load(&fp_runctl.signo) ? "; interrupted" : "";
}

static void books_summary(struct books_run *r, int64_t elapsed_ms)
{
	char b[32], rate[32];
	double secs = (double)elapsed_ms / 1000.0;
	int bad = r->n_failed || r->n_cancelled || r->n_invalid;

	if (r->o->quiet && !bad)
		return;
	/* The event lines first, also when stdout is a file or a pipe. */
	fflush(r->out->out);
	fp_out_bytes(secs > 0 ? (int64_t)((double)r->bytes / secs) : r->bytes,
		     rate, sizeof(rate));
	fp_out_error(r->out,
		     "fetchpool: %" PRIu64 " downloaded, %" PRIu64
		     " up to date, %" PRIu64 " failed, %" PRIu64
		     " cancelled, %" PRIu64 " invalid; %s in %.1fs (%s/s)%s",
		     r->n_ok, r->n_up, r->n_failed, r->n_cancelled,
		     r->n_invalid, fp_out_bytes(r->bytes, b, sizeof(b)), secs,
		     rate,
		     books_stop_note(r));
}

static int books_start_engine(struct books_run *r)
{
	struct fp_sched_config sc = { 0 };

	if (fp_sem_create(&r->sem, r->o->max_conc) ||
	    fp_share_create(&r->share))
		return -1;
	if (fp_run_progress_start(r->o, r->out, r->sem, "files"))
		return -1;
	if (r->o->delay_ms > 0 && fp_hostgate_create(&r->gate, r->o->delay_ms))
		return -1;
	fp_run_xfer_config(r->o, &r->xcfg);
	r->env.sem = r->sem;
	r->env.dirfd = r->dirfd;
	r->env.durable = r->o->fsync;
	r->env.retries = r->o->retries;
	r->env.state = r->state;
	r->env.gate = r->gate;
	fp_run_tracer_init(&r->tracer, r->o, r->out);
	r->env.trace = r->o->verbose ? fp_run_trace : NULL;
	r->env.trace_ctx = &r->tracer;
	r->env.rx_bytes = &r->rx;
	sc.workers = r->o->max_conc;
	sc.capacity = BOOKS_PRELOAD;
	sc.flags = FP_SCHED_PAUSED;
	r->deadline_at =
		r->o->deadline_ms ? fp_now_ms() + r->o->deadline_ms : 0;
	sc.deadline_ms = r->deadline_at;
	sc.worker_init = books_worker_init;
	sc.worker_fini = books_worker_fini;
	sc.udata = r;
	if (fp_sched_create(&r->sched, &sc))
		return -1;
	fp_runctl_attach(r->sched);
	return 0;
}

int fp_cmd_books(struct fp_opts *o, struct fp_out *out)
{
	struct books_run r;
	struct fp_dirlock *lock = NULL;
	FILE *in;
	pthread_t producer;
	int64_t t0 = fp_now_ms();
	int rc = 0, bad;

	memset(&r, 0, sizeof(r));
	atomic_init(&r.rx, 0);
	r.o = o;
	r.out = out;
	r.dirfd = -1;
	pthread_mutex_init(&r.dropped_mu, NULL);
	r.list_name = strcmp(o->args[0], "-") ? o->args[0] : "<stdin>";

	in = strcmp(o->args[0], "-") ? fopen(o->args[0], "r") : stdin;
	if (!in) {
		fp_out_error(out, "fetchpool: cannot read '%s': %s",
			     o->args[0], strerror(errno));
		return 2;
	}
	if (fp_listfile_open(&r.lf, in, r.list_name) ||
	    fp_names_new(&r.names) ||
	    fp_chan_create(&r.events, BOOKS_EVENTS, NULL)) {
		fp_out_error(out, "fetchpool: out of memory");
		rc = 2;
		goto out;
	}
	if (!o->dry_run) {
		rc = books_open_dir(&r, &lock);
		if (rc)
			goto out;
		if (fp_statefile_create(r.dirfd, &r.state) ||
		    fp_statefile_load(r.state))
			fp_out_error(out, "fetchpool: warning: cannot read "
					  "'%s/.fetchpool.state'; validators "
					  "start empty", o->output_dir);
		if (o->report && fp_report_open(&r.report, o->report)) {
			fp_out_error(out, "fetchpool: cannot write report "
					  "'%s': %s",
				     o->report, strerror(errno));
			rc = 2;
			goto out;
		}
		if (books_start_engine(&r)) {
			fp_out_error(out, "fetchpool: cannot start workers");
			rc = 1;
			goto out;
		}
	}

	if (pthread_create(&producer, NULL, books_producer, &r)) {
		fp_out_error(out, "fetchpool: cannot start the producer "
				  "thread");
		rc = 1;
		goto out;
	}
	books_consume(&r);
	pthread_join(producer, NULL);
	fp_runctl_detach();
	fp_run_progress_stop(out);

	if (r.state && fp_statefile_save(r.state))
		fp_out_error(out, "fetchpool: warning: cannot save "
				  "'%s/.fetchpool.state': %s",
			     o->output_dir, strerror(errno));
	if (r.report && fp_report_finish(r.report)) {
		fp_out_error(out, "fetchpool: cannot write report '%s': %s",
			     o->report, strerror(errno));
		rc = 1;
	}
	if (!o->dry_run)
		books_summary(&r, fp_now_ms() - t0);
	bad = r.n_failed || r.n_cancelled || r.n_invalid;
	if (!rc)
		rc = fp_run_exit_status(bad);
out:
	fp_runctl_detach();
	fp_sched_destroy(r.sched);
	fp_run_progress_stop(out);
	fp_report_free(r.report);
	fp_statefile_free(r.state);
	fp_hostgate_destroy(r.gate);
	fp_share_destroy(r.share);
	fp_sem_destroy(r.sem);
	fp_chan_destroy(r.events);
	fp_names_free(r.names);
	fp_listfile_close(r.lf);
	fp_dirlock_release(lock);
	if (r.dirfd >= 0)
		close(r.dirfd);
	if (in && in != stdin)
		fclose(in);
	pthread_mutex_destroy(&r.dropped_mu);
	return rc;
}
