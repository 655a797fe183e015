/* Fuzz target: the World Bank XML parsers (fp_wb_parse_data_xml(), and
 * through detection fp_wb_parse_data() and fp_wb_parse_countries();
 * lib/worldbank.h), which read untrusted XML with libxml2. Invariants:
 * fuzz_wb.c. */
#include "fuzz.h"
#include "fuzz_wb.h"
#include "worldbank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_wb_run((const char *)data, size, fp_wb_parse_data_xml);
	return 0;
}
