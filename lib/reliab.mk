# Reliability building blocks: retry policy, output files, the directory
# lock, the validator state file and the JSON run report.
lib_libfetchpool_a_SOURCES += \
	lib/retry.c lib/retry.h

check_PROGRAMS += tests/unit/test_retry
TESTS += tests/unit/test_retry
tests_unit_test_retry_SOURCES = tests/unit/test_retry.c
tests_unit_test_retry_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_retry_LDADD = $(UNIT_LIBS)

lib_libfetchpool_a_SOURCES += lib/outfile.c lib/outfile.h

check_PROGRAMS += tests/unit/test_outfile
TESTS += tests/unit/test_outfile
tests_unit_test_outfile_SOURCES = tests/unit/test_outfile.c
tests_unit_test_outfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_outfile_LDADD = $(UNIT_LIBS)

lib_libfetchpool_a_SOURCES += lib/dirlock.c lib/dirlock.h

check_PROGRAMS += tests/unit/test_dirlock
TESTS += tests/unit/test_dirlock
tests_unit_test_dirlock_SOURCES = tests/unit/test_dirlock.c
tests_unit_test_dirlock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dirlock_LDADD = $(UNIT_LIBS)

lib_libfetchpool_a_SOURCES += lib/statefile.c lib/statefile.h

check_PROGRAMS += tests/unit/test_statefile
TESTS += tests/unit/test_statefile
tests_unit_test_statefile_SOURCES = tests/unit/test_statefile.c
tests_unit_test_statefile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_statefile_LDADD = $(UNIT_LIBS)

lib_libfetchpool_a_SOURCES += lib/report.c lib/report.h

check_PROGRAMS += tests/unit/test_report
TESTS += tests/unit/test_report
tests_unit_test_report_SOURCES = tests/unit/test_report.c
tests_unit_test_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_LDADD = $(UNIT_LIBS)
