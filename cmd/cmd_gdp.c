/* `fetchpool gdp`: World Bank records through the same engine as books,
 * then aggregated (lib/gdpagg.c), sorted, formatted and summarised.
 *
 * Jobs: one per requested country, or page 1 of country/all (whose answer
 * tells the page count; the done handler then submits pages 2..N, fetched
 * concurrently), plus the country list (to tell aggregates from
 * countries). Several indicators go into as few requests as the API's
 * limits allow (fp_wb_indicator_split()): each country, or country/all,
 * once per batch. A selection by group (--region, --income, --lending) or
 * --aggregates other than include needs the country list before the data:
 * then the data jobs are submitted when its last page is done. While a
 * first page is out more jobs may come, so the run holds the engine open
 * for it: the progress total is final once none is out. Jobs are
 * submitted from this thread only and never exceed the engine's queue, so
 * a submit never waits. See doc/DESIGN.md, "Data flow: one gdp run". */
#include "config.h"
#include "commands.h"
#include "opsout.h"
#include "run.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	size_t batch;    /* which indicators (GDP_COUNTRY, GDP_PAGE) */
	const char *ind; /* the run's, read-only: one code or "A;B" */
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
	/* Indicators: the codes in order (pointing into ind_buf), the
	 * batches of one request each and their "A;B" segments. Read-only
	 * once set up (workers read a job's segment). */
	char *ind_buf;
	const char **inds;
	size_t nind;
	struct fp_wb_batch *batches;
	char **batch_ids;
	size_t nbatches;
	bool gdp_only;   /* exactly the default indicator: today's forms */
	bool multi_year; /* several dates per economy: a line per date */
	char source[16]; /* "" when --source was not given */
	struct fp_wb_groups groups;
	enum fp_gdp_aggsel aggsel;
	bool list_first;     /* the data wait for the whole country list */
	unsigned clist_out;  /* country list pages not done yet */
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
	if (j->kind == GDP_CLIST) {
		j->parse_rc = fp_wb_parse_countries(w->body.data, w->body.len,
						    &j->clist, j->err,
						    sizeof(j->err));
		return;
	}
	j->parse_rc = fp_wb_parse_data(w->body.data, w->body.len,
				       j->kind == GDP_COUNTRY ? j->code : "all",
				       &j->data, j->err, sizeof(j->err));
	/* A reply without indicator ids answers the one asked for. */
	if (j->parse_rc == FP_OK && !strchr(j->ind, ';'))
		fp_wb_page_fill_indicator(&j->data, j->ind);
}

static void gdp_job_free(struct gdp_job *j)
{
	free(j->url);
	fp_wb_page_free(&j->data);
	fp_wb_countries_free(&j->clist);
	free(j);
}

/* The query of the run's data requests, without country and page. */
static void gdp_query(const struct gdp_run *r, struct fp_wb_query *q)
{
	const struct fp_opts *o = r->base.o;

	memset(q, 0, sizeof(*q));
	q->base = o->api_url;
	q->date = r->date[0] ? r->date : NULL;
	q->per_page = (int)o->per_page;
	q->format = r->format;
	q->source = r->source[0] ? r->source : NULL;
	q->mrv = (int)o->mrv;
	q->mrnev = (int)o->mrnev;
	q->gapfill = o->gapfill != 0;
}

static int gdp_queue(struct gdp_run *r, enum gdp_kind kind, const char *code,
		     int page, size_t batch)
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
	j->batch = batch;
	j->ind = r->batch_ids[batch];
	if (code)
		snprintf(j->code, sizeof(j->code), "%s", code);
	if (kind == GDP_CLIST) {
		rc = fp_wb_country_list_url(r->base.o->api_url,
					    GDP_CLIST_PER_PAGE, page,
					    r->format, &j->url);
	} else {
		gdp_query(r, &q);
		q.country = kind == GDP_COUNTRY ? code : "all";
		q.indicator = j->ind;
		q.page = page;
		rc = fp_wb_data_url_alloc(&q, &j->url);
	}
	if (rc) {
		free(j);
		return rc;
	}
	/* A first page may bring more pages: the total is not final. */
	if (page == 1)
		fp_engine_hold(r->base.engine);
	j->ej.url = j->url;
	rc = fp_engine_submit(r->base.engine, FP_PRIO_DEFAULT, &j->ej);
	if (rc) {
		if (page == 1)
			fp_engine_release(r->base.engine);
		gdp_job_free(j);
		return rc;
	}
	r->njobs++;
	if (kind == GDP_CLIST)
		r->clist_out++;
	return FP_OK;
}

