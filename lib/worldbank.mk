# World Bank area: API URLs and reply parsers, statistics, gdp output
# formats, the fixture server's API emulation (built by the server's
# fragment), unit tests and the World Bank fixtures.

lib_libfetchpool_a_SOURCES += \
	lib/worldbank.c lib/worldbank.h
lib_libfetchpool_a_SOURCES += \
	lib/stats.c lib/stats.h \
	lib/gdpout.c lib/gdpout.h
