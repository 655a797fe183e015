# Unit tests: Check suites, one program per module, one process per case,
# each under a timeout (tests/unit/runner.c). TAP through automake's
# driver, like every test.

check_LIBRARIES += tests/unit/librunner.a
tests_unit_librunner_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_librunner_a_SOURCES = tests/unit/runner.c tests/unit/runner.h \
	tests/unit/scratch.c tests/unit/scratch.h

UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS)
UNIT_LIBS = tests/unit/librunner.a $(FETCHPOOL_LIBS) $(CHECK_LIBS)

# Tests that read fixtures from the source tree (read-only in distcheck).
FIXTURE_TEST_CFLAGS = $(UNIT_CFLAGS) \
	-DFP_TOP_SRCDIR='"$(abs_top_srcdir)"' \
	-DFP_FIXTURES_DIR='"$(abs_top_srcdir)/tests/fixtures"'
# test_worldbank links the fixture server's API emulation, so the parsers
# are checked against what the server sends.
WB_TEST_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/tests/server \
	-DWB_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/worldbank"'

UNIT_TESTS = \
	tests/unit/test_chan \
	tests/unit/test_sem \
	tests/unit/test_sched \
	tests/unit/test_cancel \
	tests/unit/test_slots \
	tests/unit/test_engine \
	tests/unit/test_retry \
	tests/unit/test_ratelimit \
	tests/unit/test_outfile \
	tests/unit/test_split \
	tests/unit/test_dirlock \
	tests/unit/test_statefile \
	tests/unit/test_report \
	tests/unit/test_digest \
	tests/unit/test_util \
	tests/unit/test_url \
	tests/unit/test_xmlsafe \
	tests/unit/test_listfile \
	tests/unit/test_names \
	tests/unit/test_gutenberg \
	tests/unit/test_csv \
	tests/unit/test_catalog \
	tests/unit/test_strip \
	tests/unit/test_worldbank \
	tests/unit/test_stats \
	tests/unit/test_gdpout \
	tests/unit/test_progress \
	tests/unit/test_options
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

# The concurrency core and the engine.
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

# Transfers and files on disk.
tests_unit_test_retry_SOURCES = tests/unit/test_retry.c
tests_unit_test_retry_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_retry_LDADD = $(UNIT_LIBS)
tests_unit_test_ratelimit_SOURCES = tests/unit/test_ratelimit.c
tests_unit_test_ratelimit_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ratelimit_LDADD = $(UNIT_LIBS)
tests_unit_test_outfile_SOURCES = tests/unit/test_outfile.c
tests_unit_test_outfile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_outfile_LDADD = $(UNIT_LIBS)
tests_unit_test_split_SOURCES = tests/unit/test_split.c
tests_unit_test_split_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_split_LDADD = $(UNIT_LIBS)
tests_unit_test_dirlock_SOURCES = tests/unit/test_dirlock.c
tests_unit_test_dirlock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dirlock_LDADD = $(UNIT_LIBS)
tests_unit_test_statefile_SOURCES = tests/unit/test_statefile.c
tests_unit_test_statefile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_statefile_LDADD = $(UNIT_LIBS)
tests_unit_test_report_SOURCES = tests/unit/test_report.c
tests_unit_test_report_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_LDADD = $(UNIT_LIBS)
tests_unit_test_digest_SOURCES = tests/unit/test_digest.c
tests_unit_test_digest_CFLAGS = $(FIXTURE_TEST_CFLAGS)
tests_unit_test_digest_LDADD = $(UNIT_LIBS)

# Shared building blocks.
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)
tests_unit_test_url_SOURCES = tests/unit/test_url.c
tests_unit_test_url_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_url_LDADD = $(UNIT_LIBS)
tests_unit_test_xmlsafe_SOURCES = tests/unit/test_xmlsafe.c
tests_unit_test_xmlsafe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xmlsafe_LDADD = $(UNIT_LIBS)

# books: list file, names, Gutenberg.
tests_unit_test_listfile_SOURCES = tests/unit/test_listfile.c
tests_unit_test_listfile_CFLAGS = $(FIXTURE_TEST_CFLAGS)
tests_unit_test_listfile_LDADD = $(UNIT_LIBS)
tests_unit_test_names_SOURCES = tests/unit/test_names.c
tests_unit_test_names_CFLAGS = $(FIXTURE_TEST_CFLAGS)
tests_unit_test_names_LDADD = $(UNIT_LIBS)
tests_unit_test_gutenberg_SOURCES = tests/unit/test_gutenberg.c
tests_unit_test_gutenberg_CFLAGS = $(FIXTURE_TEST_CFLAGS)
tests_unit_test_gutenberg_LDADD = $(UNIT_LIBS)
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_csv_LDADD = $(UNIT_LIBS)
tests_unit_test_catalog_SOURCES = tests/unit/test_catalog.c
tests_unit_test_catalog_CFLAGS = $(FIXTURE_TEST_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_catalog_LDADD = $(UNIT_LIBS)
tests_unit_test_strip_SOURCES = tests/unit/test_strip.c
tests_unit_test_strip_CFLAGS = $(FIXTURE_TEST_CFLAGS)
tests_unit_test_strip_LDADD = $(UNIT_LIBS)

# gdp: World Bank parsers, statistics, output.
tests_unit_test_worldbank_SOURCES = tests/unit/test_worldbank.c \
	tests/server/wbemu.c tests/server/wbemu.h
tests_unit_test_worldbank_CFLAGS = $(WB_TEST_CFLAGS)
tests_unit_test_worldbank_LDADD = $(UNIT_LIBS)
tests_unit_test_stats_SOURCES = tests/unit/test_stats.c
tests_unit_test_stats_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_stats_LDADD = $(UNIT_LIBS)
tests_unit_test_gdpout_SOURCES = tests/unit/test_gdpout.c
tests_unit_test_gdpout_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_gdpout_LDADD = $(UNIT_LIBS)

# The CLI's pure parts: progress line, option and command tables.
tests_unit_test_progress_SOURCES = tests/unit/test_progress.c \
	cmd/progress.c cmd/output.c cmd/units.c
tests_unit_test_progress_CPPFLAGS = $(AM_CPPFLAGS) -iquote $(top_srcdir)/cmd
tests_unit_test_progress_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_progress_LDADD = $(UNIT_LIBS)
tests_unit_test_options_SOURCES = tests/unit/test_options.c cmd/commands.c \
	cmd/cfgfile.c
tests_unit_test_options_CPPFLAGS = $(AM_CPPFLAGS) -iquote $(top_srcdir)/cmd
tests_unit_test_options_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_options_LDADD = $(UNIT_LIBS) -lm
