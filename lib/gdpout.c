/* Output formats of `fetchpool gdp` (see gdpout.h). */
#include "gdpout.h"
#include "error.h"
#include "sort.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

int fp_gdpout_parse_output(const char *name, enum fp_gdp_output *out)
{
	if (name == NULL)
		return FP_EINVAL;
	if (strcmp(name, "lines") == 0)
		*out = FP_GDP_OUT_LINES;
	else if (strcmp(name, "csv") == 0)
		*out = FP_GDP_OUT_CSV;
	else if (strcmp(name, "json") == 0)
		*out = FP_GDP_OUT_JSON;
	else
		return FP_EINVAL;
	return FP_OK;
}

int fp_gdpout_parse_sort(const char *name, enum fp_gdp_sort *out)
{
	if (name == NULL)
		return FP_EINVAL;
	if (strcmp(name, "completion") == 0)
		*out = FP_GDP_SORT_COMPLETION;
	else if (strcmp(name, "code") == 0)
		*out = FP_GDP_SORT_CODE;
	else if (strcmp(name, "value") == 0)
		*out = FP_GDP_SORT_VALUE;
	else
		return FP_EINVAL;
	return FP_OK;
}

int fp_gdpout_parse_aggsel(const char *name, enum fp_gdp_aggsel *out)
{
	if (name == NULL)
		return FP_EINVAL;
	if (strcmp(name, "include") == 0)
		*out = FP_GDP_AGG_INCLUDE;
	else if (strcmp(name, "exclude") == 0)
		*out = FP_GDP_AGG_EXCLUDE;
	else if (strcmp(name, "only") == 0)
		*out = FP_GDP_AGG_ONLY;
	else
		return FP_EINVAL;
	return FP_OK;
}

int fp_gdpout_agg_prints(enum fp_gdp_aggsel sel, bool aggregate)
{
	switch (sel) {
	case FP_GDP_AGG_EXCLUDE:
		return !aggregate;
	case FP_GDP_AGG_ONLY:
		return aggregate;
	case FP_GDP_AGG_INCLUDE:
		break;
	}
	return 1;
}

int fp_gdpout_billions(double v, char *buf, size_t size)
{
	char tmp[400];

	if (!isfinite(v))
		return snprintf(buf, size, "n/a");
	snprintf(tmp, sizeof(tmp), "%.1f", v / 1e9);
	/* A small negative value rounds to "-0.0": print it as zero. */
	if (strcmp(tmp, "-0.0") == 0)
		return snprintf(buf, size, "0.0B");
	return snprintf(buf, size, "%sB", tmp);
}

static int go_cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

enum fp_gdp_unit fp_gdpout_unit(const double *v, size_t n)
{
	static const double size[] = { 1e3, 1e6, 1e9, 1e12 };
	double *a, med;
	size_t i, k = 0;
	int u;

	if (n == 0 || v == NULL)
		return FP_GDP_UNIT_NONE;
	a = malloc(n * sizeof(*a));
	if (a == NULL)
		return FP_GDP_UNIT_NONE;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			a[k++] = fabs(v[i]);
	if (k == 0) {
		free(a);
		return FP_GDP_UNIT_NONE;
	}
	qsort(a, k, sizeof(*a), go_cmp_double);
	med = k % 2 ? a[k / 2] : a[k / 2 - 1] / 2 + a[k / 2] / 2;
	free(a);
	for (u = 4; u > 0; u--)
		if (med >= size[u - 1])
			return (enum fp_gdp_unit)u;
	return FP_GDP_UNIT_NONE;
}

int fp_gdpout_scaled(double v, enum fp_gdp_unit u, char *buf, size_t size)
{
	static const double div[] = { 1, 1e3, 1e6, 1e9, 1e12 };
	static const char *const suf[] = { "", "K", "M", "B", "T" };
	char tmp[400];

	if (!isfinite(v))
		return snprintf(buf, size, "n/a");
	if ((unsigned)u > FP_GDP_UNIT_T)
		u = FP_GDP_UNIT_NONE;
	snprintf(tmp, sizeof(tmp), "%.1f", v / div[u]);
	if (strcmp(tmp, "-0.0") == 0)
		return snprintf(buf, size, "0.0%s", suf[u]);
	return snprintf(buf, size, "%s%s", tmp, suf[u]);
}

