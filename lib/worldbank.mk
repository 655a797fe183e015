# World Bank area: API URLs and reply parsers, statistics, gdp output
# formats, the fixture server's API emulation (built by the server's
# fragment), unit tests and the World Bank fixtures.

lib_libfetchpool_a_SOURCES += \
	lib/worldbank.c lib/worldbank.h lib/wb_internal.h \
	lib/wb_url.c lib/wb_text.c lib/wb_records.c lib/wb_countries.c \
	lib/wb_json.c lib/wb_xml.c
lib_libfetchpool_a_SOURCES += \
	lib/stats.c lib/stats.h \
	lib/gdpout.c lib/gdpout.h \
	lib/gdpagg.c lib/gdpagg.h

# Unit tests. test_worldbank links the API emulation of the fixture
# server, so the parsers are checked against what the server sends.
WB_TEST_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/tests/server \
	-DWB_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/worldbank"'

check_PROGRAMS += tests/unit/test_worldbank tests/unit/test_stats \
	tests/unit/test_gdpout
TESTS += tests/unit/test_worldbank tests/unit/test_stats \
	tests/unit/test_gdpout
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

# World Bank fixtures: data CSVs, recorded API exchanges, bodies.
EXTRA_DIST += tests/fixtures/worldbank
