/* World Bank Indicators API v2: which parser a reply goes to (see
 * worldbank.h). The area is split by concern: wb_url.c (request URLs),
 * wb_text.c (checks of server values), wb_records.c (building records
 * and country entries, shared by both formats), wb_json.c, wb_xml.c and
 * wb_countries.c (the country list); wb_internal.h joins them. */
#include "wb_internal.h"
#include "error.h"

#include <string.h>

/* Is the body XML (first byte '<' after BOM and whitespace)? */
static bool wb_looks_xml(const char *body, size_t len)
{
	const char *p = wb_skip_lead(body, &len);

	return len > 0 && p[0] == '<';
}

int fp_wb_parse_data(const char *body, size_t len, const char *req_code,
		     struct fp_wb_page *out, char *err, size_t errlen)
{
	if (wb_looks_xml(body, len))
		return fp_wb_parse_data_xml(body, len, req_code, out, err,
					    errlen);
	return fp_wb_parse_data_json(body, len, req_code, out, err, errlen);
}

int fp_wb_parse_countries(const char *body, size_t len,
			  struct fp_wb_countries *out, char *err,
			  size_t errlen)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (wb_looks_xml(body, len))
		rc = wb_xml_countries(body, len, out, err, errlen);
	else
		rc = wb_json_countries(body, len, out, err, errlen);
	if (rc != FP_OK)
		fp_wb_countries_free(out);
	return rc;
}
