# Fixture HTTP server (tests/server/) and the shell test library.
# The server is test-only: built by `make check`, never installed.

FIXTURE_SERVER_CORE = \
	tests/server/body.c tests/server/body.h \
	tests/server/files.c tests/server/files.h \
	tests/server/gutenberg.c tests/server/gutenberg.h \
	tests/server/httpdate.c tests/server/httpdate.h \
	tests/server/rules.c tests/server/rules.h \
	tests/server/stats.c tests/server/stats.h \
	tests/server/stop.c tests/server/stop.h

check_PROGRAMS += tests/server/fixture-server
tests_server_fixture_server_SOURCES = \
	tests/server/main.c \
	tests/server/server.c tests/server/server.h \
	tests/server/wbemu.c tests/server/wbemu.h \
	$(FIXTURE_SERVER_CORE)
tests_server_fixture_server_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS)
tests_server_fixture_server_LDADD = $(MHD_LIBS) $(CJSON_LIBS)

# Unit tests of the server's pure parts (dates, rules, ranges, stats).
check_PROGRAMS += tests/server/test_fixture_server
TESTS += tests/server/test_fixture_server
tests_server_test_fixture_server_SOURCES = \
	tests/server/test_fixture_server.c $(FIXTURE_SERVER_CORE)
# Linked without libfetchpool: the server is the oracle the library is
# tested against, so it shares no code with it.
tests_server_test_fixture_server_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(MHD_CFLAGS) $(CJSON_CFLAGS)
tests_server_test_fixture_server_LDADD = tests/unit/librunner.a \
	$(CHECK_LIBS) $(MHD_LIBS) $(CJSON_LIBS)

# Integration: the server driven by curl; lib.sh is sourced by every
# integration script.
FIXTURE_SERVER_TESTS = \
	tests/integration/t0100-server.sh \
	tests/integration/t0110-server-faults.sh \
	tests/integration/t0120-server-gutenberg.sh \
	tests/integration/t0130-server-stats.sh \
	tests/integration/t0140-server-worldbank.sh
TESTS += $(FIXTURE_SERVER_TESTS)
dist_noinst_SCRIPTS += $(FIXTURE_SERVER_TESTS)
dist_noinst_DATA += tests/lib.sh tests/server/README.md
