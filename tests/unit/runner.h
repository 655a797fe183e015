/* Shared main() for the Check unit tests: TAP on stdout, one forked
 * process per case, each under a timeout so a deadlock fails instead of
 * hanging (CK_TIMEOUT_MULTIPLIER stretches it for sanitizer builds). */
#ifndef FP_TEST_RUNNER_H
#define FP_TEST_RUNNER_H
#include <check.h>

/* Defined by each test program. */
Suite *unit_suite(void);

/* A test case with the standard hang guard. */
TCase *unit_tcase(const char *name);

#endif
