# Fuzzing (SPEC §5): libFuzzer targets for the parsers that read hostile
# input. `make check` replays every committed corpus file and crash
# reproducer through each target with a plain driver (replay.c), built
# with the suite's compiler and flags (so also under the sanitizer
# builds); scripts/fuzz builds the same targets with libFuzzer and runs
# them. See tests/fuzz/README.md.
FUZZ_TARGETS = \
	tests/fuzz/replay_httpdate

FUZZ_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS) \
	-DFUZZ_DIR='"$(abs_top_srcdir)/tests/fuzz"'
FUZZ_COMMON = tests/fuzz/replay.c tests/fuzz/fuzz_util.c tests/fuzz/fuzz.h

check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)

tests_fuzz_replay_httpdate_SOURCES = tests/fuzz/fuzz_httpdate.c $(FUZZ_COMMON)
tests_fuzz_replay_httpdate_CFLAGS = $(FUZZ_CFLAGS) -DFUZZ_TARGET='"httpdate"'
tests_fuzz_replay_httpdate_LDADD = $(FETCHPOOL_LIBS)

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/crashes
