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

int fp_gdpout_summary(FILE *f, const struct fp_gdp_summary *s)
{
	char t[64], m[64], md[64];
	size_t i;

	fprintf(f,
		"summary: %zu economies with data (%zu countries, "
		"%zu aggregates), %zu without data\n",
		s->economies, s->countries, s->aggregates, s->missing);
	if (s->countries == 0) {
		fputs("countries: no data\n", f);
		return go_check(f);
	}
	fp_gdpout_billions(s->stats.total, t, sizeof(t));
	fp_gdpout_billions(s->stats.mean, m, sizeof(m));
	fp_gdpout_billions(s->stats.median, md, sizeof(md));
	fprintf(f, "countries: total %s, mean %s, median %s\n", t, m, md);
	fprintf(f, "top %zu:", s->ntop);
	for (i = 0; i < s->ntop; i++) {
		fp_gdpout_billions(s->top[i].value, t, sizeof(t));
		fprintf(f, "%s %s %s", i ? "," : "", s->top[i].code, t);
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

int fp_gdpout_csv_row(FILE *f, const struct fp_wb_record *r)
{
	char v[32];

	fp_gdpout_value(r->value, v, sizeof(v));
	go_csv_field(f, r->code);
	fputc(',', f);
	go_csv_field(f, r->name ? r->name : "");
	fputc(',', f);
	go_csv_field(f, r->date);
	fprintf(f, ",%s,%s\n", v, r->aggregate ? "true" : "false");
	return go_check(f);
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

static cJSON *go_json_record(const struct fp_wb_record *r)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	if (!cJSON_AddStringToObject(o, "code", r->code) ||
	    !cJSON_AddStringToObject(o, "name", r->name ? r->name : "") ||
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
		cJSON *r = go_json_record(&recs[i]);

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
