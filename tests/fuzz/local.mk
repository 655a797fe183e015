# Fuzzing: libFuzzer targets for the parsers that read hostile
# input. `make check` replays every committed corpus file and crash
# reproducer through each target with a plain driver (replay.c), built
# with the suite's compiler and flags, so also under the sanitizer builds;
# scripts/fuzz builds the same targets with libFuzzer and runs them.
# See tests/fuzz/README.md.
FUZZ_TARGETS = \
	tests/fuzz/replay_listfile \
	tests/fuzz/replay_names \
	tests/fuzz/replay_rdf \
	tests/fuzz/replay_wb_json \
	tests/fuzz/replay_wb_xml \
	tests/fuzz/replay_httpdate \
	tests/fuzz/replay_statefile \
	tests/fuzz/replay_ranges

FUZZ_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS) \
	-DFUZZ_DIR='"$(abs_top_srcdir)/tests/fuzz"'
FUZZ_COMMON = tests/fuzz/replay.c tests/fuzz/fuzz_util.c tests/fuzz/fuzz.h

check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)

tests_fuzz_replay_ranges_SOURCES = tests/fuzz/fuzz_ranges.c $(FUZZ_COMMON)
tests_fuzz_replay_ranges_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"ranges"'
tests_fuzz_replay_ranges_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_listfile_SOURCES = tests/fuzz/fuzz_listfile.c $(FUZZ_COMMON)
tests_fuzz_replay_listfile_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"listfile"'
tests_fuzz_replay_listfile_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_names_SOURCES = tests/fuzz/fuzz_names.c $(FUZZ_COMMON)
tests_fuzz_replay_names_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"names"'
tests_fuzz_replay_names_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_rdf_SOURCES = tests/fuzz/fuzz_rdf.c $(FUZZ_COMMON)
tests_fuzz_replay_rdf_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"rdf"'
tests_fuzz_replay_rdf_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_wb_json_SOURCES = tests/fuzz/fuzz_wb_json.c \
	tests/fuzz/fuzz_wb.c tests/fuzz/fuzz_wb.h $(FUZZ_COMMON)
tests_fuzz_replay_wb_json_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"wb_json"'
tests_fuzz_replay_wb_json_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_wb_xml_SOURCES = tests/fuzz/fuzz_wb_xml.c \
	tests/fuzz/fuzz_wb.c tests/fuzz/fuzz_wb.h $(FUZZ_COMMON)
tests_fuzz_replay_wb_xml_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"wb_xml"'
tests_fuzz_replay_wb_xml_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_httpdate_SOURCES = tests/fuzz/fuzz_httpdate.c $(FUZZ_COMMON)
tests_fuzz_replay_httpdate_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"httpdate"'
tests_fuzz_replay_httpdate_LDADD = $(FETCHPOOL_LIBS)

tests_fuzz_replay_statefile_SOURCES = tests/fuzz/fuzz_statefile.c $(FUZZ_COMMON)
tests_fuzz_replay_statefile_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"statefile"'
tests_fuzz_replay_statefile_LDADD = $(FETCHPOOL_LIBS)

# Corpora, reproducers (replayed), pending reproducers (not replayed until
# their fix lands), dictionaries and the runner.
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/corpus tests/fuzz/crashes \
	tests/fuzz/pending tests/fuzz/dict
dist_noinst_SCRIPTS += scripts/fuzz
