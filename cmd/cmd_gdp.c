/* `fetchpool gdp`: World Bank records through the same pool, semaphore and
 * channels as books, then sorted, formatted and summarised.
 *
 * Jobs: one per requested country, or page 1 of country/all (whose answer
 * tells the page count; the consumer then queues pages 2..N, fetched
 * concurrently), plus the country list (to tell aggregates from countries).
 * The number of jobs is bounded, so the event channel is made big enough
 * for every job's result: a cancellation may then post results from any
 * thread, the consumer's own included, without ever blocking. */
#include "config.h"
#include "run.h"
#include "progress.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GDP_MAX_JOBS 8192
#define GDP_MAX_PAGES 4000 /* per request: 17,290 records at --per-page 5 */
#define GDP_BODY_CAP (64 * 1024 * 1024)
#define GDP_CLIST_PER_PAGE 1000

enum gdp_kind { GDP_COUNTRY, GDP_PAGE, GDP_CLIST };

struct gdp_job {
	struct gdp_run *run;
	enum gdp_kind kind;
	char code[4]; /* GDP_COUNTRY */
	int page;
	char *url;
	struct fp_fetch_result res;
	int parse_rc;
	char err[512];
	struct fp_wb_page data;
	struct fp_wb_countries clist;
};

struct gdp_run {
	struct fp_opts *o;
	struct fp_out *out;
	struct fp_sem *sem;
	struct fp_share *share;
	struct fp_sched *sched;
	struct fp_chan *events;
	struct fp_fetch_env env;
	struct fp_xfer_config xcfg;
	struct fp_run_tracer tracer;
	enum fp_wb_format format;
	enum fp_gdp_output output;
	enum fp_gdp_sort sort;
	char date[16];
	unsigned pending;
	unsigned finished;    /* requests done, for the progress line */
	unsigned discovering; /* first pages out: more pages may follow */
	unsigned failures;
	int64_t bytes;
	int shard_empty; /* --shard left no country: fetch nothing */
	enum fp_stop stop;
	/* collected */
	struct fp_wb_record *recs;
	size_t nrecs, arecs;
	struct fp_wb_countries clist;
	int have_clist, clist_failed;
	char (*requested)[4];
	size_t nrequested;
	unsigned char *req_failed;
};

static void *gdp_worker_init(void *udata, unsigned index)
{
	struct gdp_run *r = udata;

	(void)index;
	return fp_run_worker_new(r->share, &r->xcfg, GDP_BODY_CAP);
}

static void gdp_worker_fini(void *udata, void *wctx)
{
	(void)udata;
	fp_run_worker_free(wctx);
}

static void gdp_post(struct gdp_job *j)
{
	if (fp_chan_send(j->run->events, j))
		abort(); /* sized for every job: cannot be full or closed */
}

static void gdp_job_run(void *arg, struct fp_cancel *tok, void *wctx)
{
	struct gdp_job *j = arg;
	struct fp_run_worker *w = wctx;

	if (!w) {
		j->res.status = FP_FETCH_FAILED;
		snprintf(j->res.error, sizeof(j->res.error), "out of memory");
		gdp_post(j);
		return;
	}
	fp_fetch_mem(&j->run->env, w->x, j->url, &w->body, tok, &j->res);
	if (j->res.status == FP_FETCH_OK) {
		if (j->kind == GDP_CLIST)
			j->parse_rc = fp_wb_parse_countries(
				w->body.data, w->body.len, &j->clist, j->err,
				sizeof(j->err));
		else
			j->parse_rc = fp_wb_parse_data(
				w->body.data, w->body.len,
				j->kind == GDP_COUNTRY ? j->code : "all",
				&j->data, j->err, sizeof(j->err));
	}
	fp_buf_reset(&w->body);
	gdp_post(j);
}

static void gdp_job_drop(void *arg)
{
	struct gdp_job *j = arg;

	j->res.status = FP_FETCH_CANCELLED;
	snprintf(j->res.error, sizeof(j->res.error), "cancelled");
	gdp_post(j);
}

static void gdp_job_free(struct gdp_job *j)
{
	free(j->url);
	fp_wb_page_free(&j->data);
	fp_wb_countries_free(&j->clist);
	free(j);
}

