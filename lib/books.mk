# Books input side: list-file parser, file names, Gutenberg URLs and RDF
# titles, SHA-256. Sources go into libfetchpool; each module has a unit test.
lib_libfetchpool_a_SOURCES += \
	lib/listfile.c lib/listfile.h \
	lib/names.c lib/names.h \
	lib/gutenberg.c lib/gutenberg.h \
	lib/digest.c lib/digest.h

# The shared building blocks the books and World Bank modules use.
include $(srcdir)/lib/util.mk

# Unit tests read fixtures from the source tree (read-only in distcheck).
BOOKS_TEST_CFLAGS = $(UNIT_CFLAGS) \
	-DFP_TOP_SRCDIR='"$(abs_top_srcdir)"' \
	-DFP_FIXTURES_DIR='"$(abs_top_srcdir)/tests/fixtures"'

check_PROGRAMS += tests/unit/test_digest
TESTS += tests/unit/test_digest
tests_unit_test_digest_SOURCES = tests/unit/test_digest.c
tests_unit_test_digest_CFLAGS = $(BOOKS_TEST_CFLAGS)
tests_unit_test_digest_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/test_names
TESTS += tests/unit/test_names
tests_unit_test_names_SOURCES = tests/unit/test_names.c
tests_unit_test_names_CFLAGS = $(BOOKS_TEST_CFLAGS)
tests_unit_test_names_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/test_gutenberg
TESTS += tests/unit/test_gutenberg
tests_unit_test_gutenberg_SOURCES = tests/unit/test_gutenberg.c
tests_unit_test_gutenberg_CFLAGS = $(BOOKS_TEST_CFLAGS)
tests_unit_test_gutenberg_LDADD = $(UNIT_LIBS)

check_PROGRAMS += tests/unit/test_listfile
TESTS += tests/unit/test_listfile
tests_unit_test_listfile_SOURCES = tests/unit/test_listfile.c
tests_unit_test_listfile_CFLAGS = $(BOOKS_TEST_CFLAGS)
tests_unit_test_listfile_LDADD = $(UNIT_LIBS)

# The sample list and the Gutenberg fixtures (byte-exact; see their
# .gitattributes and SOURCES.md).
EXTRA_DIST += books.txt \
	tests/fixtures/gutenberg/.gitattributes \
	tests/fixtures/gutenberg/GUTENBERG.md \
	tests/fixtures/gutenberg/SOURCES.md \
	tests/fixtures/gutenberg/SHA256SUMS \
	tests/fixtures/gutenberg/pg1080.rdf tests/fixtures/gutenberg/pg1080.txt \
	tests/fixtures/gutenberg/pg11.rdf \
	tests/fixtures/gutenberg/pg120.rdf tests/fixtures/gutenberg/pg120.txt \
	tests/fixtures/gutenberg/pg1342.rdf tests/fixtures/gutenberg/pg1342.txt \
	tests/fixtures/gutenberg/pg1661.rdf tests/fixtures/gutenberg/pg1661.txt \
	tests/fixtures/gutenberg/pg2600.rdf tests/fixtures/gutenberg/pg2600.txt \
	tests/fixtures/gutenberg/pg7256.rdf tests/fixtures/gutenberg/pg7256.txt \
	tests/fixtures/gutenberg/pg84.rdf \
	tests/fixtures/gutenberg/pg844.rdf tests/fixtures/gutenberg/pg844.txt \
	tests/fixtures/gutenberg/pg98.rdf \
	tests/fixtures/gutenberg/files/11-0.txt \
	tests/fixtures/gutenberg/files/1342-0.txt \
	tests/fixtures/gutenberg/variants/alice30.txt \
	tests/fixtures/gutenberg/variants/pandp10.txt \
	tests/fixtures/gutenberg/variants/pandp12.txt \
	tests/fixtures/gutenberg/variants/pg1342-2018.rdf \
	tests/fixtures/gutenberg/variants/pg1342-2023-04.txt \
	tests/fixtures/gutenberg/variants/pg2701-2015.rdf