void fp_gdpout_value(double v, char *buf, size_t size)
{
	int prec;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (!isfinite(v))
		return;
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static int go_check(FILE *f)
{
	return ferror(f) ? FP_EIO : FP_OK;
}

int fp_gdpout_line(FILE *f, const struct fp_wb_record *r)
{
	char b[64];

	fp_gdpout_billions(r->value, b, sizeof(b));
	if (fprintf(f, "country: %s GDP: %s\n", r->code, b) < 0)
		return FP_EIO;
	return FP_OK;
}

static int go_cmp_code(const void *pa, const void *pb)
{
	const struct fp_wb_record *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);

	if (c != 0)
		return c;
	if (a->year != b->year)
		return a->year > b->year ? -1 : 1;
	return 0;
}

static int go_cmp_value(const void *pa, const void *pb)
{
	const struct fp_wb_record *a = pa, *b = pb;
	bool fa = isfinite(a->value), fb = isfinite(b->value);

	/* Records without a finite value go last (in input order: the sort
	 * is stable). */
	if (!fa || !fb)
		return fa == fb ? 0 : (fa ? -1 : 1);
	return fp_stats_rank_cmp(a, b);
}

int fp_gdpout_sort(struct fp_wb_record *recs, size_t n, enum fp_gdp_sort how)
{
	if (how == FP_GDP_SORT_COMPLETION || n < 2)
		return how <= FP_GDP_SORT_VALUE ? FP_OK : FP_EINVAL;
	if (how != FP_GDP_SORT_CODE && how != FP_GDP_SORT_VALUE)
		return FP_EINVAL;
	return fp_sort_stable(recs, n, sizeof(*recs),
			      how == FP_GDP_SORT_CODE ? go_cmp_code
						      : go_cmp_value);
}

int fp_gdpout_summarize(const struct fp_wb_record *recs, size_t n,
			size_t missing, struct fp_gdp_summary *s)
{
	const struct fp_wb_record **cs = NULL;
	double *vals = NULL;
	size_t i, nc = 0, top[FP_GDP_TOP];
	long nt;
	int rc;

	memset(s, 0, sizeof(*s));
	if (n > 0 && recs == NULL)
		return FP_EINVAL;
	if (n > SIZE_MAX / sizeof(*vals))
		return FP_ENOMEM;
	cs = malloc((n ? n : 1) * sizeof(*cs));
	vals = malloc((n ? n : 1) * sizeof(*vals));
	if (cs == NULL || vals == NULL) {
		rc = FP_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(recs[i].value)) {
			rc = FP_EINVAL;
			goto out;
		}
		if (recs[i].aggregate) {
			s->aggregates++;
		} else {
			cs[nc] = &recs[i];
			vals[nc] = recs[i].value;
			nc++;
		}
	}
	s->economies = n;
	s->countries = nc;
	s->missing = missing;
	rc = fp_stats_compute(vals, nc, &s->stats);
	if (rc != FP_OK)
		goto out;
	nt = fp_stats_top(cs, nc, FP_GDP_TOP, top);
	if (nt < 0) {
		rc = (int)nt;
		goto out;
	}
	s->ntop = (size_t)nt;
	for (i = 0; i < s->ntop; i++) {
		memcpy(s->top[i].code, cs[top[i]]->code,
		       sizeof(s->top[i].code));
		s->top[i].value = cs[top[i]]->value;
	}
out:
	free(cs);
	free(vals);
	return rc;
}