static int gdp_queue(struct gdp_run *r, enum gdp_kind kind, const char *code,
		     int page)
{
	struct gdp_job *j = calloc(1, sizeof(*j));
	struct fp_wb_query q = { 0 };
	int rc;

	if (!j)
		return FP_ENOMEM;
	if (r->pending >= GDP_MAX_JOBS) {
		free(j);
		return FP_ETOOBIG;
	}
	j->run = r;
	j->kind = kind;
	j->page = page;
	if (code)
		snprintf(j->code, sizeof(j->code), "%s", code);
	if (kind == GDP_CLIST) {
		rc = fp_wb_country_list_url(r->o->api_url, GDP_CLIST_PER_PAGE,
					    page, r->format, &j->url);
	} else {
		q.base = r->o->api_url;
		q.country = kind == GDP_COUNTRY ? code : "all";
		q.indicator = r->o->indicator;
		q.date = r->date[0] ? r->date : NULL;
		q.per_page = (int)r->o->per_page;
		q.page = page;
		q.format = r->format;
		rc = fp_wb_data_url_alloc(&q, &j->url);
	}
	if (rc) {
		free(j);
		return rc;
	}
	rc = fp_sched_add(r->sched, 3, gdp_job_run, gdp_job_drop, j, NULL);
	if (rc) {
		gdp_job_free(j);
		return rc;
	}
	r->pending++;
	if (page == 1)
		r->discovering++;
	return FP_OK;
}

static void gdp_cancel_all(struct gdp_run *r, enum fp_stop why)
{
	if (r->stop == FP_STOP_NONE)
		r->stop = why;
	fp_sched_cancel_all(r->sched);
}

static const char *gdp_job_subject(const struct gdp_job *j, char *buf,
				   size_t len)
{
	if (j->kind == GDP_COUNTRY)
		snprintf(buf, len, "%s", j->code);
	else if (j->kind == GDP_PAGE)
		snprintf(buf, len, "page %d of all economies", j->page);
	else
		snprintf(buf, len, "country list page %d", j->page);
	return buf;
}

static void gdp_mark_failed(struct gdp_run *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->nrequested; i++)
		if (!strcmp(r->requested[i], code))
			r->req_failed[i] = 1;
}

/* Take the page's records (moving the names) into the collection. */
static int gdp_collect(struct gdp_run *r, struct fp_wb_page *p)
{
	size_t i;

	if (r->nrecs + p->nrecords > r->arecs) {
		size_t want = r->arecs ? r->arecs : 256;
		struct fp_wb_record *n;

		while (want < r->nrecs + p->nrecords)
			want *= 2;
		n = realloc(r->recs, want * sizeof(*n));
		if (!n)
			return FP_ENOMEM;
		r->recs = n;
		r->arecs = want;
	}
	if (r->output == FP_GDP_OUT_LINES &&
	    r->sort == FP_GDP_SORT_COMPLETION) {
		struct fp_progress *pr = fp_progress_covers(r->out->progress,
							    stdout)
						 ? r->out->progress
						 : NULL;

		fp_progress_hide(pr);
		for (i = 0; i < p->nrecords; i++)
			fp_gdpout_line(stdout, &p->records[i]);
		if (pr)
			fflush(stdout);
		fp_progress_show(pr);
	}
	for (i = 0; i < p->nrecords; i++) {
		r->recs[r->nrecs++] = p->records[i];
		p->records[i].name = NULL;
	}
	return FP_OK;
}

/* Queue pages 2..PAGES after the first page of a request. A reply that
 * claims more pages than a run may fetch is an error for that request,
 * never a flood of requests or messages. */
static int gdp_queue_rest(struct gdp_run *r, const struct gdp_job *j,
			  long pages)
{
	char subject[64];
	long p;
	int rc;

	if (j->page > 1 || pages <= 1)
		return FP_OK;
	gdp_job_subject(j, subject, sizeof(subject));
	if (pages > GDP_MAX_PAGES) {
		fp_out_error(r->out, "fetchpool: gdp: %s: the API reports %ld "
				     "pages, more than %d; use a larger "
				     "--per-page (%s)",
			     subject, pages, GDP_MAX_PAGES, j->url);
		return FP_ETOOBIG;
	}
	for (p = 2; p <= pages && !r->stop; p++) {
		rc = gdp_queue(r, j->kind, j->kind == GDP_COUNTRY ? j->code
								 : NULL,
			       (int)p);
		if (rc) {
			fp_out_error(r->out, "fetchpool: gdp: %s: cannot queue "
					     "page %ld: %s",
				     subject, p, fp_strerror(rc));
			return rc;
		}
	}
	return FP_OK;
}

