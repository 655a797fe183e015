/* World Bank Indicators API v2: request URLs, and parsers for the replies.
 *
 * Pure functions: no networking, no global state that callers can see.
 * The transfer engine fetches the bodies; this module turns a request into
 * a URL and a body into records, page counters or an API error message.
 *
 * Parsing rules (see tests/fixtures/worldbank/API.md for the evidence):
 * - A reply is JSON or XML whatever was asked ("the API sometimes answers
 *   in XML even when JSON was requested"), so fp_wb_parse_data() and
 *   fp_wb_parse_countries() look at the first byte after an optional UTF-8
 *   BOM and whitespace: '<' means XML, anything else JSON.
 * - Page counters (page, pages, per_page, total) are accepted as numbers
 *   and as strings of digits: the API mixes both by endpoint and era.
 * - Error bodies (JSON `[{"message":[{"id","key","value"}]}]`, XML
 *   `<wb:error><wb:message id key>text</wb:message></wb:error>`) give
 *   FP_EAPI and the text "API error 120 (Invalid value): The provided
 *   parameter value is not valid" in the caller's error buffer.
 * - The zero-record reply `[{"page":0,...},null]` is zero records, not an
 *   error.
 * - XML goes through libxml2 with XML_PARSE_NONET and without entity
 *   substitution or DTD loading; a document with any DOCTYPE (internal or
 *   external subset) is rejected before its subset is read, which shuts
 *   out entity bombs and external entities. Namespaces are matched by URI
 *   (FP_WB_XMLNS), never by prefix.
 * - JSON goes through cJSON, whose nesting limit (1000) turns deeply
 *   nested input into an error instead of a stack overflow. Text after the
 *   JSON value other than whitespace is an error.
 * - Numbers: JSON values are cJSON's valuedouble, XML values strtod() of
 *   the element text; both convert the same decimal text with strtod(), so
 *   the same body in either format gives bit-identical doubles. A value
 *   that is not finite is malformed.
 * - Names are copied with invalid UTF-8 replaced by U+FFFD and control
 *   characters by spaces, so both formats give the same, printable text.
 *
 * Error reporting: functions that can fail for a reason worth telling take
 * `char *err, size_t errlen` (may be NULL/0) and write one short line
 * there, lowercase, without a final period (e.g. "malformed JSON",
 * "record 3: value is not a number").
 *
 * Thread safety: every function may run in several threads at once on
 * different objects. libxml2 is initialised once internally
 * (pthread_once); cJSON's parser writes a process-wide error slot on every
 * call, so JSON parsing here is serialised by a private mutex (short:
 * parse only, the record walk runs unlocked).
 */
#ifndef FP_WORLDBANK_H
#define FP_WORLDBANK_H

#include <stdbool.h>
#include <stddef.h>

#define FP_WB_DEFAULT_BASE "https://api.worldbank.org/v2"
#define FP_WB_DEFAULT_INDICATOR "NY.GDP.MKTP.CD"
#define FP_WB_XMLNS "http://www.worldbank.org"
#define FP_WB_DEFAULT_SOURCE "2" /* World Development Indicators */

/* The API's limits on one request (API.md section 1): at most 60
 * indicators, 1,500 characters between two '/', 4,000 per URL. */
#define FP_WB_MAX_INDICATORS 60
#define FP_WB_MAX_SEGMENT 1500
#define FP_WB_MAX_URL 4000
/* The longest indicator code accepted (World Bank codes are about 30). */
#define FP_WB_INDICATOR_MAX 63

enum fp_wb_format {
	FP_WB_JSON = 0,
	FP_WB_XML = 1
};

/* ------------------------------------------------------------------ */
/* Request URLs                                                        */

/* One indicator-data request. Zero/NULL fields take the defaults. */
struct fp_wb_query {
	const char *base;      /* API base; NULL: FP_WB_DEFAULT_BASE */
	const char *country;   /* code or "a;b" list; NULL or "all": all */
	const char *indicator; /* code or "a;b" list; NULL: the default */
	const char *date;      /* "Y" or "Y1:Y2"; NULL: see mrv, mrnev */
	int per_page;          /* > 0, or 0 to leave it to the API (50) */
	int page;              /* > 0, or 0 to leave it out (page 1) */
	enum fp_wb_format format;
	const char *source;    /* database id (digits); NULL: not sent,
				* except FP_WB_DEFAULT_SOURCE for a list */
	int mrv;               /* > 0: mrv=N (no date); 0: not sent */
	int mrnev;             /* > 0: mrnev=N (no date, no mrv) */
	bool gapfill;          /* gapfill=Y (only with mrv) */
};