/* The summary block; ID NULL: the GDP-only form (no name, billions). */
static int go_summary(FILE *f, const char *id, enum fp_gdp_unit u,
		      const struct fp_gdp_summary *s)
{
	char t[64], m[64], md[64], sp[FP_WB_INDICATOR_MAX + 2] = "";
	size_t i;

	if (id != NULL)
		snprintf(sp, sizeof(sp), " %s", id);
	fprintf(f,
		"summary%s: %zu economies with data (%zu countries, "
		"%zu aggregates), %zu without data\n",
		sp, s->economies, s->countries, s->aggregates, s->missing);
	if (s->countries == 0) {
		fprintf(f, "countries%s: no data\n", sp);
		return go_check(f);
	}
	fp_gdpout_scaled(s->stats.total, u, t, sizeof(t));
	fp_gdpout_scaled(s->stats.mean, u, m, sizeof(m));
	fp_gdpout_scaled(s->stats.median, u, md, sizeof(md));
	fprintf(f, "countries%s: total %s, mean %s, median %s\n", sp, t, m,
		md);
	fprintf(f, "top %zu%s:", s->ntop, sp);
	for (i = 0; i < s->ntop; i++) {
		fp_gdpout_scaled(s->top[i].value, u, t, sizeof(t));
		fprintf(f, "%s %s %s", i ? "," : "", s->top[i].code, t);
	}
	fputc('\n', f);
	return go_check(f);
}

int fp_gdpout_summary(FILE *f, const struct fp_gdp_summary *s)
{
	return go_summary(f, NULL, FP_GDP_UNIT_B, s);
}

int fp_gdpout_summary_ind(FILE *f, const char *id, enum fp_gdp_unit u,
			  const struct fp_gdp_summary *s)
{
	return go_summary(f, id ? id : FP_WB_DEFAULT_INDICATOR, u, s);
}

/* Grouping records into lines: the key of each, its first position. */
struct go_key {
	const struct fp_wb_record *r;
	size_t pos;   /* position in the input */
	size_t first; /* position of its group's first record */
};

static int go_cmp_key(const void *pa, const void *pb)
{
	const struct go_key *a = pa, *b = pb;

	return strcmp(a->r->code, b->r->code);
}

static int go_cmp_key_date(const void *pa, const void *pb)
{
	const struct go_key *a = pa, *b = pb;
	int c = strcmp(a->r->code, b->r->code);

	return c != 0 ? c : strcmp(a->r->date, b->r->date);
}

static int go_cmp_first(const void *pa, const void *pb)
{
	const struct go_key *a = pa, *b = pb;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return 0;
}

static long go_ind_rank(const char *const *ids, size_t nind, const char *id)
{
	size_t i;

	for (i = 0; i < nind; i++)
		if (strcmp(ids[i], id) == 0)
			return (long)i;
	return -1;
}

int fp_gdpout_multi_lines(FILE *f, const struct fp_wb_record *recs, size_t n,
			  const char *const *ids, const enum fp_gdp_unit *units,
			  size_t nind, bool with_date)
{
	int (*cmp)(const void *, const void *) =
		with_date ? go_cmp_key_date : go_cmp_key;
	struct go_key *k;
	double *vals;
	size_t i, j;
	int rc = FP_OK;

	if (n == 0)
		return FP_OK;
	k = malloc(n * sizeof(*k));
	vals = malloc((nind ? nind : 1) * sizeof(*vals));
	if (k == NULL || vals == NULL) {
		free(k);
		free(vals);
		return FP_ENOMEM;
	}
	for (i = 0; i < n; i++)
		k[i] = (struct go_key){ &recs[i], i, i };
	/* Group: equal keys become neighbours, in input order (stable);
	 * the first of each run is its group's first record. */
	if (fp_sort_stable(k, n, sizeof(*k), cmp) != FP_OK) {
		rc = FP_ENOMEM;
		goto out;
	}
	for (i = 1; i < n; i++)
		if (cmp(&k[i - 1], &k[i]) == 0)
			k[i].first = k[i - 1].first;
	if (fp_sort_stable(k, n, sizeof(*k), go_cmp_first) != FP_OK) {
		rc = FP_ENOMEM;
		goto out;
	}
	for (i = 0; rc == FP_OK && i < n; i = j) {
		for (j = 0; j < nind; j++)
			vals[j] = NAN;
		for (j = i; j < n && k[j].first == k[i].first; j++) {
			long r = go_ind_rank(ids, nind, k[j].r->indicator);

			if (r >= 0)
				vals[r] = k[j].r->value;
		}
		rc = fp_gdpout_multi_line(f, k[i].r->code,
					  with_date ? k[i].r->date : NULL, ids,
					  vals, units, nind);
	}
out:
	free(k);
	free(vals);
	return rc;
}

