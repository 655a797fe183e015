/* `fetchpool gdp`: World Bank records through the same engine as books,
 * then aggregated (lib/gdpagg.c), sorted, formatted and summarised.
 *
 * Jobs: one per requested country, or page 1 of country/all (whose answer
 * tells the page count; the done handler then submits pages 2..N, fetched
 * concurrently), plus the country list (to tell aggregates from
 * countries). While a first page is out more jobs may come, so the run
 * holds the engine open for it: the progress total is final once none is
 * out. Jobs are submitted from this thread only and never exceed the
 * engine's queue, so a submit never waits. */
#include "config.h"
#include "commands.h"
#include "opsout.h"
#include "run.h"

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
	struct fp_engine_job ej; /* first: the engine hands this back */
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
	struct fp_run base; /* first: fp_run_tick's context */
	enum fp_wb_format format;
	enum fp_gdp_output output;
	enum fp_gdp_sort sort;
	char date[16];
	unsigned njobs;   /* submitted, for the cap */
	unsigned failures;
	int shard_empty;  /* --shard left no country: fetch nothing */
	int clist_failed;
	struct fp_gdpagg agg;
	char (*codes)[4]; /* the COUNTRY arguments, checked, this shard's */
	size_t ncodes;
	struct fp_metrics metrics; /* --metrics */
};

static void gdp_run_job(void *ctx, struct fp_engine_job *ej,
			struct fp_engine_worker *w, struct fp_cancel *tok)
{
	struct gdp_job *j = (struct gdp_job *)ej;

	(void)ctx;
	fp_fetch_mem(w->env, &w->permit, j->url, &w->body, tok, &j->res);
	if (j->res.status != FP_FETCH_OK)
		return;
	if (j->kind == GDP_CLIST)
		j->parse_rc = fp_wb_parse_countries(w->body.data, w->body.len,
						    &j->clist, j->err,
						    sizeof(j->err));
	else
		j->parse_rc = fp_wb_parse_data(
			w->body.data, w->body.len,
			j->kind == GDP_COUNTRY ? j->code : "all", &j->data,
			j->err, sizeof(j->err));
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
	struct gdp_job *j;
	struct fp_wb_query q = { 0 };
	int rc;

	if (r->njobs >= GDP_MAX_JOBS)
		return FP_ETOOBIG;
	j = calloc(1, sizeof(*j));
	if (!j)
		return FP_ENOMEM;
	j->kind = kind;
	j->page = page;
	if (code)
		snprintf(j->code, sizeof(j->code), "%s", code);
	if (kind == GDP_CLIST) {
		rc = fp_wb_country_list_url(r->base.o->api_url,
					    GDP_CLIST_PER_PAGE, page,
					    r->format, &j->url);
	} else {
		q.base = r->base.o->api_url;
		q.country = kind == GDP_COUNTRY ? code : "all";
		q.indicator = r->base.o->indicator;
		q.date = r->date[0] ? r->date : NULL;
		q.per_page = (int)r->base.o->per_page;
		q.page = page;
		q.format = r->format;
		rc = fp_wb_data_url_alloc(&q, &j->url);
	}
	if (rc) {
		free(j);
		return rc;
	}
	/* A first page may bring more pages: the total is not final. */
	if (page == 1)
		fp_engine_hold(r->base.engine);
	rc = fp_engine_submit(r->base.engine, FP_PRIO_DEFAULT, &j->ej);
	if (rc) {
		if (page == 1)
			fp_engine_release(r->base.engine);
		gdp_job_free(j);
		return rc;
	}
	r->njobs++;
	return FP_OK;
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

/* Records as they arrive, when the output is lines in completion order. */
static void gdp_print_now(struct gdp_run *r, const struct fp_wb_page *p)
{
	FILE *f;
	size_t i;

	if (r->output != FP_GDP_OUT_LINES || r->sort != FP_GDP_SORT_COMPLETION)
		return;
	f = fp_out_data_begin(r->base.out);
	for (i = 0; i < p->nrecords; i++)
		fp_gdpout_line(f, &p->records[i]);
	fp_out_data_end(r->base.out);
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
		fp_out_error(r->base.out, "fetchpool: gdp: %s: the API reports "
					  "%ld pages, more than %d; use a "
					  "larger --per-page (%s)",
			     subject, pages, GDP_MAX_PAGES, j->url);
		return FP_ETOOBIG;
	}
	for (p = 2; p <= pages; p++) {
		rc = gdp_queue(r, j->kind,
			       j->kind == GDP_COUNTRY ? j->code : NULL,
			       (int)p);
		if (rc == FP_ECLOSED)
			return FP_OK; /* the run is stopping */
		if (rc) {
			fp_out_error(r->base.out, "fetchpool: gdp: %s: cannot "
						  "queue page %ld: %s",
				     subject, p, fp_strerror(rc));
			return rc;
		}
	}
	return FP_OK;
}

