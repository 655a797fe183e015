/* World Bank area, private: what the parts (wb_text.c, wb_url.c,
 * wb_records.c, wb_countries.c, wb_json.c, wb_xml.c and worldbank.c)
 * share. Not part of the library's API; worldbank.h is.
 *
 * The JSON and XML parsers find the fields of a record or a country in
 * their own way, put them in a struct wb_raw_rec or wb_raw_country and
 * hand that to the same builder, so the two formats can differ only in
 * how they find a field, never in what they accept or store. Everything
 * that comes from the server is checked before it is stored: codes are
 * 2-3 alphanumerics, dates are short alphanumerics, values are finite
 * numbers written in JSON number syntax, names are valid UTF-8 without
 * control characters. */
#ifndef FP_WB_INTERNAL_H
#define FP_WB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "worldbank.h"

/* ---- Values (wb_text.c) ---- */

bool wb_is_alnum(int c);
bool wb_is_space(int c);

/* Skip a UTF-8 byte order mark, then XML/JSON whitespace; *len shrinks. */
const char *wb_skip_lead(const char *p, size_t *len);

/* Copy a code of 2 or 3 alphanumerics (MIN may lower the bound) in upper
 * case. Returns false, with OUT "", for anything else. */
bool wb_code_copy(char out[4], const char *s, size_t len, size_t min);

/* S starts with four ASCII digits. */
bool wb_four_digits(const char *s);

/* A printable copy of a server string: invalid UTF-8 becomes U+FFFD,
 * control characters spaces, so both formats give the same text. NULL on
 * ENOMEM. */
char *wb_dup_text(const char *s, size_t n);

/* Decimal count as the API sends it: digits only, at most 18 of them. */
bool wb_parse_count_str(const char *s, long *out);

/* strtod() of text written as a JSON number (optional spaces around),
 * finite. */
bool wb_parse_number(const char *s, size_t n, double *out);

/* OUT (SIZE bytes) = S when it fits and is digits and '-' only, else "".
 * S may be NULL. */
void wb_lastupdated(const char *s, char *out, size_t size);

/* "API error 120 (Invalid value): The provided ..." from the parts of the
 * first message (each may be NULL) and how many more there were. */
void wb_api_error(char *err, size_t errlen, const char *id, const char *key,
		  const char *text, size_t more);

/* One page counter of a header, by name, found the format's way; false
 * when it is missing or not a count. */
typedef bool wb_count_fn(const void *hdr, const char *name, long *out);

/* Read the four page counters (page, pages, per_page, total) of HDR
 * through GET. FP_OK or FP_EPARSE ("header: bad or missing NAME"). */
int wb_counters(wb_count_fn *get, const void *hdr, long *page, long *pages,
		long *per_page, long *total, char *err, size_t errlen);

/* ---- Building records and country lists (wb_records.c) ---- */

/* The fields of one record as found in either format. Strings are not
 * NUL-terminated; a NULL pointer means "absent". */
struct wb_raw_rec {
	const char *iso3;
	size_t iso3_len;
	const char *id2;
	size_t id2_len;
	const char *name;
	size_t name_len;
	const char *date;
	size_t date_len;
	const char *ind; /* indicator.id */
	size_t ind_len;
	bool has_value; /* false: null */
	double value;
};

struct wb_page_build {
	struct fp_wb_page *page;
	size_t cap_rec, cap_miss;
	char req_code[4]; /* "" unless the request named one economy */
};

/* Empty OUT and start building it for a request for REQ_CODE. */
void wb_build_init(struct wb_page_build *pb, struct fp_wb_page *out,
		   const char *req_code);

/* Check and store one record; IDX (1-based) names it in errors. */
int wb_rec_fill(struct wb_page_build *pb, const struct wb_raw_rec *raw,
		size_t idx, char *err, size_t errlen);

/* The fields of one country entry (NUL-terminated; NULL: absent). */
struct wb_raw_country {
	const char *id, *iso2, *name, *region_id, *region_value;
	const char *income_id, *lending_id;
};

/* Check and append one entry to L (*CAP: its capacity); IDX (1-based)
 * names it in errors. */
int wb_country_fill(struct fp_wb_countries *l, size_t *cap,
		    const struct wb_raw_country *raw, size_t idx, char *err,
		    size_t errlen);

/* ---- The two formats (wb_json.c, wb_xml.c) ---- */

int wb_json_countries(const char *body, size_t len,
		      struct fp_wb_countries *out, char *err, size_t errlen);
int wb_xml_countries(const char *body, size_t len,
		     struct fp_wb_countries *out, char *err, size_t errlen);

#endif