static void gdp_done(struct gdp_run *r, struct gdp_job *j)
{
	char subject[64];

	r->pending--;
	r->finished++;
	r->bytes += j->res.bytes;
	if (j->page == 1)
		r->discovering--;
	if (j->res.status != FP_FETCH_OK || j->parse_rc) {
		const char *why = j->res.status != FP_FETCH_OK ? j->res.error
							       : j->err;

		if (j->kind == GDP_CLIST) {
			r->clist_failed = 1;
		} else {
			r->failures++;
			if (j->kind == GDP_COUNTRY)
				gdp_mark_failed(r, j->code);
		}
		if (j->res.status == FP_FETCH_CANCELLED)
			fp_out_error(r->out, "fetchpool: gdp: %s: cancelled",
				     gdp_job_subject(j, subject,
						     sizeof(subject)));
		else if (j->parse_rc)
			fp_out_error(r->out, "fetchpool: gdp: %s: %s (%s)",
				     gdp_job_subject(j, subject,
						     sizeof(subject)),
				     why, j->url);
		else
			fp_out_error(r->out, "fetchpool: gdp: %s: %s",
				     gdp_job_subject(j, subject,
						     sizeof(subject)),
				     why);
		if (r->o->fail_fast && j->kind != GDP_CLIST &&
		    j->res.status != FP_FETCH_CANCELLED)
			gdp_cancel_all(r, FP_STOP_FAIL_FAST);
		gdp_job_free(j);
		return;
	}
	switch (j->kind) {
	case GDP_CLIST:
		if (fp_wb_countries_append(&r->clist, &j->clist) == FP_OK)
			r->have_clist = 1;
		if (gdp_queue_rest(r, j, j->clist.pages))
			r->clist_failed = 1;
		break;
	case GDP_PAGE:
	case GDP_COUNTRY:
		if (gdp_queue_rest(r, j, j->data.pages)) {
			r->failures++;
			if (j->kind == GDP_COUNTRY)
				gdp_mark_failed(r, j->code);
		}
		if (gdp_collect(r, &j->data)) {
			fp_out_error(r->out, "fetchpool: out of memory");
			r->failures++;
		}
		break;
	}
	gdp_job_free(j);
}

/* Feed the progress line (if any) and draw it when due. The total is
 * final once no first page is out (only a first page adds requests). */
static void gdp_progress(struct gdp_run *r, int64_t now)
{
	struct fp_progress *p = r->out->progress;

	if (!p)
		return;
	fp_progress_update(p, r->finished, r->finished + r->pending,
			   r->discovering == 0, r->bytes);
	fp_progress_tick(p, now);
}

static void gdp_consume(struct gdp_run *r)
{
	int64_t deadline = r->o->deadline_ms ? fp_now_ms() + r->o->deadline_ms
					     : -1;

	while (r->pending > 0) {
		/* Wake for the deadline or the next progress line. */
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
				gdp_cancel_all(r, FP_STOP_DEADLINE);
				deadline = -1;
			}
			gdp_progress(r, now);
			continue;
		}
		if (rc)
			break;
		gdp_done(r, item);
		if (r->out->progress)
			gdp_progress(r, fp_now_ms());
	}
}

/* Economies asked for (or listed) that have no value. */
static size_t gdp_missing(struct gdp_run *r)
{
	size_t i, k, missing = 0;

	if (r->nrequested) {
		for (i = 0; i < r->nrequested; i++) {
			int found = 0;

			if (r->req_failed[i])
				continue;
			for (k = 0; k < r->nrecs && !found; k++) {
				const struct fp_wb_country *c =
					fp_wb_countries_find(&r->clist,
							     r->requested[i]);

				found = !strcmp(r->recs[k].code,
						r->requested[i]) ||
					(c && !strcmp(r->recs[k].code, c->id));
			}
			missing += !found;
		}
		return missing;
	}
	for (i = 0; i < r->clist.n; i++) {
		int found = 0;

		for (k = 0; k < r->nrecs && !found; k++)
			found = !strcmp(r->recs[k].code, r->clist.items[i].id);
		missing += !found;
	}
	return missing;
}

