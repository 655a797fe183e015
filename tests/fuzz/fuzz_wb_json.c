/* Fuzz target: the World Bank JSON parsers (fp_wb_parse_data_json(),
 * and through detection fp_wb_parse_data() and fp_wb_parse_countries();
 * lib/worldbank.h). Invariants: fuzz_wb.c. */
#include "fuzz.h"
#include "fuzz_wb.h"
#include "worldbank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_wb_run((const char *)data, size, fp_wb_parse_data_json);
	return 0;
}
