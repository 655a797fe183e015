/* Invariant checks shared by the World Bank fuzz targets (fuzz_wb_json.c,
 * fuzz_wb_xml.c), from the promises of lib/worldbank.h. */
#ifndef FP_FUZZ_WB_H
#define FP_FUZZ_WB_H
#include <stddef.h>

/* Size of the error buffer the targets pass, as cmd/cmd_gdp.c does. */
#define FUZZ_WB_ERRLEN 512

struct fp_wb_page;
struct fp_wb_countries;

/* Check the outcome RC of a data parse: FP_OK gives well-formed records
 * (code, date, year, printable name, finite value; missing ones NAN),
 * a failure gives an empty page and a one-line message in ERR. */
void fuzz_wb_check_page(int rc, const struct fp_wb_page *p, const char *err);

/* The same for a country-list parse. */
void fuzz_wb_check_countries(int rc, const struct fp_wb_countries *l,
			     const char *err);

/* Run every parser that reads BODY: the one-format data parser PARSE
 * (with a one-economy and an all-economies request), the detecting
 * fp_wb_parse_data() and fp_wb_parse_countries(). */
typedef int (*fuzz_wb_parse_fn)(const char *body, size_t len,
				const char *req_code, struct fp_wb_page *out,
				char *err, size_t errlen);
void fuzz_wb_run(const char *body, size_t len, fuzz_wb_parse_fn parse);

#endif
