# Shared building blocks of libfetchpool: UTF-8, hex, FNV-1a, growable
# arrays, a stable sort, URLs (on libcurl's CURLU) and the hardened XML
# reader. Core modules; they include no domain module (list file, names,
# Gutenberg, World Bank). Each has a unit test.
lib_libfetchpool_a_SOURCES += \
	lib/utf8.c lib/utf8.h \
	lib/hex.c lib/hex.h \
	lib/hash.c lib/hash.h \
	lib/array.c lib/array.h \
	lib/sort.c lib/sort.h \
	lib/url.c lib/url.h \
	lib/xmlsafe.c lib/xmlsafe.h

check_PROGRAMS += tests/unit/test_util
TESTS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/test_url
TESTS += tests/unit/test_url
tests_unit_test_url_SOURCES = tests/unit/test_url.c
tests_unit_test_url_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_url_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/test_xmlsafe
TESTS += tests/unit/test_xmlsafe
tests_unit_test_xmlsafe_SOURCES = tests/unit/test_xmlsafe.c
tests_unit_test_xmlsafe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xmlsafe_LDADD = $(UNIT_LIBS)