/* Build the URL of Q into BUF (SIZE bytes, NUL-terminated), like
 * snprintf: returns the length the whole URL needs (without the NUL), and
 * the URL is complete only if that is < SIZE; BUF may be NULL when SIZE is
 * 0. The form is
 *   BASE/country/CODE/indicator/ID?SEL&format=F[&source=S][&per_page=N]
 *   [&page=P]
 * where SEL is date=D, or mrv=N[&gapfill=Y], or mrnev=N, or mrnev=1 when
 * none is set (each economy's most recent value). A trailing '/' of BASE
 * is dropped, CODE and ID percent-escaped except for unreserved
 * characters and the ';' list separator, and D escaped (':' becomes %3A).
 * The API answers several indicators ("A;B") only with a source, so a
 * list without Q->source sends source=FP_WB_DEFAULT_SOURCE; one indicator
 * sends source= only when Q->source is set. Returns FP_EINVAL (negative)
 * when Q is unusable: empty base, empty country or indicator, a date
 * fp_wb_date_check() refuses, negative per_page, page, mrv or mrnev, two
 * of date, mrv and mrnev, gapfill without mrv, a source that is not 1 to
 * 9 digits, unknown format. */
long fp_wb_data_url(const struct fp_wb_query *q, char *buf, size_t size);

/* Same as fp_wb_data_url() into a malloc'd string stored in *OUT (the
 * caller frees it). Returns FP_OK, FP_EINVAL or FP_ENOMEM; *OUT is NULL on
 * failure. */
int fp_wb_data_url_alloc(const struct fp_wb_query *q, char **out);

/* The country list URL: BASE/country?per_page=N&page=P&format=F (per_page
 * and page left out when 0). BASE NULL means the default. Returns FP_OK,
 * FP_EINVAL or FP_ENOMEM; *OUT is malloc'd (caller frees) or NULL. */
int fp_wb_country_list_url(const char *base, int per_page, int page,
			   enum fp_wb_format format, char **out);

/* Check an indicator code typed by a user: 1 to FP_WB_INDICATOR_MAX
 * characters, each a letter, digit, '.', '_' or '-' (so it needs no
 * escaping and cannot hold the ';' or ',' list separators). Returns FP_OK
 * or FP_EINVAL. */
int fp_wb_indicator_check(const char *code);

/* A run of consecutive indicators that go into one request. */
struct fp_wb_batch {
	size_t first, n;
};

/* Split the indicators IDS[0..N) (checked with fp_wb_indicator_check())
 * into as few requests as the API's limits allow, keeping their order:
 * each batch has at most FP_WB_MAX_INDICATORS codes, its ';'-joined
 * segment at most FP_WB_MAX_SEGMENT characters, and the URL Q gives with
 * that segment as its indicator at most FP_WB_MAX_URL characters (Q is a
 * template: its indicator is ignored; give it the longest country code
 * and the largest page the caller will ask for). Greedy: a batch takes
 * codes until the next one would break a limit, which gives the fewest
 * batches for an order that must be kept. Stores the batches in OUT (room
 * for N) and returns how many (1..N), or FP_EINVAL (N is 0, a code is
 * invalid, Q is unusable) or FP_ETOOBIG (one code alone does not fit). */
long fp_wb_indicator_split(const char *const *ids, size_t n,
			   const struct fp_wb_query *q,
			   struct fp_wb_batch *out);

/* Check a date parameter: "YYYY" or "YYYY:YYYY" (four digits each, first
 * <= second). Returns FP_OK or FP_EINVAL. */
int fp_wb_date_check(const char *date);

/* Check a country code typed by a user: 2 or 3 ASCII letters or digits
 * ("US", "usa", "1W"). On FP_OK, OUT holds the code folded to upper case;
 * otherwise FP_EINVAL and OUT is "". OUT may alias nothing else. */
int fp_wb_code_check(const char *in, char out[4]);

/* ------------------------------------------------------------------ */
/* Indicator data                                                      */

struct fp_wb_record {
	char code[4];   /* ISO3 (countryiso3code), upper case; see below */
	char *name;     /* economy name (country.value), malloc'd */
	char date[16];  /* the date string as sent, e.g. "2019", "2012M01" */
	int year;       /* the year when date is exactly 4 digits, else 0 */
	double value;   /* as parsed; NAN in the `missing` array */
	bool aggregate; /* false from the parser; see fp_wb_page_mark() */
	/* indicator.id, checked as fp_wb_indicator_check() does; "" when
	 * the reply has none (see fp_wb_page_fill_indicator()). */
	char indicator[FP_WB_INDICATOR_MAX + 1];
};

/* One parsed page. Records with a null value are not in `records` but in
 * `missing` (value NAN), so callers can report economies without data. */
struct fp_wb_page {
	long page, pages, per_page, total; /* 0 in the zero-record reply */
	char lastupdated[16];              /* "" when absent or null */
	struct fp_wb_record *records;
	size_t nrecords;
	struct fp_wb_record *missing;
	size_t nmissing;
};