int fp_gdpout_multi_line(FILE *f, const char *code, const char *date,
			 const char *const *ids, const double *vals,
			 const enum fp_gdp_unit *units, size_t n)
{
	char b[64];
	size_t i;

	fprintf(f, "country: %s", code);
	if (date != NULL)
		fprintf(f, " %s", date);
	for (i = 0; i < n; i++) {
		fp_gdpout_scaled(vals[i], units[i], b, sizeof(b));
		fprintf(f, " %s: %s", ids[i], b);
	}
	fputc('\n', f);
	return go_check(f);
}

int fp_gdpout_lines(FILE *f, const struct fp_wb_record *recs, size_t n,
		    const struct fp_gdp_summary *s)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = fp_gdpout_line(f, &recs[i]);
		if (rc != FP_OK)
			return rc;
	}
	return fp_gdpout_summary(f, s);
}

int fp_gdpout_csv_header(FILE *f)
{
	fputs("code,name,year,value,aggregate\n", f);
	return go_check(f);
}

static void go_csv_field(FILE *f, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* A row of either CSV form; IND NULL: without the indicator column. */
static int go_csv_row(FILE *f, const struct fp_wb_record *r, const char *ind)
{
	char v[32];

	fp_gdpout_value(r->value, v, sizeof(v));
	go_csv_field(f, r->code);
	fputc(',', f);
	go_csv_field(f, r->name ? r->name : "");
	fputc(',', f);
	if (ind != NULL) {
		go_csv_field(f, ind);
		fputc(',', f);
	}
	go_csv_field(f, r->date);
	fprintf(f, ",%s,%s\n", v, r->aggregate ? "true" : "false");
	return go_check(f);
}

int fp_gdpout_csv_row(FILE *f, const struct fp_wb_record *r)
{
	return go_csv_row(f, r, NULL);
}

int fp_gdpout_csv_long_header(FILE *f)
{
	fputs("code,name,indicator,year,value,aggregate\n", f);
	return go_check(f);
}

int fp_gdpout_csv_long_row(FILE *f, const struct fp_wb_record *r)
{
	return go_csv_row(f, r, r->indicator);
}

int fp_gdpout_csv_long(FILE *f, const struct fp_wb_record *recs, size_t n)
{
	size_t i;
	int rc = fp_gdpout_csv_long_header(f);

	for (i = 0; rc == FP_OK && i < n; i++)
		rc = fp_gdpout_csv_long_row(f, &recs[i]);
	return rc;
}

int fp_gdpout_csv(FILE *f, const struct fp_wb_record *recs, size_t n)
{
	size_t i;
	int rc = fp_gdpout_csv_header(f);

	for (i = 0; rc == FP_OK && i < n; i++)
		rc = fp_gdpout_csv_row(f, &recs[i]);
	return rc;
}

/* A number, or null when V is not finite (no country records). */
static cJSON *go_json_num(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* A record; WITH_IND adds its indicator after the name. */
static cJSON *go_json_record(const struct fp_wb_record *r, bool with_ind)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	if (!cJSON_AddStringToObject(o, "code", r->code) ||
	    !cJSON_AddStringToObject(o, "name", r->name ? r->name : "") ||
	    (with_ind &&
	     !cJSON_AddStringToObject(o, "indicator", r->indicator)) ||
	    !(r->year != 0 ? cJSON_AddNumberToObject(o, "year", r->year)
			   : cJSON_AddStringToObject(o, "year", r->date)) ||
	    !cJSON_AddItemToObject(o, "value", go_json_num(r->value)) ||
	    !cJSON_AddBoolToObject(o, "aggregate", r->aggregate)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *go_json_summary(const struct fp_gdp_summary *s)
{
	cJSON *o = cJSON_CreateObject(), *top;
	bool have = s->countries > 0;
	size_t i;

	if (o == NULL)
		return NULL;
	if (!cJSON_AddNumberToObject(o, "countries", (double)s->countries) ||
	    !cJSON_AddNumberToObject(o, "aggregates", (double)s->aggregates) ||
	    !cJSON_AddNumberToObject(o, "missing", (double)s->missing) ||
	    !cJSON_AddItemToObject(o, "total",
				   go_json_num(have ? s->stats.total : NAN)) ||
	    !cJSON_AddItemToObject(o, "mean",
				   go_json_num(have ? s->stats.mean : NAN)) ||
	    !cJSON_AddItemToObject(
		    o, "median", go_json_num(have ? s->stats.median : NAN)) ||
	    (top = cJSON_AddArrayToObject(o, "top")) == NULL)
		goto fail;
	for (i = 0; i < s->ntop; i++) {
		cJSON *t = cJSON_CreateObject();

		if (t == NULL || !cJSON_AddItemToArray(top, t) ||
		    !cJSON_AddStringToObject(t, "code", s->top[i].code) ||
		    !cJSON_AddNumberToObject(t, "value", s->top[i].value))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

int fp_gdpout_json(FILE *f, const char *indicator,
		   const struct fp_wb_record *recs, size_t n,
		   const struct fp_gdp_summary *s)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *sum;
	char *text = NULL;
	size_t i;
	int rc = FP_ENOMEM;

	if (doc == NULL)
		return FP_ENOMEM;
	if (!cJSON_AddStringToObject(doc, "indicator",
				     indicator ? indicator
					       : FP_WB_DEFAULT_INDICATOR) ||
	    (arr = cJSON_AddArrayToObject(doc, "records")) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		cJSON *r = go_json_record(&recs[i], false);

		if (r == NULL || !cJSON_AddItemToArray(arr, r)) {
			cJSON_Delete(r);
			goto out;
		}
	}
	sum = go_json_summary(s);
	if (sum == NULL || !cJSON_AddItemToObject(doc, "summary", sum)) {
		cJSON_Delete(sum);
		goto out;
	}
	text = cJSON_Print(doc);
	if (text == NULL)
		goto out;
	fputs(text, f);
	fputc('\n', f);
	rc = go_check(f);
out:
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

/* The document as text on F, then free it. */
static int go_json_emit(FILE *f, cJSON *doc)
{
	char *text = cJSON_Print(doc);
	int rc = FP_ENOMEM;

	if (text != NULL) {
		fputs(text, f);
		fputc('\n', f);
		rc = go_check(f);
	}
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

int fp_gdpout_json_multi(FILE *f, const char *const *ids, size_t nind,
			 const struct fp_wb_record *recs, size_t n,
			 const struct fp_gdp_summary *sums)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *sum;
	size_t i;

	if (doc == NULL)
		return FP_ENOMEM;
	if ((arr = cJSON_AddArrayToObject(doc, "indicators")) == NULL)
		goto fail;
	for (i = 0; i < nind; i++) {
		cJSON *s = cJSON_CreateString(ids[i]);

		if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			goto fail;
		}
	}
	if ((arr = cJSON_AddArrayToObject(doc, "records")) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		cJSON *r = go_json_record(&recs[i], true);

		if (r == NULL || !cJSON_AddItemToArray(arr, r)) {
			cJSON_Delete(r);
			goto fail;
		}
	}
	if ((sum = cJSON_AddObjectToObject(doc, "summary")) == NULL)
		goto fail;
	for (i = 0; i < nind; i++) {
		cJSON *o = go_json_summary(&sums[i]);

		if (o == NULL || !cJSON_AddItemToObject(sum, ids[i], o)) {
			cJSON_Delete(o);
			goto fail;
		}
	}
	return go_json_emit(f, doc);
fail:
	cJSON_Delete(doc);
	return FP_ENOMEM;
}