/* What a job asks for, for messages: the country or page, and in a run
 * that is not GDP-only its indicators (by name when short). */
static const char *gdp_job_subject(const struct gdp_run *r,
				   const struct gdp_job *j, char *buf,
				   size_t len)
{
	const struct fp_wb_batch *b = &r->batches[j->batch];
	size_t n;

	if (j->kind == GDP_COUNTRY)
		snprintf(buf, len, "%s", j->code);
	else if (j->kind == GDP_PAGE)
		snprintf(buf, len, "page %d of all economies", j->page);
	else
		snprintf(buf, len, "country list page %d", j->page);
	if (j->kind == GDP_CLIST || r->gdp_only)
		return buf;
	n = strlen(buf);
	if (strlen(j->ind) <= 64)
		snprintf(buf + n, len - n, " (%s)", j->ind);
	else
		snprintf(buf + n, len - n, " (indicators %zu-%zu of %zu)",
			 b->first + 1, b->first + b->n, r->nind);
	return buf;
}

/* Records as they arrive, when the output is lines in completion order. */
static void gdp_print_now(struct gdp_run *r, const struct fp_wb_page *p)
{
	FILE *f;
	size_t i;

	if (r->output != FP_GDP_OUT_LINES ||
	    r->sort != FP_GDP_SORT_COMPLETION || !r->gdp_only)
		return;
	f = fp_out_data_begin(r->base.out);
	for (i = 0; i < p->nrecords; i++)
		if (fp_gdpagg_selected(&r->agg, p->records[i].code) &&
		    fp_gdpout_agg_prints(r->aggsel, p->records[i].aggregate))
			fp_gdpout_line(f, &p->records[i]);
	fp_out_data_end(r->base.out);
}

/* Queue pages 2..PAGES after the first page of a request. A reply that
 * claims more pages than a run may fetch is an error for that request,
 * never a flood of requests or messages. */
static int gdp_queue_rest(struct gdp_run *r, const struct gdp_job *j,
			  long pages)
{
	char subject[128];
	long p;
	int rc;

	if (j->page > 1 || pages <= 1)
		return FP_OK;
	gdp_job_subject(r, j, subject, sizeof(subject));
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
			       (int)p, j->batch);
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
	char subject[128];
	int cancelled = j->res.status == FP_FETCH_CANCELLED;

	gdp_job_subject(r, j, subject, sizeof(subject));
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
		fp_out_error(r->base.out, "fetchpool: gdp: %s: %s (%s)",
			     subject, j->res.error, j->url);
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
	/* With the list in first, records know what they are as they come
	 * (for --aggregates); otherwise they are marked at the end. */
	if (r->list_first)
		fp_wb_page_mark(&j->data, &r->agg.clist);
	gdp_print_now(r, &j->data);
	if (fp_gdpagg_add_page(&r->agg, &j->data)) {
		fp_out_error(r->base.out, "fetchpool: out of memory");
		r->failures++;
		return FP_JOB_FAILED;
	}
	return FP_JOB_OK;
}

/* The data requests: every batch of indicators for country/all, or for
 * each selected country. FP_OK, or the error (already reported). */
static int gdp_queue_data(struct gdp_run *r)
{
	size_t b, i;
	int rc = FP_OK;

	for (b = 0; !rc && b < r->nbatches; b++) {
		if (r->ncodes == 0)
			rc = gdp_queue(r, GDP_PAGE, NULL, 1, b);
		for (i = 0; !rc && i < r->ncodes; i++)
			if (fp_gdpagg_selected(&r->agg, r->codes[i]))
				rc = gdp_queue(r, GDP_COUNTRY, r->codes[i], 0,
					       b);
	}
	if (rc && rc != FP_ECLOSED)
		fp_out_error(r->base.out, "fetchpool: gdp: cannot plan the "
					  "requests: %s",
			     fp_strerror(rc));
	return rc == FP_ECLOSED ? FP_OK : rc;
}

/* One group code of the selection names no entry of the country list:
 * a typo, or a code the World Bank retired. */
static int gdp_group_unknown(struct gdp_run *r, const char *opt,
			     const char *code, size_t field)
{
	const struct fp_wb_countries *l = &r->agg.clist;
	size_t i;

	if (!code[0])
		return 0;
	for (i = 0; i < l->n; i++) {
		const char *have = (const char *)&l->items[i] + field;

		if (!strcasecmp(have, code))
			return 0;
	}
	fp_out_error(r->base.out, "fetchpool: gdp: --%s '%s' matches no "
				  "economy of the country list",
		     opt, code);
	return 1;
}

