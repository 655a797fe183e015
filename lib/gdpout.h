/* Output formats of `fetchpool gdp` (doc/DESIGN.md), written to a FILE *.
 *
 * lines (default): one line per record, as records arrive or sorted,
 *     country: AFG GDP: 18.8B
 *   value / 1e9 with one decimal ("%.1f"; a result that rounds to zero
 *   prints "0.0", never "-0.0"; non-finite values print "n/a"), then the
 *   summary block (fp_gdpout_summary):
 *     summary: 258 economies with data (210 countries, 48 aggregates),
 *       8 without data
 *     countries: total 87184.7B, mean 415.2B, median 26.0B
 *     top 5: USA 21540.0B, CHN 14280.0B, JPN 5118.0B, DEU 3957.2B, ...
 *   (the first line is one line; this is 2019 of the fixture data).
 *   "economies" counts the records with a value (one per economy for a
 *   single year or the most recent value; one per economy and year for a
 *   date range), "without data" is the caller's count of requested or
 *   listed economies without a value. Statistics are over the countries
 *   only (aggregates excluded). With no country record the second line is
 *   "countries: no data" and there is no top line; with fewer than five
 *   countries the top line says "top N:" with N the count.
 * csv: header `code,name,year,value,aggregate`, LF line ends; names quoted
 *   as RFC 4180 asks (when they hold ',', '"', CR or LF; quotes doubled);
 *   year is the record's date string; value is the shortest of %.15g,
 *   %.16g, %.17g that reads back to the same double (so the API's 15-digit
 *   text comes out as sent); aggregate `true` or `false`.
 * json: one document, pretty-printed by cJSON, ending in a newline:
 *   {"indicator": ID, "records": [{"code", "name", "year", "value",
 *   "aggregate"}], "summary": {"countries", "aggregates", "missing",
 *   "total", "mean", "median", "top": [{"code", "value"}]}}; year is a
 *   number when the date is a plain year, else the date string; total,
 *   mean and median are null when there is no country record.
 *
 *
 * Several indicators (or one that is not the default NY.GDP.MKTP.CD; the
 * forms above are the GDP-only run's, kept as they were):
 * lines: one line per economy (and per date, when the run asks for
 *   several years),
 *     country: USA NY.GDP.MKTP.CD: 27720.7B SP.POP.TOTL: 334.9M
 *     country: USA 2019 NY.GDP.MKTP.CD: 21539.9B SP.POP.TOTL: 328.3M
 *   each indicator in the run's order, "n/a" when the economy has no
 *   value for it. Each indicator prints in one unit (fp_gdpout_unit()),
 *   so a column compares at a glance. Then one summary block per
 *   indicator, each line naming it (fp_gdpout_summary_ind()).
 * csv: long, header `code,name,indicator,year,value,aggregate`.
 * json: {"indicators": [ID, ...], "records": [{"code", "name",
 *   "indicator", "year", "value", "aggregate"}], "summary": {ID: {the
 *   summary object above}, ...}}.
 *
 * Sorting: completion (the order given), code (ascending; same code by
 * year descending), value (descending; ties by code). All sorts are
 * stable.
 *
 * Errors: functions returning int give FP_OK, FP_EIO when the stream
 * reports a write error, FP_ENOMEM or FP_EINVAL. Thread safety: no shared
 * state; one FILE must not be written from two threads at once (stdio
 * locks each call, not a sequence of calls).
 */
#ifndef FP_GDPOUT_H
#define FP_GDPOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "stats.h"
#include "worldbank.h"

#define FP_GDP_TOP 5

enum fp_gdp_output {
	FP_GDP_OUT_LINES = 0,
	FP_GDP_OUT_CSV,
	FP_GDP_OUT_JSON
};

enum fp_gdp_sort {
	FP_GDP_SORT_COMPLETION = 0,
	FP_GDP_SORT_CODE,
	FP_GDP_SORT_VALUE
};

/* The suffix values of one indicator print with. */
enum fp_gdp_unit {
	FP_GDP_UNIT_NONE = 0, /* as is */
	FP_GDP_UNIT_K,        /* thousands */
	FP_GDP_UNIT_M,        /* millions */
	FP_GDP_UNIT_B,        /* billions */
	FP_GDP_UNIT_T         /* trillions */
};

/* Which records print (--aggregates); the summary is not affected. */
enum fp_gdp_aggsel {
	FP_GDP_AGG_INCLUDE = 0,
	FP_GDP_AGG_EXCLUDE,
	FP_GDP_AGG_ONLY
};

struct fp_gdp_top {
	char code[4];
	double value;
};

struct fp_gdp_summary {
	size_t economies;      /* records with a value */
	size_t countries;      /* of which countries */
	size_t aggregates;     /* of which aggregates */
	size_t missing;        /* from the caller */
	struct fp_stats stats; /* over the country records */
	size_t ntop;
	struct fp_gdp_top top[FP_GDP_TOP];
};

/* "lines", "csv", "json" -> enum. Returns FP_OK or FP_EINVAL. */
int fp_gdpout_parse_output(const char *name, enum fp_gdp_output *out);

/* "completion", "code", "value" -> enum. Returns FP_OK or FP_EINVAL. */
int fp_gdpout_parse_sort(const char *name, enum fp_gdp_sort *out);