static int gdp_print(struct gdp_run *r)
{
	struct fp_gdp_summary sum;
	struct fp_wb_page marker = { 0 };
	int rc;

	marker.records = r->recs;
	marker.nrecords = r->nrecs;
	if (r->have_clist)
		fp_wb_page_mark(&marker, &r->clist);
	if (fp_gdpout_sort(r->recs, r->nrecs, r->sort))
		return FP_ENOMEM;
	rc = fp_gdpout_summarize(r->recs, r->nrecs, gdp_missing(r), &sum);
	if (rc)
		return rc;
	switch (r->output) {
	case FP_GDP_OUT_LINES:
		if (r->sort == FP_GDP_SORT_COMPLETION)
			rc = fp_gdpout_summary(stdout, &sum);
		else
			rc = fp_gdpout_lines(stdout, r->recs, r->nrecs, &sum);
		break;
	case FP_GDP_OUT_CSV:
		rc = fp_gdpout_csv(stdout, r->recs, r->nrecs);
		break;
	case FP_GDP_OUT_JSON:
		rc = fp_gdpout_json(stdout, r->o->indicator, r->recs, r->nrecs,
				    &sum);
		break;
	}
	return rc;
}

/* --dry-run: the first requests, one "URL -> what" line each. */
static int gdp_dry_run(struct gdp_run *r)
{
	struct fp_wb_query q = { 0 };
	char *url = NULL;
	size_t i;
	int rc = FP_OK;

	q.base = r->o->api_url;
	q.indicator = r->o->indicator;
	q.date = r->date[0] ? r->date : NULL;
	q.per_page = (int)r->o->per_page;
	q.format = r->format;
	if (r->shard_empty)
		return 0;
	rc = fp_wb_country_list_url(r->o->api_url, GDP_CLIST_PER_PAGE, 1,
				    r->format, &url);
	if (rc == FP_OK)
		fp_out_event(r->out, "%s -> country list, page 1 (further "
				     "pages as it says)", url);
	free(url);
	if (rc == FP_OK && r->nrequested == 0) {
		q.country = "all";
		q.page = 1;
		rc = fp_wb_data_url_alloc(&q, &url);
		if (rc == FP_OK)
			fp_out_event(r->out, "%s -> all economies, page 1 "
					     "(further pages as it says)",
				     url);
		free(url);
	}
	for (i = 0; rc == FP_OK && i < r->nrequested; i++) {
		q.country = r->requested[i];
		rc = fp_wb_data_url_alloc(&q, &url);
		if (rc == FP_OK)
			fp_out_event(r->out, "%s -> %s", url, r->requested[i]);
		free(url);
	}
	if (rc) {
		fp_out_error(r->out, "fetchpool: gdp: cannot plan the "
				     "requests: %s",
			     fp_strerror(rc));
		return 2;
	}
	return 0;
}