/* The whole country list is in (or failed): select by group and submit
 * the data requests. 0, or 1 when the run cannot go on. */
static int gdp_list_complete(struct gdp_run *r)
{
	int bad;

	if (r->clist_failed) {
		fp_out_error(r->base.out, "fetchpool: gdp: cannot select "
					  "economies without the country "
					  "list; nothing else was fetched");
		r->failures++;
		return 1;
	}
	/* Selected first, so that the summary counts no economy as
	 * missing when the selection is refused. */
	fp_gdpagg_select(&r->agg, &r->groups);
	bad = gdp_group_unknown(r, "region", r->groups.region,
				offsetof(struct fp_wb_country, region));
	bad |= gdp_group_unknown(r, "income", r->groups.income,
				 offsetof(struct fp_wb_country, income));
	bad |= gdp_group_unknown(r, "lending", r->groups.lending,
				 offsetof(struct fp_wb_country, lending));
	if (bad) {
		r->failures++;
		return 1;
	}
	if (gdp_queue_data(r)) {
		r->failures++;
		return 1;
	}
	return 0;
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
	if (j->kind == GDP_CLIST && --r->clist_out == 0 && r->list_first &&
	    gdp_list_complete(r))
		st = FP_JOB_FAILED;
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

/* The output of a run of several indicators (or one that is not GDP). */
static int gdp_print_multi(struct gdp_run *r, FILE *f,
			   const struct fp_wb_record *view, size_t nview,
			   const struct fp_gdp_summary *sums)
{
	const struct fp_gdpagg *a = &r->agg;
	enum fp_gdp_unit *units;
	double *vals;
	size_t k, i, n;
	int rc = FP_OK;

	if (r->output == FP_GDP_OUT_CSV)
		return fp_gdpout_csv_long(f, view, nview);
	if (r->output == FP_GDP_OUT_JSON)
		return fp_gdpout_json_multi(f, r->inds, r->nind, view, nview,
					    sums);
	units = calloc(r->nind, sizeof(*units));
	vals = malloc((a->nrecs ? a->nrecs : 1) * sizeof(*vals));
	if (!units || !vals) {
		free(units);
		free(vals);
		return FP_ENOMEM;
	}
	/* One unit per indicator, from all its values (not only those
	 * that print), so it does not depend on --aggregates; GDP keeps
	 * the billions of the GDP-only lines, so its column reads the same
	 * in every run. */
	for (k = 0; k < r->nind; k++) {
		if (!strcmp(r->inds[k], FP_WB_DEFAULT_INDICATOR)) {
			units[k] = FP_GDP_UNIT_B;
			continue;
		}
		for (i = 0, n = 0; i < a->nrecs; i++)
			if (!strcmp(a->recs[i].indicator, r->inds[k]))
				vals[n++] = a->recs[i].value;
		units[k] = fp_gdpout_unit(vals, n);
	}
	rc = fp_gdpout_multi_lines(f, view, nview, r->inds, units, r->nind,
				   r->multi_year);
	for (k = 0; rc == FP_OK && k < r->nind; k++)
		rc = fp_gdpout_summary_ind(f, r->inds[k], units[k], &sums[k]);
	free(units);
	free(vals);
	return rc;
}

static int gdp_print(struct gdp_run *r)
{
	struct fp_gdp_summary sum, *sums = NULL;
	struct fp_gdpagg *a = &r->agg;
	struct fp_wb_record *view = NULL;
	size_t nview = 0;
	FILE *f;
	int rc;

	if (r->gdp_only) {
		rc = fp_gdpagg_finish(a, r->sort, &sum);
	} else {
		sums = calloc(r->nind, sizeof(*sums));
		rc = sums ? fp_gdpagg_finish_multi(a, r->inds, r->nind,
						   r->sort, sums)
			  : FP_ENOMEM;
	}
	if (!rc)
		rc = fp_gdpagg_view(a, r->aggsel, &view, &nview);
	if (rc) {
		free(sums);
		return rc;
	}
	f = fp_out_data_begin(r->base.out);
	if (!r->gdp_only) {
		rc = gdp_print_multi(r, f, view, nview, sums);
	} else {
		switch (r->output) {
		case FP_GDP_OUT_LINES:
			if (r->sort == FP_GDP_SORT_COMPLETION)
				rc = fp_gdpout_summary(f, &sum);
			else
				rc = fp_gdpout_lines(f, view, nview, &sum);
			break;
		case FP_GDP_OUT_CSV:
			rc = fp_gdpout_csv(f, view, nview);
			break;
		case FP_GDP_OUT_JSON:
			rc = fp_gdpout_json(f, r->inds[0], view, nview, &sum);
			break;
		}
	}
	fp_out_data_end(r->base.out);
	free(view);
	free(sums);
	return rc;
}

/* --dry-run: the first requests, one "URL -> what" line each. */
static int gdp_dry_run(struct gdp_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	struct fp_wb_query q;
	const char *when = r->list_first ? ", once the country list is in" : "";
	char *url = NULL;
	size_t b, i;
	int rc = FP_OK;

	gdp_query(r, &q);
	if (r->shard_empty)
		return FP_EXIT_OK;
	rc = fp_wb_country_list_url(o->api_url, GDP_CLIST_PER_PAGE, 1,
				    r->format, &url);
	if (rc == FP_OK)
		fp_out_event(out, "%s -> country list, page 1 (further "
				  "pages as it says)", url);
	free(url);
	for (b = 0; rc == FP_OK && b < r->nbatches; b++) {
		q.indicator = r->batch_ids[b];
		if (r->ncodes == 0) {
			q.country = "all";
			q.page = 1;
			rc = fp_wb_data_url_alloc(&q, &url);
			if (rc == FP_OK)
				fp_out_event(out, "%s -> all economies, page 1 "
						  "(further pages as it "
						  "says)%s",
					     url, when);
			free(url);
		}
		q.page = 0;
		for (i = 0; rc == FP_OK && i < r->ncodes; i++) {
			q.country = r->codes[i];
			rc = fp_wb_data_url_alloc(&q, &url);
			if (rc == FP_OK)
				fp_out_event(out, "%s -> %s%s", url,
					     r->codes[i],
					     r->list_first ? " (if selected)"
							   : "");
			free(url);
		}
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

/* --indicator: codes separated by commas, checked, at most 60, no code
 * twice; then the batches of one request each. 0 or the exit status. */
static int gdp_indicators(struct gdp_run *r)
{
	const struct fp_opts *o = r->base.o;
	struct fp_out *out = r->base.out;
	struct fp_wb_query q;
	size_t i, k, n = 1;
	char *p;
	long nb;

	for (p = (char *)o->indicator; *p; p++)
		n += *p == ',';
	r->ind_buf = strdup(o->indicator);
	r->inds = calloc(n, sizeof(*r->inds));
	r->batches = calloc(n, sizeof(*r->batches));
	r->batch_ids = calloc(n, sizeof(*r->batch_ids));
	if (!r->ind_buf || !r->inds || !r->batches || !r->batch_ids)
		return FP_EXIT_FAILED;
	if (n > FP_WB_MAX_INDICATORS) {
		fp_out_error(out, "fetchpool: --indicator: at most %d codes, "
				  "got %zu",
			     FP_WB_MAX_INDICATORS, n);
		return FP_EXIT_USAGE;
	}
	/* strtok would skip empty fields; they are errors here. */
	for (p = r->ind_buf, i = 0; i < n; i++) {
		char *c = strchr(p, ',');

		if (c)
			*c = '\0';
		r->inds[i] = p;
		p = c ? c + 1 : p + strlen(p);
	}
	r->nind = n;
	for (i = 0; i < n; i++) {
		if (fp_wb_indicator_check(r->inds[i])) {
			fp_out_error(out, "fetchpool: invalid value '%s' for "
					  "--indicator: expected codes of "
					  "letters, digits, '.', '_' or '-' "
					  "(1..%d characters), separated by "
					  "commas",
				     r->inds[i], FP_WB_INDICATOR_MAX);
			return FP_EXIT_USAGE;
		}
		for (k = 0; k < i; k++) {
			if (!strcasecmp(r->inds[k], r->inds[i])) {
				fp_out_error(out, "fetchpool: --indicator: "
						  "'%s' is given twice",
					     r->inds[i]);
				return FP_EXIT_USAGE;
			}
		}
	}
	r->gdp_only = n == 1 && !strcmp(r->inds[0], FP_WB_DEFAULT_INDICATOR);
	/* Split for the longest URL the run makes: a 3-character country
	 * (or "all") and the largest page number. */
	gdp_query(r, &q);
	q.country = "all";
	q.page = GDP_MAX_PAGES;
	nb = fp_wb_indicator_split(r->inds, n, &q, r->batches);
	if (nb < 0) {
		fp_out_error(out, "fetchpool: gdp: cannot fit a request "
				  "under the API's %d characters per URL: %s",
			     FP_WB_MAX_URL, fp_strerror((int)nb));
		return FP_EXIT_USAGE;
	}
	r->nbatches = (size_t)nb;
	for (i = 0; i < r->nbatches; i++) {
		const struct fp_wb_batch *b = &r->batches[i];
		size_t len = 0;

		for (k = 0; k < b->n; k++)
			len += strlen(r->inds[b->first + k]) + 1;
		r->batch_ids[i] = malloc(len);
		if (!r->batch_ids[i])
			return FP_EXIT_FAILED;
		r->batch_ids[i][0] = '\0';
		for (k = 0; k < b->n; k++) {
			if (k)
				strcat(r->batch_ids[i], ";");
			strcat(r->batch_ids[i], r->inds[b->first + k]);
		}
	}
	return FP_EXIT_OK;
}

/* A group code: 2 or 3 letters or digits, in upper case in OUT. */
static int gdp_group(struct gdp_run *r, const char *opt, const char *val,
		     char out[8])
{
	char c[4];

	if (!val)
		return 0;
	if (fp_wb_code_check(val, c)) {
		fp_out_error(r->base.out, "fetchpool: invalid value '%s' for "
					  "--%s: expected a group code of 2 "
					  "or 3 letters or digits",
			     val, opt);
		return 1;
	}
	memcpy(out, c, sizeof(c));
	return 0;
}

/* The options that shape the requests, checked together. 0 or the exit
 * status. */
static int gdp_selection(struct gdp_run *r)
{
	const struct fp_opts *o = r->base.o;

	if (o->gapfill && !o->mrv) {
		fp_out_error(r->base.out, "fetchpool: --gapfill needs --mrv");
		return FP_EXIT_USAGE;
	}
	if (o->source)
		snprintf(r->source, sizeof(r->source), "%u", o->source);
	if (gdp_group(r, "region", o->region, r->groups.region) ||
	    gdp_group(r, "income", o->income, r->groups.income) ||
	    gdp_group(r, "lending", o->lending, r->groups.lending))
		return FP_EXIT_USAGE;
	fp_gdpout_parse_aggsel(o->aggregates, &r->aggsel);
	r->list_first = !fp_wb_groups_empty(&r->groups) ||
			r->aggsel != FP_GDP_AGG_INCLUDE;
	r->multi_year = (o->date_from && o->date_from != o->date_to) ||
			o->mrv > 1 || o->mrnev > 1;
	return gdp_indicators(r);
}

/* Free what the setup made beside the aggregation. */
static void gdp_run_free(struct gdp_run *r)
{
	size_t i;

	for (i = 0; r->batch_ids && i < r->nbatches; i++)
		free(r->batch_ids[i]);
	free(r->batch_ids);
	free(r->batches);
	free(r->inds);
	free(r->ind_buf);
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
	if (!rc)
		rc = gdp_selection(r);
	if (rc || o->dry_run)
		return rc;
	if ((r->ncodes ? r->ncodes : 1) * r->nbatches > GDP_MAX_JOBS / 2) {
		fp_out_error(r->base.out, "fetchpool: gdp: %zu countries "
					  "times %zu requests of indicators "
					  "is more than %d requests",
			     r->ncodes, r->nbatches, GDP_MAX_JOBS / 2);
		return FP_EXIT_USAGE;
	}
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
 * or each country, once per batch of indicators; with list_first the
 * data wait (gdp_list_complete()). */
static int gdp_queue_first(struct gdp_run *r)
{
	size_t i;
	int rc = FP_OK;

	if (r->shard_empty)
		return FP_OK;
	rc = gdp_queue(r, GDP_CLIST, NULL, 1, 0);
	if (rc || r->list_first)
		return rc; /* the data follow the whole list */
	for (i = 0; !rc && i < r->nbatches; i++) {
		size_t k;

		if (r->ncodes == 0)
			rc = gdp_queue(r, GDP_PAGE, NULL, 1, i);
		for (k = 0; !rc && k < r->ncodes; k++)
			rc = gdp_queue(r, GDP_COUNTRY, r->codes[k], 0, i);
	}
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
	gdp_run_free(&r);
	return fp_ops_metrics(o, out, &r.metrics, rc);
}