/* "include", "exclude", "only" -> enum. Returns FP_OK or FP_EINVAL. */
int fp_gdpout_parse_aggsel(const char *name, enum fp_gdp_aggsel *out);

/* 1 if a record that is (or is not) an AGGREGATE prints under SEL. */
int fp_gdpout_agg_prints(enum fp_gdp_aggsel sel, bool aggregate);

/* Format V as billions ("18.8B") into BUF. Returns what snprintf returns. */
int fp_gdpout_billions(double v, char *buf, size_t size);

/* The unit for the values V[0..N): the largest whose size (1e3, 1e6,
 * 1e9, 1e12) is at most the median of their absolute values, so the
 * typical value prints with one to three digits before the point (GDP in
 * B, population in M); NONE when N is 0 or the median is below 1000.
 * Non-finite values are skipped. Depends on the multiset only. */
enum fp_gdp_unit fp_gdpout_unit(const double *v, size_t n);

/* Format V in unit U with one decimal and the suffix ("334.9M",
 * "27720.7B", "2.5" for NONE; "n/a" when V is not finite; never "-0.0").
 * Returns what snprintf returns. */
int fp_gdpout_scaled(double v, enum fp_gdp_unit u, char *buf, size_t size);

/* Format V as the shortest round-tripping decimal (see above) into BUF,
 * which needs 32 bytes. Non-finite values give "". */
void fp_gdpout_value(double v, char *buf, size_t size);

/* Write one "country: CODE GDP: X.YB" line. Usable as records arrive. */
int fp_gdpout_line(FILE *f, const struct fp_wb_record *r);

/* Sort RECS in place (shallow moves; names stay owned by the records).
 * COMPLETION leaves the order as is. Returns FP_OK, FP_ENOMEM or
 * FP_EINVAL. */
int fp_gdpout_sort(struct fp_wb_record *recs, size_t n, enum fp_gdp_sort how);

/* Fill S from RECS[0..N) (values finite; `aggregate` set, e.g. by
 * fp_wb_page_mark) and MISSING. Returns FP_OK, FP_ENOMEM or FP_EINVAL. */
int fp_gdpout_summarize(const struct fp_wb_record *recs, size_t n,
			size_t missing, struct fp_gdp_summary *s);

/* Write the summary block of the lines format. */
int fp_gdpout_summary(FILE *f, const struct fp_gdp_summary *s);

/* Write every record as a line, then the summary. */
int fp_gdpout_lines(FILE *f, const struct fp_wb_record *recs, size_t n,
		    const struct fp_gdp_summary *s);

/* Write the CSV header line, one row, or the whole table. */
int fp_gdpout_csv_header(FILE *f);
int fp_gdpout_csv_row(FILE *f, const struct fp_wb_record *r);
int fp_gdpout_csv(FILE *f, const struct fp_wb_record *recs, size_t n);

/* One line of several indicators (see above): CODE, DATE (NULL: not
 * shown), then IDS[i] and VALS[i] (NAN: "n/a") in UNITS[i] for i < N. */
int fp_gdpout_multi_line(FILE *f, const char *code, const char *date,
			 const char *const *ids, const double *vals,
			 const enum fp_gdp_unit *units, size_t n);

/* Every record of RECS[0..N) as lines of several indicators: records
 * with the same code (and, WITH_DATE, the same date) make one line,
 * lines in the order their first record comes; IDS[0..NIND) and
 * UNITS[0..NIND) give the columns (a record whose indicator is not in
 * IDS is left out). Returns FP_OK, FP_EIO or FP_ENOMEM. */
int fp_gdpout_multi_lines(FILE *f, const struct fp_wb_record *recs, size_t n,
			  const char *const *ids, const enum fp_gdp_unit *units,
			  size_t nind, bool with_date);

/* The summary block of indicator ID, every line naming it:
 *   summary ID: 2 economies with data (2 countries, 0 aggregates), 0
 *     without data
 *   countries ID: total 31925.2B, mean 15962.6B, median 15962.6B
 *   top 2 ID: USA 27720.7B, JPN 4204.5B
 * values in unit U. */
int fp_gdpout_summary_ind(FILE *f, const char *id, enum fp_gdp_unit u,
			  const struct fp_gdp_summary *s);

/* The long CSV: header, one row (its indicator column from R), table. */
int fp_gdpout_csv_long_header(FILE *f);
int fp_gdpout_csv_long_row(FILE *f, const struct fp_wb_record *r);
int fp_gdpout_csv_long(FILE *f, const struct fp_wb_record *recs, size_t n);

/* The JSON document of several indicators: IDS[0..NIND) and their
 * summaries SUMS[0..NIND), the records with their indicator. */
int fp_gdpout_json_multi(FILE *f, const char *const *ids, size_t nind,
			 const struct fp_wb_record *recs, size_t n,
			 const struct fp_gdp_summary *sums);

/* Write the JSON document (INDICATOR NULL: FP_WB_DEFAULT_INDICATOR). */
int fp_gdpout_json(FILE *f, const char *indicator,
		   const struct fp_wb_record *recs, size_t n,
		   const struct fp_gdp_summary *s);

#endif
