# Every test speaks TAP; automake's driver counts the cases.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)

# Tests find the binaries and the fixtures from any build directory.
AM_TESTS_ENVIRONMENT = \
	FETCHPOOL='$(abs_top_builddir)/cmd/fetchpool'; export FETCHPOOL; \
	FIXTURE_SERVER='$(abs_top_builddir)/tests/server/fixture-server'; export FIXTURE_SERVER; \
	TOP_SRCDIR='$(abs_top_srcdir)'; export TOP_SRCDIR; \
	FIXTURES='$(abs_top_srcdir)/tests/fixtures'; export FIXTURES;

# Unit tests: Check suites, one process per case, each under a timeout.
check_LIBRARIES += tests/unit/librunner.a
tests_unit_librunner_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_librunner_a_SOURCES = tests/unit/runner.c tests/unit/runner.h

UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS)
UNIT_LIBS = tests/unit/librunner.a $(FETCHPOOL_LIBS) $(CHECK_LIBS)


CORE_TESTS = \
	tests/unit/test_chan \
	tests/unit/test_sem \
	tests/unit/test_sched \
	tests/unit/test_cancel \
	tests/unit/test_slots \
	tests/unit/test_engine
check_PROGRAMS += $(CORE_TESTS)
TESTS += $(CORE_TESTS)

tests_unit_test_chan_SOURCES = tests/unit/test_chan.c
tests_unit_test_chan_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_chan_LDADD = $(UNIT_LIBS)
tests_unit_test_sem_SOURCES = tests/unit/test_sem.c
tests_unit_test_sem_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sem_LDADD = $(UNIT_LIBS)
tests_unit_test_sched_SOURCES = tests/unit/test_sched.c
tests_unit_test_sched_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sched_LDADD = $(UNIT_LIBS)
tests_unit_test_cancel_SOURCES = tests/unit/test_cancel.c
tests_unit_test_cancel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cancel_LDADD = $(UNIT_LIBS)
tests_unit_test_slots_SOURCES = tests/unit/test_slots.c
tests_unit_test_slots_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_slots_LDADD = $(UNIT_LIBS)
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c
tests_unit_test_engine_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_engine_LDADD = $(UNIT_LIBS)
