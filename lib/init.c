#include "init.h"
#include "error.h"

#include <curl/curl.h>
#include <libxml/parser.h>

int fp_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return FP_ENOMEM;
	xmlInitParser();
	return FP_OK;
}

void fp_cleanup(void)
{
	xmlCleanupParser();
	curl_global_cleanup();
}