/* A request that brought no data: say why, once. */
static enum fp_job_status gdp_failed(struct gdp_run *r, struct gdp_job *j,
				     bool *fatal)
{
	char subject[64];
	int cancelled = j->res.status == FP_FETCH_CANCELLED;

	gdp_job_subject(j, subject, sizeof(subject));
	if (j->kind == GDP_CLIST) {
		r->clist_failed = 1;
	} else {
		r->failures++;
		if (j->kind == GDP_COUNTRY)
			fp_gdpagg_fail(&r->agg, j->code);
		*fatal = !cancelled;
	}
	if (cancelled)
		fp_out_error(r->base.out, "fetchpool: gdp: %s: cancelled",
			     subject);
	else if (j->parse_rc)
		fp_out_error(r->base.out, "fetchpool: gdp: %s: %s (%s)",
			     subject, j->err, j->url);
	else
		fp_out_error(r->base.out, "fetchpool: gdp: %s: %s", subject,
			     j->res.error);
	return cancelled ? FP_JOB_CANCELLED : FP_JOB_FAILED;
}

static enum fp_job_status gdp_take(struct gdp_run *r, struct gdp_job *j)
{
	if (j->kind == GDP_CLIST) {
		if (fp_gdpagg_add_countries(&r->agg, &j->clist) != FP_OK ||
		    gdp_queue_rest(r, j, j->clist.pages)) {
			r->clist_failed = 1;
			return FP_JOB_FAILED;
		}
		return FP_JOB_OK;
	}
	if (gdp_queue_rest(r, j, j->data.pages)) {
		r->failures++;
		if (j->kind == GDP_COUNTRY)
			fp_gdpagg_fail(&r->agg, j->code);
		return FP_JOB_FAILED;
	}
	gdp_print_now(r, &j->data);
	if (fp_gdpagg_add_page(&r->agg, &j->data)) {
		fp_out_error(r->base.out, "fetchpool: out of memory");
		r->failures++;
		return FP_JOB_FAILED;
	}
	return FP_JOB_OK;
}

static enum fp_job_status gdp_done(void *ctx, struct fp_engine_job *ej,
				   bool *fatal)
{
	struct gdp_run *r = ctx;
	struct gdp_job *j = (struct gdp_job *)ej;
	enum fp_job_status st;

	if (fp_engine_job_dropped(ej)) {
		j->res.status = FP_FETCH_CANCELLED;
		snprintf(j->res.error, sizeof(j->res.error), "cancelled");
	}
	fp_metrics_add_result(&r->metrics, &j->res);
	if (j->res.status != FP_FETCH_OK || j->parse_rc)
		st = gdp_failed(r, j, fatal);
	else
		st = gdp_take(r, j);
	if (j->page == 1)
		fp_engine_release(r->base.engine);
	gdp_job_free(j);
	return st;
}

static const struct fp_engine_ops gdp_ops = {
	.run = gdp_run_job,
	.done = gdp_done,
	.tick = fp_run_tick,
};

static int gdp_print(struct gdp_run *r)
{
	struct fp_gdp_summary sum;
	struct fp_gdpagg *a = &r->agg;
	FILE *f;
	int rc = fp_gdpagg_finish(a, r->sort, &sum);

	if (rc)
		return rc;
	f = fp_out_data_begin(r->base.out);
	switch (r->output) {
	case FP_GDP_OUT_LINES:
		if (r->sort == FP_GDP_SORT_COMPLETION)
			rc = fp_gdpout_summary(f, &sum);
		else
			rc = fp_gdpout_lines(f, a->recs, a->nrecs, &sum);
		break;
	case FP_GDP_OUT_CSV:
		rc = fp_gdpout_csv(f, a->recs, a->nrecs);
		break;
	case FP_GDP_OUT_JSON:
		rc = fp_gdpout_json(f, r->base.o->indicator, a->recs, a->nrecs,
				    &sum);
		break;
	}
	fp_out_data_end(r->base.out);
	return rc;
}

/* --dry-run: the first requests, one "URL -> what" line each. */
static int gdp_dry_run(struct gdp_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	struct fp_wb_query q = { 0 };
	char *url = NULL;
	size_t i;
	int rc = FP_OK;

	q.base = o->api_url;
	q.indicator = o->indicator;
	q.date = r->date[0] ? r->date : NULL;
	q.per_page = (int)o->per_page;
	q.format = r->format;
	if (r->shard_empty)
		return FP_EXIT_OK;
	rc = fp_wb_country_list_url(o->api_url, GDP_CLIST_PER_PAGE, 1,
				    r->format, &url);
	if (rc == FP_OK)
		fp_out_event(out, "%s -> country list, page 1 (further "
				  "pages as it says)", url);
	free(url);
	if (rc == FP_OK && r->ncodes == 0) {
		q.country = "all";
		q.page = 1;
		rc = fp_wb_data_url_alloc(&q, &url);
		if (rc == FP_OK)
			fp_out_event(out, "%s -> all economies, page 1 "
					  "(further pages as it says)",
				     url);
		free(url);
	}
	for (i = 0; rc == FP_OK && i < r->ncodes; i++) {
		q.country = r->codes[i];
		rc = fp_wb_data_url_alloc(&q, &url);
		if (rc == FP_OK)
			fp_out_event(out, "%s -> %s", url, r->codes[i]);
		free(url);
	}
	if (rc) {
		fp_out_error(out, "fetchpool: gdp: cannot plan the "
				  "requests: %s",
			     fp_strerror(rc));
		return FP_EXIT_USAGE;
	}
	return FP_EXIT_OK;
}