static int gdp_setup(struct gdp_run *r)
{
	struct fp_sched_config sc = { 0 };
	struct fp_opts *o = r->o;
	int i;

	r->format = !strcmp(o->format, "xml") ? FP_WB_XML : FP_WB_JSON;
	fp_gdpout_parse_output(o->output, &r->output);
	fp_gdpout_parse_sort(o->sort, &r->sort);
	if (o->year)
		snprintf(r->date, sizeof(r->date), "%d", o->year);
	else if (o->date_from)
		snprintf(r->date, sizeof(r->date), "%d:%d", o->date_from,
			 o->date_to);

	if (o->nargs > GDP_MAX_JOBS / 2) {
		fp_out_error(r->out, "fetchpool: gdp: at most %d countries",
			     GDP_MAX_JOBS / 2);
		return 2;
	}
	r->nrequested = (size_t)o->nargs;
	r->requested = calloc(r->nrequested + 1, sizeof(*r->requested));
	r->req_failed = calloc(r->nrequested + 1, 1);
	if (!r->requested || !r->req_failed)
		return 1;
	for (i = 0; i < o->nargs; i++) {
		if (fp_wb_code_check(o->args[i], r->requested[i])) {
			fp_out_error(r->out, "fetchpool: gdp: invalid "
					     "country code '%s': expected 2 "
					     "or 3 letters or digits (ISO3 "
					     "or ISO2)",
				     o->args[i]);
			return 2;
		}
	}
	if (o->shard_n) {
		size_t k = 0;

		/* The pages of all economies cannot be split ahead of
		 * page 1; country codes can. */
		if (!r->nrequested) {
			fp_out_error(r->out, "fetchpool: gdp: --shard splits "
					     "the COUNTRY codes given; give "
					     "some");
			return 2;
		}
		for (i = 0; i < o->nargs; i++)
			if (fp_run_shard_keeps(o, r->requested[i])) {
				if (k != (size_t)i)
					memcpy(r->requested[k],
					       r->requested[i], 4);
				k++;
			}
		r->nrequested = k;
		r->shard_empty = k == 0;
	}
	if (o->dry_run)
		return 0;

	if (fp_sem_create(&r->sem, o->max_conc) ||
	    fp_share_create(&r->share) ||
	    fp_chan_create(&r->events, GDP_MAX_JOBS + 16, NULL) ||
	    fp_run_progress_start(o, r->out, r->sem, "requests"))
		return 1;
	fp_run_xfer_config(o, &r->xcfg);
	if (!r->xcfg.max_size || r->xcfg.max_size > GDP_BODY_CAP)
		r->xcfg.max_size = GDP_BODY_CAP;
	r->env.sem = r->sem;
	r->env.dirfd = -1;
	r->env.retries = o->retries;
	fp_run_tracer_init(&r->tracer, o, r->out);
	r->env.trace = o->verbose ? fp_run_trace : NULL;
	r->env.trace_ctx = &r->tracer;
	sc.workers = o->max_conc;
	sc.capacity = GDP_MAX_JOBS;
	sc.deadline_ms = o->deadline_ms ? fp_now_ms() + o->deadline_ms : 0;
	sc.worker_init = gdp_worker_init;
	sc.worker_fini = gdp_worker_fini;
	sc.udata = r;
	if (fp_sched_create(&r->sched, &sc))
		return 1;
	fp_runctl_attach(r->sched);
	return 0;
}

int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out)
{
	struct gdp_run r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.out = out;
	rc = gdp_setup(&r);
	if (rc)
		goto out;
	if (o->dry_run) {
		rc = gdp_dry_run(&r);
		goto out;
	}

	if (!r.shard_empty)
		rc = gdp_queue(&r, GDP_CLIST, NULL, 1);
	if (!rc && r.nrequested == 0 && !r.shard_empty)
		rc = gdp_queue(&r, GDP_PAGE, NULL, 1);
	for (i = 0; !rc && i < r.nrequested; i++)
		rc = gdp_queue(&r, GDP_COUNTRY, r.requested[i], 0);
	if (rc) {
		fp_out_error(out, "fetchpool: gdp: cannot plan the requests: "
				  "%s",
			     fp_strerror(rc));
		fp_sched_cancel_all(r.sched);
	}
	gdp_consume(&r);
	fp_sched_close(r.sched);
	fp_sched_join(r.sched);
	fp_runctl_detach();
	fp_run_progress_stop(out);

	if (r.clist_failed && r.nrequested == 0)
		r.failures++;
	if (r.clist_failed)
		fp_out_error(out, "fetchpool: gdp: warning: without the "
				  "country list every economy counts as a "
				  "country");
	if (gdp_print(&r)) {
		fp_out_error(out, "fetchpool: gdp: cannot write the output");
		r.failures++;
	}
	rc = fp_run_exit_status(r.failures > 0 || rc);
out:
	fp_runctl_detach();
	if (r.sched) {
		fp_sched_shutdown(r.sched);
		fp_sched_destroy(r.sched);
	}
	if (r.events) {
		void *item;

		fp_chan_close(r.events);
		while (fp_chan_recv(r.events, &item) == FP_OK)
			gdp_job_free(item);
	}
	fp_chan_destroy(r.events);
	fp_run_progress_stop(out);
	fp_share_destroy(r.share);
	fp_sem_destroy(r.sem);
	for (i = 0; i < r.nrecs; i++)
		free(r.recs[i].name);
	free(r.recs);
	fp_wb_countries_free(&r.clist);
	free(r.requested);
	free(r.req_failed);
	return rc;
}
