#include "runner.h"
#include <stdlib.h>

#define UNIT_TIMEOUT_SEC 30

TCase *unit_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, UNIT_TIMEOUT_SEC);
	return tc;
}

int main(void)
{
	SRunner *sr = srunner_create(unit_suite());
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