/* Check the COUNTRY arguments and keep this shard's. 0 or the exit
 * status. */
static int gdp_codes(struct gdp_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	size_t i, k = 0;

	if (o->nargs > GDP_MAX_JOBS / 2) {
		fp_out_error(out, "fetchpool: gdp: at most %d countries",
			     GDP_MAX_JOBS / 2);
		return FP_EXIT_USAGE;
	}
	r->codes = calloc((size_t)o->nargs + 1, sizeof(*r->codes));
	if (!r->codes)
		return FP_EXIT_FAILED;
	for (i = 0; i < (size_t)o->nargs; i++) {
		if (fp_wb_code_check(o->args[i], r->codes[k])) {
			fp_out_error(out, "fetchpool: gdp: invalid country "
					  "code '%s': expected 2 or 3 "
					  "letters or digits (ISO3 or ISO2)",
				     o->args[i]);
			return FP_EXIT_USAGE;
		}
		if (fp_run_shard_keeps(o, r->codes[k]))
			k++;
	}
	/* The pages of all economies cannot be split ahead of page 1;
	 * country codes can. */
	if (o->shard_n && !o->nargs) {
		fp_out_error(out, "fetchpool: gdp: --shard splits the "
				  "COUNTRY codes given; give some");
		return FP_EXIT_USAGE;
	}
	r->ncodes = k;
	r->shard_empty = o->shard_n && k == 0;
	return FP_EXIT_OK;
}

static int gdp_setup(struct gdp_run *r)
{
	struct fp_opts *o = r->base.o;
	struct fp_engine_config c;
	int rc;

	r->format = !strcmp(o->format, "xml") ? FP_WB_XML : FP_WB_JSON;
	fp_gdpout_parse_output(o->output, &r->output);
	fp_gdpout_parse_sort(o->sort, &r->sort);
	if (o->year)
		snprintf(r->date, sizeof(r->date), "%d", o->year);
	else if (o->date_from)
		snprintf(r->date, sizeof(r->date), "%d:%d", o->date_from,
			 o->date_to);
	rc = gdp_codes(r);
	if (rc || o->dry_run)
		return rc;
	if (fp_gdpagg_init(&r->agg, r->codes, r->ncodes))
		return FP_EXIT_FAILED;
	fp_run_engine_config(&r->base, &c);
	if (!c.xfer.max_size || c.xfer.max_size > GDP_BODY_CAP)
		c.xfer.max_size = GDP_BODY_CAP;
	c.queue_cap = GDP_MAX_JOBS;
	c.body_cap = GDP_BODY_CAP;
	c.ops = &gdp_ops;
	c.ctx = r;
	if (fp_run_start(&r->base, &c, "requests"))
		return FP_EXIT_FAILED;
	return FP_EXIT_OK;
}

/* The first requests: the country list, then every economy's first page
 * or each country. */
static int gdp_queue_first(struct gdp_run *r)
{
	size_t i;
	int rc = FP_OK;

	if (r->shard_empty)
		return FP_OK;
	rc = gdp_queue(r, GDP_CLIST, NULL, 1);
	if (!rc && r->ncodes == 0)
		rc = gdp_queue(r, GDP_PAGE, NULL, 1);
	for (i = 0; !rc && i < r->ncodes; i++)
		rc = gdp_queue(r, GDP_COUNTRY, r->codes[i], 0);
	return rc;
}

int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out)
{
	struct gdp_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.base.o = o;
	r.base.out = out;
	fp_metrics_start(&r.metrics, "gdp");
	rc = gdp_setup(&r);
	if (rc)
		goto out;
	if (o->dry_run) {
		rc = gdp_dry_run(&r);
		goto out;
	}

	rc = gdp_queue_first(&r);
	if (rc) {
		fp_out_error(out, "fetchpool: gdp: cannot plan the requests: "
				  "%s",
			     fp_strerror(rc));
		fp_engine_cancel(r.base.engine, FP_STOP_NONE);
	}
	fp_engine_run(r.base.engine);
	fp_run_end(&r.base);

	if (r.clist_failed && r.ncodes == 0)
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
	fp_run_end(&r.base);
	fp_metrics_take_jobs(&r.metrics, r.base.engine);
	fp_engine_destroy(r.base.engine);
	fp_gdpagg_free(&r.agg);
	free(r.codes);
	return fp_ops_metrics(o, out, &r.metrics, rc);
}