/* Parse an indicator-data body (LEN bytes, need not be NUL-terminated;
 * JSON or XML, detected as described above). REQ_CODE is the country code
 * the request used (may be NULL or "all"): a record whose countryiso3code
 * is "" gets REQ_CODE when it names one economy (2 or 3 alphanumerics),
 * else its 2-character country.id; a record left without any valid code
 * is malformed. On success OUT owns its arrays: free them with
 * fp_wb_page_free(). Returns FP_OK, FP_EAPI (API error body; ERR holds
 * the message), FP_EPARSE (malformed; ERR says why), FP_ETOOBIG (LEN >
 * INT_MAX for XML), FP_ENOMEM. On failure OUT is left empty. */
int fp_wb_parse_data(const char *body, size_t len, const char *req_code,
		     struct fp_wb_page *out, char *err, size_t errlen);

/* As fp_wb_parse_data() but for one format only; a body in the other
 * format is malformed. */
int fp_wb_parse_data_json(const char *body, size_t len, const char *req_code,
			  struct fp_wb_page *out, char *err, size_t errlen);
int fp_wb_parse_data_xml(const char *body, size_t len, const char *req_code,
			 struct fp_wb_page *out, char *err, size_t errlen);

/* Free what a parse stored in P and zero it; NULL is fine. */
void fp_wb_page_free(struct fp_wb_page *p);

/* Give every record of P (and every missing one) whose indicator is ""
 * the code ID: the indicator a one-indicator request asked for. */
void fp_wb_page_fill_indicator(struct fp_wb_page *p, const char *id);

/* Free the members of one record (its name) and clear it. */
void fp_wb_record_clear(struct fp_wb_record *r);

/* Deep-copy SRC into DST. Returns FP_OK or FP_ENOMEM (DST cleared). */
int fp_wb_record_copy(struct fp_wb_record *dst,
		      const struct fp_wb_record *src);

/* ------------------------------------------------------------------ */
/* Country list                                                        */

struct fp_wb_country {
	char id[4];      /* ISO3 or World Bank code, upper case */
	char iso2[4];    /* ISO2 or World Bank 2-character code, upper case */
	char *name;      /* malloc'd */
	char region[8];  /* region.id, e.g. "LCN", "NA" for aggregates */
	char income[8];  /* incomeLevel.id, e.g. "HIC"; "" when absent */
	char lending[8]; /* lendingType.id, e.g. "IDX"; "" when absent */
	bool aggregate;  /* region.id "NA" or region value "Aggregates" */
};

/* A selection by group: each code set must match (AND); "" matches all.
 * Codes are compared without regard to case. */
struct fp_wb_groups {
	char region[8], income[8], lending[8];
};

struct fp_wb_countries {
	long page, pages, per_page, total;
	struct fp_wb_country *items;
	size_t n;
};

/* Parse a /country (or /country/{code}) body, JSON or XML. Same return
 * codes and error rules as fp_wb_parse_data(); an entry whose id is not 1
 * to 3 alphanumerics or whose iso2Code is longer than 3 is malformed. On
 * success free OUT with fp_wb_countries_free(). */
int fp_wb_parse_countries(const char *body, size_t len,
			  struct fp_wb_countries *out, char *err,
			  size_t errlen);

/* Move the entries of SRC to the end of DST (pages of one list); SRC is
 * left empty. DST's counters are kept. Returns FP_OK or FP_ENOMEM (then
 * both are unchanged). */
int fp_wb_countries_append(struct fp_wb_countries *dst,
			   struct fp_wb_countries *src);

/* Free what a parse stored in L and zero it; NULL is fine. */
void fp_wb_countries_free(struct fp_wb_countries *l);

/* Find CODE (ISO3 id or ISO2 code, any case) in L; NULL if absent or if
 * CODE is not a valid code. Linear: the list has about 300 entries. */
const struct fp_wb_country *
fp_wb_countries_find(const struct fp_wb_countries *l, const char *code);

/* 1 if CODE is an aggregate in L, 0 if it is a known country, FP_ENOENT
 * if L does not know it. */
int fp_wb_countries_is_aggregate(const struct fp_wb_countries *l,
				 const char *code);

/* 1 if no group is set in G (G NULL counts as none), else 0. */
int fp_wb_groups_empty(const struct fp_wb_groups *g);

/* 1 if C belongs to every group G sets (always when G sets none). */
int fp_wb_country_in_groups(const struct fp_wb_country *c,
			    const struct fp_wb_groups *g);

/* Set `aggregate` on every record and missing record of P from L (codes L
 * does not know count as countries). Returns how many codes L did not
 * know. */
size_t fp_wb_page_mark(struct fp_wb_page *p, const struct fp_wb_countries *l);

#endif
